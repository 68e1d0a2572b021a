"""USDA SR food groups, named from the first two digits of the 5-digit NDB id."""

from __future__ import annotations

USDA_GROUPS: dict[str, str] = {
    "01": "Dairy and Egg Products",
    "02": "Spices and Herbs",
    "03": "Baby Foods",
    "04": "Fats and Oils",
    "05": "Poultry Products",
    "06": "Soups, Sauces, and Gravies",
    "07": "Sausages and Luncheon Meats",
    "08": "Breakfast Cereals",
    "09": "Fruits and Fruit Juices",
    "10": "Pork Products",
    "11": "Vegetables and Vegetable Products",
    "12": "Nut and Seed Products",
    "13": "Beef Products",
    "14": "Beverages",
    "15": "Finfish and Shellfish Products",
    "16": "Legumes and Legume Products",
    "17": "Lamb, Veal, and Game Products",
    "18": "Baked Products",
    "19": "Sweets",
    "20": "Cereal Grains and Pasta",
    "21": "Fast Foods",
    "22": "Meals, Entrees, and Side Dishes",
    # SR24 gives newer beef cuts 23xxx ids and branded soups 27xxx, juices 31xxx.
    "23": "Beef Products",
    "25": "Snacks",
    "27": "Soups, Sauces, and Gravies",
    "31": "Vegetables and Vegetable Products",
    "35": "American Indian/Alaska Native Foods",
    "36": "Restaurant Foods",
}

UNGROUPED = "Not in a USDA group range"


def group_name(ndb_id: str) -> str:
    """Return the USDA food group named by an NDB id's first two digits.

    Ids outside the SR group ranges (42xxx, 43xxx, 44xxx, 8xxxx, 9xxxx: later additions) get
    ``UNGROUPED``; planner curation classifies those by name.
    """
    return USDA_GROUPS.get(ndb_id.zfill(5)[:2], UNGROUPED)

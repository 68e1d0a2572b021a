"""Planner curation of food tables: categories, diet and allergen tags, servings, portion limits.

``curate`` derives every column of ``food_data.table.CURATION_COLUMNS`` by rules from the USDA food
group and the food's name, then applies the reviewed override file
(``food_data/data/curation_overrides.csv``) last. ``classify_names`` exposes the name rules
(category, diet, allergens) for user food tables.

Speed matters (the bundled table is curated on every load), so names are tokenised once into a
flat table of words and two-word phrases; each rule is a set lookup over the ~10,000 distinct
terms, broadcast back to rows with numpy. No rule loops over rows in Python.

Conservative by design: a food is tagged with an allergen when a name or a recipe type commonly
implies it (bread: gluten; cakes: milk, egg, gluten), and is not vegan when unsure.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from food_data.errors import FoodDataError
from food_data.groups import UNGROUPED
from food_data.vocab import ALLERGENS, CATEGORIES, DIETS, SLOTS

OVERRIDES_FILE = Path(__file__).parent / "data" / "curation_overrides.csv"

VEG, FRUIT, GRAIN, LEGUME, NUT = "vegetables", "fruits", "grains", "legumes", "nuts and seeds"
MEAT, POULTRY, SEAFOOD, EGGS = "meat", "poultry", "seafood", "eggs"
DAIRY, FAT, BEV, SWEET = "dairy and fortified alternatives", "fats and oils", "beverages", "sweets and snacks"
MIXED, COND, OTHER = "mixed dishes", "condiments and spices", "other"


def _terms(text: str) -> frozenset[str]:
    """Parse a ``|``-separated list of lowercase words or two-word phrases."""
    return frozenset(t.strip() for t in text.split("|") if t.strip())


# ---------------------------------------------------------------------------------------------
# Vocabulary. Terms are single words or two-word phrases (tokens split on anything that is not a
# letter, digit or apostrophe; phrases may span a comma: "beans, snap" is "beans snap").
# ---------------------------------------------------------------------------------------------

BEEF_PORK = (
    "beef|pork|lamb|veal|ham|hams|bacon|sausage|sausages|salami|bologna|frankfurter|frankfurters|franks|"
    "wiener|wieners|pepperoni|bratwurst|kielbasa|knackwurst|bockwurst|beerwurst|brotwurst|chorizo|"
    "pastrami|mortadella|headcheese|scrapple|liverwurst|braunschweiger|thuringer|cervelat|yachtwurst|"
    "swisswurst|cheesefurter|smokies|luncheon|bison|buffalo|elk|moose|caribou|deer|venison|mutton|"
    "rabbit|bear|seal|whale|walrus|squirrel|beaver|muskrat|opossum|raccoon|frog|turtle|boar|"
    "antelope|game meat|meat|meats|meatball|meatballs|meatloaf|hamburger|cheeseburger|hot dog|hot dogs|"
    "corn dog|corn dogs|salisbury|pot roast|liver|giblets|tripe|tongue|oxtail|jerky|spam|lard|tallow|"
    "suet|drippings|bacon grease|animal fat|gelatin|gelatins|marshmallow|marshmallows|mincemeat|"
    "chili con|chili with|sea lion|pate|foie|gravy|lebanon|carne|cheesesteak|chitterlings|rennin|"
    "pepperoni|wings|riblets"
)
POULTRY_WORDS = (
    "chicken|chickens|turkey|duck|goose|quail|pheasant|squab|emu|ostrich|guinea hen|poultry|owl|capon"
)
FINFISH = (
    "fish|salmon|tuna|cod|anchovy|anchovies|sardine|sardines|herring|mackerel|trout|tilapia|halibut|"
    "catfish|pollock|haddock|flounder|sole|whitefish|snapper|bass|swordfish|perch|pike|carp|eel|roe|"
    "caviar|surimi|smelt|steelhead|grouper|mullet|pompano|shad|sturgeon|tilefish|wolffish|croaker|"
    "drum|butterfish|cisco|dolphinfish|burbot|lingcod|ling|rockfish|roughy|sablefish|scup|sheepshead|"
    "spot|sucker|sunfish|tautog|turbot|whiting|yellowtail|milkfish|pout|cusk|monkfish|bluefish|"
    "worcestershire|caesar|lox|gefiltefish|jellyfish|ascidians|oopah|sea cucumber|fish sauce|"
    "fish oil|cod liver|kippered"
)
SHELLFISH_WORDS = (
    "crustaceans|mollusks|shrimp|crab|crabs|lobster|crayfish|clam|clams|oyster|oysters|mussel|mussels|"
    "scallop|scallops|squid|octopus|snail|snails|abalone|conch|cuttlefish|whelk|whelks|cockles|chiton|"
    "clamato|oyster sauce|langostino"
)
MILK_WORDS = (
    "milk|milks|cheese|cheeses|butter|cream|creams|creamed|creamy|yogurt|yogurts|whey|casein|"
    "caseinate|lactose|ghee|buttermilk|kefir|custard|custards|pudding|puddings|eggnog|nog|cheddar|"
    "mozzarella|parmesan|ricotta|cottage|feta|brie|gouda|provolone|romano|muenster|monterey|limburger|"
    "camembert|gruyere|edam|fontina|neufchatel|queso|paneer|alfredo|au gratin|scalloped|ranch|"
    "souffle|quiche|pizza|lasagna|cheesecake|cheeseburger|cheesefurter|milkshake|shake|shakes|latte|"
    "cappuccino|malted|chocolate|caramel|caramels|fudge|toffee|nougat|truffles|butterscotch|"
    "frosting|frostings|dulce|ice cream|frozen yogurt|sherbet|milkfat|milk chocolate|cocoa mix|"
    "instant breakfast|dairy|margarine|margarines|creamer|tzatziki|mousse|tiramisu|cannoli|"
    "nachos|quesadilla|enchilada|enchiladas|burrito|burritos|stroganoff|bisque|cheesesteak"
)
EGG_WORDS = (
    "egg|eggs|eggnog|mayonnaise|mayo|meringue|custard|custards|flan|souffle|quiche|aioli|hollandaise|"
    "bearnaise|caesar|thousand island|tartar sauce|ranch|creamy dressing|breaded|batter|"
    "battered|meatloaf|meatball|meatballs|crab cakes|fish cakes|hush puppies|corn pudding|"
    "potato pancakes|french toast|popovers|egg rolls|egg roll|wonton|nougat|macaroons|tiramisu|"
    "ice cream|chow mein|fresh refrigerated|potato salad|coleslaw|sandwich spread|green goddess|"
    "challah|brioche|cornbread|spinach souffle|nuggets|fritters|tempura|dumplings|russian|aioli|"
    "peppercorn|blue cheese|roquefort|fish sticks"
)
# Baked and dessert goods that, in a recipe, usually hold milk, egg and wheat.
BAKED_WORDS = (
    "cake|cakes|cookie|cookies|muffin|muffins|pancake|pancakes|waffle|waffles|biscuit|biscuits|"
    "croissant|croissants|danish|doughnut|doughnuts|donut|donuts|brownie|brownies|pastry|pastries|"
    "pie|pies|cheesecake|coffeecake|sweet rolls|cinnamon buns|cream puff|cream puffs|eclair|"
    "eclairs|popovers|french toast|strudel|turnover|turnovers|toaster pastries|cobbler|crepe|"
    "crepes|scone|scones|shortcake|cupcake|cupcakes|quick bread|banana bread|zucchini bread|"
    "pumpkin bread|irish soda|keikitos|pan dulce|tart|tarts|wafers|wafer"
)
TREE_NUT_WORDS = (
    "nut|nuts|almond|almonds|walnut|walnuts|pecan|pecans|cashew|cashews|pistachio|pistachios|"
    "hazelnut|hazelnuts|filbert|filberts|macadamia|macadamias|brazilnut|brazilnuts|brazil nuts|"
    "pine nuts|pinon|pignolia|chestnut|chestnuts|beechnut|beechnuts|butternuts|hickorynuts|"
    "hickory nuts|coconut|coconuts|acorn|acorns|ginkgo|praline|pralines|marzipan|nutella|pesto|"
    "baklava|amaretto|almond joy|mixed nuts|trail mix|gianduja|frangipane|heartnuts"
)
PEANUT_WORDS = (
    "peanut|peanuts|goobers|snickers|reese's|butterfinger|payday|goodbar|baby ruth|mr goodbar|"
    "trail mix|satay|mixed nuts|nutter|peanut butter"
)
GLUTEN_WORDS = (
    "wheat|wheats|flour|flours|barley|rye|spelt|kamut|triticale|bulgur|couscous|semolina|durum|"
    "farina|seitan|gluten|malt|malted|bread|breads|bagel|bagels|roll|rolls|bun|buns|biscuit|"
    "biscuits|muffin|muffins|cracker|crackers|pasta|spaghetti|macaroni|noodle|noodles|lasagna|"
    "ravioli|tortellini|vermicelli|cake|cakes|cookie|cookies|pie|pies|pastry|pastries|doughnut|"
    "doughnuts|croissant|croissants|pancake|pancakes|waffle|waffles|pretzel|pretzels|breaded|"
    "batter|battered|stuffing|croutons|crumbs|tortilla|tortillas|pizza|burrito|burritos|sandwich|"
    "sandwiches|burger|burgers|hamburger|cheeseburger|hot dog|corn dog|corn dogs|dumpling|"
    "dumplings|wonton|egg roll|egg rolls|pot pie|bran|oats|oat|oatmeal|granola|muesli|"
    "soy sauce|shoyu|beer|ale|stout|gravy|chowder|wafer|wafers|brownie|brownies|"
    "cheesecake|danish|coffeecake|cinnamon buns|sweet rolls|strudel|eclairs|cream puff|popovers|"
    "french toast|matzo|melba|zwieback|focaccia|pita|bagel chips|pockets|teriyaki|stroganoff|"
    "meatloaf|meatballs|tempura|twix|kit kat|whoppers|licorice|graham|chow mein|hush puppies|"
    "frybread|piki|phyllo|nuggets|tenders|fritters|cornbread|fish sticks|wheatena|maltex|maypo|"
    "alphabet|minestrone|bulgar|kasha|orzo|udon|ramen|soba|fig bars|keikitos|pan dulce|"
    "taco shells|crisp|crispbread|rusk|breadsticks|bread sticks|gardenburger|morningstar|"
    "worthington|loma|veggie|vegetarian burger|meatless|vegetarian fillets|vegetarian meatloaf"
)
GLUTEN_FREE_MARKERS = (
    "rice flour|corn flour|potato flour|soy flour|chickpea flour|arrowroot flour|tapioca|"
    "buckwheat flour|peanut flour|carob flour|sorghum flour|millet flour|amaranth flour|"
    "almond flour|coconut flour|rice noodles|rice noodle|cellophane|gluten free|corn tortilla|"
    "corn tortillas|tortillas corn|taco shells|tostada shells|corn grits|grits|cream of rice|"
    "rice cake|rice cakes|rice crackers|rice bran|ginger ale|root beer|beer salami|"
    "sandwich spread|gluten free|english muffin"
)
SOY_WORDS = (
    "soy|soya|soybean|soybeans|soymilk|tofu|tempeh|miso|natto|edamame|okara|shoyu|tamari|"
    "soyburger|soyburgers|textured vegetable|meat extender|yuba|silk|vitasoy|nasoya|azumaya|mori|"
    "lecithin|meatless|veggie|vegetarian burger|gardenburger|morningstar|worthington|loma|"
    "chik|chik'n|fillets meatless|soy sauce|koyadofu|fuyu|vegetarian fillets|vegetarian meatloaf|"
    "bacon bits|tofu yogurt"
)
SESAME_WORDS = "sesame|tahini|hummus|halvah|halva|benne|gomasio|sesame butter"

# Phrases that cancel an animal word: "Chicken, meatless", "poultry seasoning".
NOT_ANIMAL = (
    "meatless|vegetarian|veggie|vegan|meat extender|soyburger|soyburgers|chik|chik'n|imitation bacon|"
    "imitation ham|poultry seasoning|meat tenderizer|textured vegetable|turk'y|vegetable skallops|"
    "gardenburger|morningstar|worthington|loma|fish sticks meatless|soy based|bacon bits|"
    "mushrooms oyster|oyster mushroom|oyster mushrooms"
)
# Words that cancel the milk reading of "butter", "cream", "milk".
NOT_MILK = (
    "peanut butter|almond butter|cashew butter|sesame butter|apple butter|fruit butters|"
    "fruit butter|cocoa butter|nut butter|seed butter|soy butter|sunflower butter|butter beans|"
    "coconut milk|coconut cream|cream of tartar|cream of wheat|cream of rice|soy milk|almond milk|"
    "rice milk|oat milk|cream soda|coconut water|shea butter|soymilk creamy|creamy original|"
    "mushroom cream"
)
HONEY_WORDS = "honey|honeyed|royal jelly|beeswax"

DAIRY_ALT = (
    "soymilk|soy milk|almond milk|rice milk|oat milk|rice drink|rice beverage|soy beverage|"
    "soy yogurt|tofu yogurt|milk substitutes|milk substitute|milk imitation|imitation milk|"
    "oat beverage|almond beverage"
)

FRUIT_WORDS = (
    "abiyuch|acerola|apple|apples|applesauce|apricot|apricots|avocado|avocados|banana|bananas|"
    "blackberries|blackberry|blueberries|blueberry|boysenberries|breadfruit|carambola|carissa|"
    "cherimoya|cherries|cherry|clementine|clementines|crabapples|cranberries|cranberry|currants|"
    "custard apple|dates|date|durian|elderberries|feijoa|figs|fig|gooseberries|grapefruit|grapes|"
    "grape|groundcherries|guanabana|guava|guavas|huckleberries|jackfruit|java plum|jujube|kiwifruit|"
    "kiwi|kumquats|lemon|lemons|lime|limes|litchis|lychee|loganberries|longans|loquats|mammy apple|"
    "mango|mangos|mangoes|mangosteen|maraschino|melon|melons|cantaloupe|honeydew|mulberries|nance|"
    "naranjilla|nectarine|nectarines|oheloberries|olive|olives|orange|oranges|papaya|papayas|"
    "passion fruit|passion|peach|peaches|pear|pears|persimmon|persimmons|pineapple|pitanga|"
    "plantain|plantains|plum|plums|pomegranate|pomegranates|prickly pears|prune|prunes|pummelo|"
    "quince|quinces|raisin|raisins|rambutan|raspberries|raspberry|rhubarb|rose apples|roselle|rowal|"
    "sapodilla|sapote|soursop|strawberries|strawberry|sugar apples|tamarind|tamarinds|tangerine|"
    "tangerines|watermelon|fruit|fruits|berries|cloudberries|salmonberries|chokecherries|"
    "cranberry sauce|fruit cocktail|fruit salad|melon balls|candied fruit|lemon peel|orange peel|"
    "kiwano|horned melon|buffaloberries|serviceberries|silverberries|pricklypear"
)
VEG_WORDS = (
    "alfalfa|amaranth leaves|arrowhead|arrowroot|artichoke|artichokes|arugula|asparagus|balsam pear|"
    "bamboo|beet|beets|beet greens|borage|broccoli|brussels|burdock|butterbur|cabbage|cardoon|"
    "carrot|carrots|cassava|cauliflower|celeriac|celery|celtuce|chard|chayote|chicory|chives|"
    "chrysanthemum|collards|coriander|corn|cornsalad|cress|cucumber|cucumbers|dandelion|dock|"
    "drumstick|eggplant|endive|epazote|eppaw|fennel|fiddlehead|fireweed|fungi|garlic|ginger|gourd|"
    "grape leaves|hearts of palm|palm hearts|jerusalem|jew's|jute|kale|kanpyo|kohlrabi|lambsquarters|"
    "lambs quarters|leeks|leek|lemon grass|lettuce|lotus|malabar|mountain yam|mushroom|mushrooms|"
    "mustard greens|mustard spinach|nopales|okra|onion|onions|parsley|parsnips|parsnip|peas|"
    "pepeao|pepper|peppers|pimento|pimiento|poi|pokeberry|potato|potatoes|pumpkin|purslane|"
    "radicchio|radish|radishes|rutabaga|rutabagas|salsify|sauerkraut|seaweed|sesbania|shallots|"
    "spinach|squash|succotash|swamp cabbage|sweet potato|sweet potatoes|taro|tomatillos|tomato|"
    "tomatoes|tree fern|turnip|turnips|turnip greens|vegetables|vegetable|vinespinach|waterchestnuts|"
    "water chestnuts|watercress|waxgourd|yam|yams|yambean|jicama|yautia|zucchini|cattail|"
    "stinging nettles|nettles|sourdock|willow|mashu|prairie turnips|wocas|lambsquarter|pickles|"
    "pickle|kimchi|snap beans|beans snap|green beans|beans green|string beans|wax beans|"
    "peas green|green peas|edamame|sprouts|sprouted|soybeans green|beans sprouted|lima beans immature|"
    "beans lima|winged bean|yardlong bean|hyacinth beans|french fries|hash brown|hash browns|"
    "potato puffs|onion rings|mixed vegetables|coleslaw|spinach souffle|corn pudding|potato salad|"
    "potato pancakes|catsup|ketchup|tomato products|tomato juice|vegetable juice|carrot juice"
)
GRAIN_WORDS = (
    "bread|breads|bagel|bagels|biscuit|biscuits|roll|rolls|bun|buns|muffin|muffins|english muffins|"
    "croissant|croissants|tortilla|tortillas|pita|cracker|crackers|rice|wheat|oats|oat|oatmeal|barley|"
    "rye|cornmeal|grits|cereal|cereals|granola|muesli|pasta|spaghetti|macaroni|noodles|noodle|"
    "couscous|quinoa|bulgur|millet|buckwheat|amaranth|teff|spelt|kamut|triticale|sorghum|semolina|"
    "farina|flour|bran|germ|pancake|pancakes|waffle|waffles|french toast|toast|stuffing|croutons|"
    "hominy|tapioca|cornstarch|matzo|melba|zwieback|focaccia|popovers|hush puppies|phyllo|"
    "wonton wrappers|piki|frybread|mush|taco shells|tostada shells|wild rice|corn flour|"
    "corn bran|vermicelli|pretzels|rice cake|rice cakes|bread crumbs|cracker meal|breadsticks|"
    "bread sticks|incaparina|papad|crispbread|rusk|vital wheat gluten|tennis bread|chapati|naan|"
    "polenta|risotto|pilaf"
)
LEGUME_WORDS = (
    "beans|bean|lentils|lentil|chickpeas|chickpea|garbanzo|cowpeas|blackeyes|lupins|tofu|tempeh|"
    "soybeans|soybean|soy|miso|natto|hummus|falafel|okara|mothbeans|mungo|mung|pigeon peas|"
    "pigeonpeas|broadbeans|fava|refried|frijoles|split peas|peas split|dal|dhal|veggie|vegetarian|"
    "meatless|soyburger|soyburgers|meat extender|textured vegetable|adzuki|yardlong beans|"
    "winged beans|hyacinth|mature seeds|soy protein|soy flour|soy meal"
)
NUT_WORDS = (
    "nut|nuts|almond|almonds|walnut|walnuts|pecan|pecans|cashew|cashews|pistachio|pistachios|"
    "hazelnut|hazelnuts|filbert|filberts|macadamia|brazilnuts|pine nuts|pinon|chestnut|"
    "chestnuts|beechnuts|butternuts|hickorynuts|coconut|acorns|ginkgo|seeds|seed|sesame|tahini|"
    "sunflower|pumpkin seeds|flaxseed|flax|chia|peanut|peanuts|peanut butter|almond butter|"
    "cashew butter|sesame butter|trail mix|mouse nuts|breadnut|safflower seed|cottonseed|"
    "lotus seeds|watermelon seed|pumpkin and squash seed"
)
FAT_WORDS = (
    "oil|oils|butter|margarine|margarines|shortening|lard|fat|fats|tallow|suet|ghee|drippings|"
    "bacon grease|animal fat|vegetable oil|butter oil|margarine like|spread|spreads"
)
BEV_WORDS = (
    "beverage|beverages|drink|drinks|juice|juices|nectar|lemonade|limeade|coffee|tea|teas|water|"
    "soda|carbonated|cola|alcoholic|beer|ale|wine|liquor|whiskey|vodka|rum|gin|sake|brandy|"
    "liqueur|cocktail|smoothie|punch|cider|kombucha|chilchen|shake|shakes|milkshake|"
    "energy drink|sports drink|malted drink|cocoa mix|tonic|eggnog"
)
SWEET_WORDS = (
    "candies|candy|chocolate|cookies|cookie|cake|cakes|pie|pies|pastry|pastries|danish|doughnuts|"
    "doughnut|brownies|brownie|pudding|puddings|desserts|dessert|custard|custards|flan|gelatin|"
    "gelatins|jams|jam|jellies|jelly|marmalade|preserves|syrup|syrups|sugar|sugars|honey|molasses|"
    "frosting|frostings|toppings|topping|sherbet|sorbet|snacks|snack|chips|popcorn|cheesecake|"
    "eclairs|eclair|strudel|sweeteners|sweetener|chewing gum|gum|coffeecake|ice cream|ice creams|"
    "frozen novelties|frozen yogurt|frozen yogurts|fudge|caramels|marshmallow|marshmallows|halvah|"
    "nougat|toffee|licorice|cocoa|carob|granola bar|granola bars|breakfast bar|breakfast bars|"
    "cereal bar|sweet rolls|cinnamon buns|toaster pastries|cream puffs|cream puff|fruit butters|"
    "apple butter|pie fillings|pie filling|whipped topping|dessert topping|milk dessert|"
    "egg custards|cheese puffs|tortilla chips|potato chips|corn chips|pork skins|formulated bar|"
    "rice cake|rice cakes|trail mix|dulce|turnovers|cobbler|crisp|crepes|tiramisu|mousse|"
    "ice cream cone|ice cream cones|ice cream sandwich|confectioner's|fondant|praline|truffles"
)
MIXED_WORDS = (
    "soup|soups|stew|stews|chili|sandwich|sandwiches|burrito|burritos|pizza|lasagna|casserole|"
    "pot pie|entree|entrees|salad|hash|taco|tacos|enchilada|enchiladas|ravioli|tortellini|"
    "macaroni and|burger|burgers|hamburger|cheeseburger|nuggets|egg rolls|egg roll|dumplings|"
    "chow mein|fried rice|stir fry|quiche|souffle|meatloaf|meat loaf|tamales|tamale|chimichanga|"
    "fajita|nachos|quesadilla|hot pockets|pockets|pasta with|spaghetti with|with meatballs|"
    "meat sauce|dinner|chowder|bisque|broth|bouillon|gumbo|jambalaya|curry|lo mein|sushi|"
    "burrito bowl|wrap|wraps|sub|hot dog|corn dog|corn dogs|stroganoff|cacciatore|parmigiana|"
    "teriyaki|agutuk|tortilla casserole|beef hash|corned beef hash|stuffed|kit|tostada|"
    "scrambled eggs|biscuit with|croissant with|muffin with|french toast with|pancakes with|"
    "side dishes|fast foods|fast food|restaurant|meal|salisbury|breakfast burrito|potato salad|"
    "coleslaw|succotash|spinach souffle"
)
COND_WORDS = (
    "sauce|sauces|gravy|dressing|dressings|mayonnaise|mayo|catsup|ketchup|mustard|relish|vinegar|"
    "salt|spices|spice|seasoning|horseradish|wasabi|salsa|capers|dip|dips|pesto|chutney|"
    "extract|vanilla|basil|dill|rosemary|thyme|peppermint|spearmint|oregano|sage|parsley dried|"
    "soy sauce|tamari|shoyu|fish sauce|oyster sauce|worcestershire|yeast extract|bacon bits|"
    "adobo|sandwich spread|tartar sauce|barbecue sauce|hot sauce|pepper sauce|cream of tartar|"
    "teriyaki sauce|hoisin|cocktail sauce|enchilada sauce|pasta sauce|spaghetti sauce|"
    "tomato sauce|marinara|sofrito|pickle relish|vanilla extract|imitation vanilla|miso"
)
OTHER_WORDS = (
    "babyfood|babyfoods|baby food|infant|formula|toddler|child formula|rennin|polydextrose|leavening|"
    "baking powder|baking soda|yeast|protein supplement|nutritional supplement|meal supplement|"
    "protein powder|ensure|fluid replacement|electrolyte|pectin|gerber|supplement|pedialyte|"
    "meal replacement|zwieback|protein isolate|soy protein isolate|protein concentrate|"
    "incaparina|cornstarch|bakers|gluten vital|vital wheat gluten|polydextrose"
)


@dataclass(frozen=True)
class _Lexicon:
    """Ordered (label, terms) rules: the first rule whose terms hit wins."""

    labels: tuple[str, ...]
    lookup: dict[str, int]  # term -> rank of the first rule holding it

    @classmethod
    def build(cls, rules: Sequence[tuple[str, str]]) -> _Lexicon:
        lookup: dict[str, int] = {}
        for rank, (_, text) in enumerate(rules):
            for term in _terms(text):
                lookup.setdefault(term, rank)
        return cls(tuple(label for label, _ in rules), lookup)


# Strong head markers: dish types, special foods and compound names decided before single words.
_HEAD_MARKERS = _Lexicon.build(
    [
        (OTHER, "babyfood|babyfoods|baby food|infant formula|child formula|toddler formula|"
         "protein supplement|nutritional supplement|meal supplement|protein powder|fluid replacement|"
         "leavening agents|baking powder|baking soda|rennin|polydextrose|incaparina|ensure|"
         "soy protein|protein isolate|protein concentrate|meal replacement|gerber|pectin|yeast bakers"),
        (COND, "yeast extract|salad dressing|soy sauce|fish sauce|oyster sauce|hot sauce|pickle relish|"
         "vanilla extract|cream of tartar|sandwich spread|bacon bits|tartar sauce|barbecue sauce|"
         "pepper sauce|teriyaki sauce|cocktail sauce|sweet and|mayonnaise dressing|creamy dressing"),
        (DAIRY, DAIRY_ALT),
        (FRUIT, "fruit salad|fruit cocktail|cranberry sauce|cranberry orange|melon balls|applesauce"),
        (SWEET, "ice cream|ice creams|frozen yogurt|frozen yogurts|frozen novelties|frozen novelites|"
         "milk dessert|egg custards|pie fillings|pie filling|whipped topping|dessert topping|"
         "cream puff|cream puffs|granola bar|granola bars|breakfast bar|breakfast bars|cereal bar|"
         "hazelnut spread|fruit butters|sweet rolls|cinnamon buns|toaster pastries|cheese puffs|"
         "milk and|rice and|formulated bar|cereal wafer|light ice"),
        (MIXED, "pot pie|egg rolls|egg roll|sandwich|sandwiches|burrito|burritos|pizza|lasagna|"
         "casserole|stew|chili con|chili with|macaroni and|spaghetti with|pasta with|and meatballs|"
         "with meatballs|meat sauce|and gravy|hamburger|cheeseburger|soup|soups|chowder|quiche|"
         "souffle|enchilada|enchiladas|tamales|tamale|chimichanga|fajita|nachos|dumplings|ravioli|"
         "tortellini|fried rice|chow mein|stir fry|meatloaf|meat loaf|beef hash|corned beef|"
         "pockets|corn dogs|corn dog|hot dog|potato salad|coleslaw|rice bowl|stuffed|entrees|"
         "side dishes|salad|tostada with|scrambled eggs|breakfast burrito|vegetarian stew|"
         "vegetarian meatloaf|stew soup"),
        (NUT, "peanut butter|almond butter|cashew butter|sesame butter|peanut spread|coconut milk|"
         "coconut cream|coconut water|trail mix|mouse nuts"),
        (FAT, "vegetable oil|butter oil|meat drippings|animal fat|margarine like|butter replacement|"
         "fish oil|oil flaxseed"),
        (BEV, "juice|juices|nectar|drink|drinks|beverage|beverages|lemonade|limeade|smoothie|"
         "cocktail|cider|tea|coffee|eggnog flavor|shake|shakes|milk shakes|water with|"
         "carbonated|malted|cocoa mix|malt beverage"),
        (VEG, "sweet potato|sweet potatoes|beans snap|snap beans|green beans|beans green|string beans|"
         "peas green|green peas|peas edible|beans sprouted|sprouted|mung beans|potato puffs|"
         "hash brown|french fried|onion rings|corn with|peas and|palm hearts|hearts of palm|"
         "tomato products|tomato sauce|swamp cabbage|beet greens|turnip greens|mustard greens|"
         "balsam pear|grape leaves|soybeans green|yardlong bean|winged bean"),
        (LEGUME, "split peas|peas split|mature seeds|chickpea flour|soy flour|soy meal|veggie burgers|"
         "vegetarian fillets|chicken meatless|meatballs meatless|luncheon slices|fish sticks|"
         "frankfurter meatless|meatless|soyburger|bean beverage"),
        (GRAIN, "wild rice|corn flour|corn bran|cornmeal|rice cake|bread crumbs|bread stuffing|"
         "cracker meal|french toast|taco shells|tostada shells|english muffins|wonton wrappers|"
         "vital wheat|corn grits|piki bread|tennis bread"),
        (POULTRY, "turkey ham|turkey bacon|turkey and|turkey sausage|chicken roll|chicken spread"),
        (MEAT, "sea lion|game meat|frog legs|luncheon meat|liver cheese"),
    ]
)

# The first word of a SR-style name ("Beef, ...", "Soup, ...") says most of it.
_FIRST_WORD = _Lexicon.build(
    [
        (OTHER, OTHER_WORDS),
        (COND, "sauce|gravy|dressing|mayonnaise|catsup|ketchup|mustard|relish|vinegar|salt|spices|"
         "spice|seasoning|horseradish|salsa|capers|dip|adobo|basil|dill|rosemary|thyme|peppermint|"
         "spearmint|vanilla|pesto|chutney|wasabi"),
        (MIXED, MIXED_WORDS),
        (BEV, BEV_WORDS),
        (SWEET, SWEET_WORDS),
        (EGGS, "egg|eggs"),
        (DAIRY, "milk|cheese|cheeses|yogurt|yogurts|cream|sour|buttermilk|kefir|whey|eggnog|dulce|"
         "parmesan|dairy|imitation|reddi|creamer"),
        (FAT, FAT_WORDS),
        (NUT, NUT_WORDS),
        (LEGUME, LEGUME_WORDS),
        (SEAFOOD, FINFISH + "|" + SHELLFISH_WORDS + "|salmon|sea"),
        (POULTRY, POULTRY_WORDS + "|ground turkey|dove"),
        (MEAT, BEEF_PORK + "|barbecue|blood|dutch|honey|luxury|mother's|olive|peppered|picnic|pickle|"
         "polish|new|oven|roast|smoked|liver"),
        (GRAIN, GRAIN_WORDS + "|wild|english|corn bran|keikitos|pan|tostada|taco"),
        (FRUIT, FRUIT_WORDS + "|java|mammy|rose|prickly|horned|custard|sugar|passion|plains"),
        (VEG, VEG_WORDS + "|sweet|balsam|beet|lambs|swamp|jew's|mountain|tree|hearts|palm|water|"
         "brussels|mixed|yardlong|winged|hyacinth|lima|stinging|prairie|sourdock"),
    ]
)

# Any word anywhere: the fallback when neither head markers nor the first word decided.
_ANY_WORD = _Lexicon.build(
    [
        (OTHER, OTHER_WORDS),
        (MIXED, MIXED_WORDS),
        (DAIRY, DAIRY_ALT),
        (BEV, BEV_WORDS),
        (SWEET, SWEET_WORDS),
        (COND, COND_WORDS),
        (NUT, "peanut butter|almond butter|cashew butter|sesame butter"),
        (FAT, FAT_WORDS),
        (SEAFOOD, FINFISH + "|" + SHELLFISH_WORDS),
        (POULTRY, POULTRY_WORDS),
        (MEAT, BEEF_PORK),
        (EGGS, "egg|eggs"),
        (DAIRY, "milk|cheese|yogurt|cream|buttermilk|kefir|whey"),
        (NUT, NUT_WORDS),
        (LEGUME, LEGUME_WORDS),
        (GRAIN, GRAIN_WORDS),
        (FRUIT, FRUIT_WORDS),
        (VEG, VEG_WORDS),
    ]
)

# USDA group: (default category, categories the name rules may switch to).
_ALL = frozenset(CATEGORIES)
_GROUP_RULES: dict[str, tuple[str, frozenset[str]]] = {
    "Dairy and Egg Products": (DAIRY, frozenset({DAIRY, EGGS, FAT, SWEET, OTHER})),
    "Spices and Herbs": (COND, frozenset({COND})),
    "Baby Foods": (OTHER, frozenset({OTHER})),
    "Fats and Oils": (FAT, frozenset({FAT, COND})),
    "Poultry Products": (POULTRY, frozenset({POULTRY, MIXED})),
    "Soups, Sauces, and Gravies": (MIXED, frozenset({MIXED, COND})),
    "Sausages and Luncheon Meats": (MEAT, frozenset({MEAT, POULTRY})),
    "Breakfast Cereals": (GRAIN, frozenset({GRAIN})),
    "Fruits and Fruit Juices": (FRUIT, frozenset({FRUIT, BEV})),
    "Pork Products": (MEAT, frozenset({MEAT})),
    "Vegetables and Vegetable Products": (VEG, frozenset({VEG, BEV, COND, MIXED})),
    "Nut and Seed Products": (NUT, frozenset({NUT})),
    "Beef Products": (MEAT, frozenset({MEAT})),
    "Beverages": (BEV, frozenset({BEV, DAIRY, SWEET, OTHER})),
    "Finfish and Shellfish Products": (SEAFOOD, frozenset({SEAFOOD})),
    "Legumes and Legume Products": (LEGUME, frozenset({LEGUME, NUT, DAIRY, COND, MIXED, OTHER})),
    "Lamb, Veal, and Game Products": (MEAT, frozenset({MEAT})),
    "Baked Products": (GRAIN, frozenset({GRAIN, SWEET})),
    "Sweets": (SWEET, frozenset({SWEET, OTHER})),
    "Cereal Grains and Pasta": (GRAIN, frozenset({GRAIN})),
    "Fast Foods": (MIXED, _ALL - {OTHER}),
    "Meals, Entrees, and Side Dishes": (MIXED, _ALL - {OTHER}),
    "Snacks": (SWEET, frozenset({SWEET, GRAIN, NUT})),
    "American Indian/Alaska Native Foods": (OTHER, _ALL),
    "Restaurant Foods": (MIXED, _ALL - {OTHER}),
}

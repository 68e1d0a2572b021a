"""Planner curation of food tables: categories, diet and allergen tags, servings, portion limits.

``curate`` derives every column of ``food_data.table.CURATION_COLUMNS`` by rules from the USDA food
group and the food's name, then applies the reviewed override file
(``food_data/data/curation_overrides.csv``) last. ``classify_names`` exposes the name rules
(category, diet, allergens) for user food tables.

Speed matters (the bundled table is curated at every process start), so names are tokenised once
into a flat table of words; each rule is a set lookup over the few thousand distinct words (and
two-word phrases), broadcast back to rows with numpy. No rule loops over rows in Python.

Conservative by design: a food is tagged with an allergen when a name or a recipe type commonly
implies it (bread: gluten; cakes: milk, egg, gluten), and is not vegan when unsure.
"""

from __future__ import annotations

import csv
import functools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from mealplan.food_data.errors import FoodDataError
from mealplan.food_data.groups import UNGROUPED
from mealplan.food_data.vocab import ALLERGENS, CATEGORIES, DIETS, SLOTS

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
    "steak|steaks|sirloin|brisket|"
    "pepperoni|wings|riblets"
)
POULTRY_WORDS = "chicken|chickens|turkey|duck|goose|quail|pheasant|squab|emu|ostrich|guinea hen|poultry|owl|capon"
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
    "instant breakfast|dairy|margarine|margarines|creamer|tzatziki|mousse|tiramisu|cannoli|formula|"
    "nachos|quesadilla|enchilada|enchiladas|burrito|burritos|stroganoff|bisque|cheesesteak"
)
EGG_WORDS = (
    "egg|eggs|eggnog|mayonnaise|mayo|meringue|custard|custards|flan|souffle|quiche|aioli|hollandaise|"
    "bearnaise|caesar|thousand island|tartar sauce|ranch|creamy dressing|breaded|batter|"
    "battered|meatloaf|meatball|meatballs|crab cakes|fish cakes|hush puppies|corn pudding|"
    "potato pancakes|french toast|popovers|egg rolls|egg roll|wonton|nougat|macaroons|tiramisu|"
    "ice cream|chow mein|fresh refrigerated|potato salad|coleslaw|sandwich spread|green goddess|"
    "challah|brioche|cornbread|spinach souffle|nuggets|fritters|tempura|dumplings|russian|aioli|"
    "peppercorn|blue cheese|roquefort|fish sticks|breading"
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
    "frybread|piki|phyllo|nuggets|tenders|fritters|cornbread|fish sticks|wheatena|maltex|maypo|breading|"
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
    "oil|oils|butter|margarine|margarines|shortening|lard|tallow|suet|ghee|drippings|"
    "bacon grease|animal fat|vegetable oil|butter oil|margarine like"
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
    by_rank: tuple[frozenset[str], ...]  # terms of each rule, minus those an earlier rule holds

    @classmethod
    def build(cls, rules: Sequence[tuple[str, str]]) -> _Lexicon:
        seen: set[str] = set()
        by_rank = []
        for _, text in rules:
            terms = _terms(text) - seen
            seen |= terms
            by_rank.append(frozenset(terms))
        return cls(tuple(label for label, _ in rules), tuple(by_rank))


# Strong head markers: dish types, special foods and compound names decided before single words.
_HEAD_MARKERS = _Lexicon.build(
    [
        (
            OTHER,
            "babyfood|babyfoods|baby food|infant formula|child formula|toddler formula|"
            "protein supplement|nutritional supplement|meal supplement|protein powder|fluid replacement|"
            "leavening agents|baking powder|baking soda|rennin|polydextrose|incaparina|ensure|"
            "soy protein|protein isolate|protein concentrate|meal replacement|gerber|pectin|yeast bakers",
        ),
        (
            COND,
            "yeast extract|salad dressing|soy sauce|fish sauce|oyster sauce|hot sauce|pickle relish|"
            "vanilla extract|cream of tartar|sandwich spread|bacon bits|tartar sauce|barbecue sauce|"
            "pepper sauce|teriyaki sauce|cocktail sauce|sweet and|mayonnaise dressing|creamy dressing",
        ),
        (DAIRY, DAIRY_ALT),
        (FRUIT, "fruit salad|fruit cocktail|cranberry sauce|cranberry orange|melon balls|applesauce"),
        (
            SWEET,
            "ice cream|ice creams|frozen yogurt|frozen yogurts|frozen novelties|frozen novelites|"
            "milk dessert|egg custards|pie fillings|pie filling|whipped topping|dessert topping|"
            "cream puff|cream puffs|granola bar|granola bars|breakfast bar|breakfast bars|cereal bar|"
            "hazelnut spread|fruit butters|sweet rolls|cinnamon buns|toaster pastries|cheese puffs|"
            "milk and|rice and|formulated bar|cereal wafer|light ice",
        ),
        (
            MIXED,
            "pot pie|egg rolls|egg roll|sandwich|sandwiches|burrito|burritos|pizza|lasagna|"
            "casserole|stew|chili con|chili with|macaroni and|spaghetti with|pasta with|and meatballs|"
            "with meatballs|meat sauce|and gravy|hamburger|cheeseburger|soup|soups|chowder|quiche|"
            "souffle|enchilada|enchiladas|tamales|tamale|chimichanga|fajita|nachos|dumplings|ravioli|"
            "tortellini|fried rice|chow mein|stir fry|meatloaf|meat loaf|beef hash|corned beef|"
            "pockets|corn dogs|corn dog|hot dog|potato salad|coleslaw|rice bowl|stuffed|entrees|"
            "side dishes|salad|tostada with|scrambled eggs|breakfast burrito|vegetarian stew|"
            "vegetarian meatloaf|stew soup",
        ),
        (
            NUT,
            "peanut butter|almond butter|cashew butter|sesame butter|peanut spread|coconut milk|"
            "coconut cream|coconut water|trail mix|mouse nuts",
        ),
        (
            FAT,
            "vegetable oil|butter oil|meat drippings|animal fat|margarine like|butter replacement|"
            "fish oil|oil flaxseed",
        ),
        (
            BEV,
            "juice|juices|nectar|drink|drinks|beverage|beverages|lemonade|limeade|smoothie|"
            "cocktail|cider|tea|coffee|eggnog flavor|shake|shakes|milk shakes|water with|"
            "carbonated|malted|cocoa mix|malt beverage",
        ),
        (
            VEG,
            "sweet potato|sweet potatoes|beans snap|snap beans|green beans|beans green|string beans|"
            "peas green|green peas|peas edible|beans sprouted|sprouted|mung beans|potato puffs|"
            "hash brown|french fried|onion rings|corn with|peas and|palm hearts|hearts of palm|"
            "tomato products|tomato sauce|swamp cabbage|beet greens|turnip greens|mustard greens|"
            "balsam pear|grape leaves|soybeans green|yardlong bean|winged bean",
        ),
        (
            LEGUME,
            "split peas|peas split|mature seeds|chickpea flour|soy flour|soy meal|veggie burgers|"
            "vegetarian fillets|chicken meatless|meatballs meatless|luncheon slices|fish sticks|"
            "frankfurter meatless|meatless|soyburger|bean beverage",
        ),
        (
            GRAIN,
            "wild rice|corn flour|corn bran|cornmeal|rice cake|bread crumbs|bread stuffing|"
            "cracker meal|french toast|taco shells|tostada shells|english muffins|wonton wrappers|"
            "vital wheat|corn grits|piki bread|tennis bread",
        ),
        (POULTRY, "turkey ham|turkey bacon|turkey and|turkey sausage|chicken roll|chicken spread"),
        (MEAT, "sea lion|game meat|frog legs|luncheon meat|liver cheese"),
    ]
)

# The first word of a SR-style name ("Beef, ...", "Soup, ...") says most of it.
_FIRST_WORD = _Lexicon.build(
    [
        (OTHER, OTHER_WORDS),
        (
            COND,
            "sauce|gravy|dressing|mayonnaise|catsup|ketchup|mustard|relish|vinegar|salt|spices|"
            "spice|seasoning|horseradish|salsa|capers|dip|adobo|basil|dill|rosemary|thyme|peppermint|"
            "spearmint|vanilla|pesto|chutney|wasabi",
        ),
        (MIXED, MIXED_WORDS),
        (BEV, BEV_WORDS),
        (SWEET, SWEET_WORDS),
        (EGGS, "egg|eggs"),
        (
            DAIRY,
            "milk|cheese|cheeses|yogurt|yogurts|cream|sour|buttermilk|kefir|whey|eggnog|dulce|"
            "parmesan|dairy|imitation|reddi|creamer",
        ),
        (FAT, FAT_WORDS + "|fat|fats|spread"),
        (NUT, NUT_WORDS),
        (LEGUME, LEGUME_WORDS),
        (SEAFOOD, FINFISH + "|" + SHELLFISH_WORDS + "|salmon|sea"),
        (POULTRY, POULTRY_WORDS + "|ground turkey|dove"),
        (
            MEAT,
            BEEF_PORK + "|barbecue|blood|dutch|honey|luxury|mother's|olive|peppered|picnic|pickle|"
            "polish|new|oven|roast|smoked|liver",
        ),
        (GRAIN, GRAIN_WORDS + "|wild|english|corn bran|keikitos|pan|tostada|taco"),
        (FRUIT, FRUIT_WORDS + "|java|mammy|rose|prickly|horned|custard|sugar|passion|plains"),
        (
            VEG,
            VEG_WORDS + "|sweet|balsam|beet|lambs|swamp|jew's|mountain|tree|hearts|palm|water|"
            "brussels|mixed|yardlong|winged|hyacinth|lima|stinging|prairie|sourdock",
        ),
    ]
)

# Any word anywhere: the fallback when neither head markers nor the first word decided.
_ANY_WORD = _Lexicon.build(
    [
        (OTHER, OTHER_WORDS),
        (DAIRY, DAIRY_ALT + "|sour cream|cream cheese|cottage cheese|half and|whipped cream"),
        (MIXED, MIXED_WORDS),
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


# ---------------------------------------------------------------------------------------------
# Tokens: every name split once into words; rules are lookups over the distinct words.
# ---------------------------------------------------------------------------------------------

_KEEP = set(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',\x01")
# All-caps words that are not brand names.
_ACRONYMS = frozenset({"USDA", "NFS", "UHT", "NLEA", "DHA", "II", "III", "IV", "OZ", "FL", "MSG", "RTE", "TV"})
_BYTE_TABLE = bytes(b if b in _KEEP else 32 for b in range(256))  # everything else splits words
_REWRITES = (
    (b"Soup Company", b"Company"),
    (b"Soup company", b"Company"),
    (b"without added salt", b"unsalted"),
    (b"without salt", b"unsalted"),
    (b",", b" , "),
    (b";", b" , "),
)


class _Tokens:
    """Words of many names, flattened: row, comma segment and position of every word.

    ``scope`` in the queries: ``"first"`` is the first word of a name, ``"head"`` the words before
    the first comma (phrases starting there), ``"any"`` every word.
    """

    def __init__(self, names: pd.Series) -> None:
        self.n = len(names)
        text = " \x01 ".join(names.fillna("").astype(str).tolist()).encode("utf-8", "replace")
        for old, new in _REWRITES:
            text = text.replace(old, new)
        flat = np.array(text.translate(_BYTE_TABLE).decode("ascii").split(), dtype=object)
        raw_codes, raw_vocab = pd.factorize(flat)
        # Case-sensitive words first (brands are ALL CAPS), then the lowercase vocabulary the rules use.
        lower_codes, vocab = pd.factorize(np.array([w.lower() for w in raw_vocab], dtype=object))
        codes = lower_codes[raw_codes]
        caps = np.array([w.isupper() and len(w.strip("'")) >= 2 and w not in _ACRONYMS for w in raw_vocab], dtype=bool)[
            raw_codes
        ]
        long_caps = caps & np.array([len(w) >= 3 for w in raw_vocab], dtype=bool)[raw_codes]
        index = {w: i for i, w in enumerate(vocab)}
        is_row = codes == index.get("\x01", -1)
        is_comma = codes == index.get(",", -1)
        rows = np.cumsum(is_row)
        commas = np.cumsum(is_comma)
        seg = commas - np.maximum.accumulate(np.where(is_row, commas, 0))
        word = ~(is_row | is_comma)
        codes, rows, seg = codes[word].astype(np.int64), rows[word], seg[word]
        caps, long_caps = caps[word], long_caps[word]
        starts = np.r_[True, rows[1:] != rows[:-1]] if len(rows) else np.zeros(0, dtype=bool)
        # Rows whose name starts with an ALL-CAPS brand ("KRAFT ...") or holds one anywhere.
        self.brand_first = np.zeros(self.n, dtype=bool)
        self.brand_first[rows[starts & caps]] = True
        self.branded = np.zeros(self.n, dtype=bool)
        self.branded[rows[long_caps]] = True
        # Drop the words negated by "without" in the same comma segment ("flakes without milk").
        idx = np.arange(len(codes))
        is_without = codes == index.get("without", -1)
        last = np.maximum.accumulate(np.where(is_without, idx, -1))
        safe = np.maximum(last, 0)
        negated = (last >= 0) & ~is_without & (rows[safe] == rows) & (seg[safe] == seg)
        self.codes, self.rows, self.seg = codes[~negated], rows[~negated], seg[~negated]
        self.vocab = index
        self.nvocab = max(len(vocab), 1)
        first_of_row = np.searchsorted(self.rows, np.arange(self.n))
        self.pos = np.arange(len(self.codes)) - first_of_row[self.rows]
        # Two-word phrases: each word with the next word of the same name.
        pair_at = np.flatnonzero(self.rows[:-1] == self.rows[1:])
        self.pair_at = pair_at
        self._has_next = np.zeros(len(self.codes), dtype=bool)
        self._has_next[self.pair_at] = True
        # Token indices grouped by word (CSR): the tokens of a word are one slice.
        self._by_code = np.argsort(self.codes, kind="stable")
        self._starts = np.concatenate([[0], np.cumsum(np.bincount(self.codes, minlength=self.nvocab))])
        self._cache: dict[tuple[frozenset[str], str, frozenset[str]], np.ndarray] = {}

    def _codes(self, terms: frozenset[str]) -> tuple[list[int], list[int]]:
        """Vocabulary codes of single-word terms and pair ids of two-word terms present here."""
        words, phrases = _split_terms(terms)
        get = self.vocab.get
        singles = [c for c in map(get, words) if c is not None]
        pairs = [ca * self.nvocab + cb for a, b in phrases if (ca := get(a)) is not None and (cb := get(b)) is not None]
        return singles, pairs

    def _tokens_of(self, codes: Iterable[int]) -> np.ndarray:
        """Indices of the tokens holding any of the vocabulary ``codes``."""
        starts, by_code = self._starts, self._by_code
        parts = [by_code[starts[c] : starts[c + 1]] for c in codes]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    def _hits(self, terms: frozenset[str], covering: bool = False) -> np.ndarray:
        """Indices of the tokens where a term starts (one word, or a two-word phrase).

        With ``covering``, the second word of a matched phrase is included too.
        """
        singles, pairs = self._codes(terms)
        hits = self._tokens_of(singles)
        if pairs:
            cand = self._tokens_of({p // self.nvocab for p in pairs})
            cand = cand[self._has_next[cand]]
            start = cand[np.isin(self.codes[cand] * self.nvocab + self.codes[cand + 1], pairs)]
            hits = np.concatenate([hits, start, start + 1] if covering else [hits, start])
        return hits

    def _in_scope(self, hits: np.ndarray, scope: str) -> np.ndarray:
        if scope == "first":
            return hits[self.pos[hits] == 0]
        if scope == "head":
            return hits[self.seg[hits] == 0]
        return hits

    def rank(self, lexicon: _Lexicon, scope: str = "any") -> np.ndarray:
        """Per name, the rank of the first lexicon rule hit (-1 for none)."""
        out = np.full(self.n, -1, dtype=np.int64)
        for rank in range(len(lexicon.by_rank) - 1, -1, -1):  # lower ranks written last win
            out[self.rows[self._in_scope(self._hits(lexicon.by_rank[rank]), scope)]] = rank
        return out

    def has(self, terms: frozenset[str], scope: str = "any", unless: frozenset[str] = frozenset()) -> np.ndarray:
        """Per name: does a term occur (in scope), not counting words covered by an ``unless`` phrase."""
        key = (terms, scope, unless)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        hits = self._in_scope(self._hits(terms), scope)
        if unless and len(hits):
            hits = hits[~np.isin(hits, self._hits(unless, covering=True))]
        out = np.zeros(self.n, dtype=bool)
        out[self.rows[hits]] = True
        self._cache[key] = out
        return out


@functools.cache
def _t(text: str) -> frozenset[str]:
    return _terms(text)


@functools.cache
def _split_terms(terms: frozenset[str]) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    words = tuple(t for t in terms if " " not in t)
    phrases = tuple(tuple(t.split(" ", 1)) for t in terms if " " in t)
    return words, phrases  # type: ignore[return-value]


# ---------------------------------------------------------------------------------------------
# Category, diet, allergens
# ---------------------------------------------------------------------------------------------

ANALOG = (
    "meatless|veggie|soyburger|soyburgers|chik|chik'n|turk'y|gardenburger|morningstar|worthington|"
    "loma|vegetarian fillets|vegetarian meatloaf|vegetarian stew|vegetable skallops|bacon bits"
)
NOT_MEAT = "coconut meat|cod liver|poultry seasoning|meat tenderizer|vegetarian|vegan|imitation bacon|imitation ham"
VEGAN_SWEETS = (
    "jams|jam|jellies|jelly|marmalade|preserves|sugar|sugars|syrups|syrup|molasses|fruit butters|"
    "apple butter|hard|gumdrops|jellybeans|sorbet|ice type|potato chips|tortilla chips|corn chips|"
    "pretzels|popcorn|rice cakes|rice cake|sweeteners|sweetener|fruit leather|banana chips|"
    "plantain chips|taro chips|vegetable chips|pita chips|bagel chips|cocoa|pie fillings|"
    "agave|maple|corn cakes|sesame crunch|trail mix"
)
VEGAN_SAUCES = (
    "salsa|marinara|pasta sauce|spaghetti sauce|tomato|hot|sriracha|chili sauce|pepper sauce|"
    "soy sauce|teriyaki|sweet and|tamari|plum sauce|hoisin|pico|pizza sauce|sofrito|enchilada sauce|"
    "vegetable broth|vegetarian|vegan|cocktail sauce"
)
_UNSURE_GROUPS = frozenset(
    {"Soups, Sauces, and Gravies", "Meals, Entrees, and Side Dishes", "Fast Foods", "Restaurant Foods"}
)
_SWEET_GROUPS = frozenset({"Sweets", "Snacks"})
_CAT = {c: i for i, c in enumerate(CATEGORIES)}


@dataclass
class _Names:
    """Name-derived classification, with the word masks later rules reuse."""

    category: np.ndarray
    diet: np.ndarray
    allergens: np.ndarray
    masks: dict[str, np.ndarray]


class _Groups:
    """USDA group of each name as small integer codes (fast membership tests)."""

    def __init__(self, groups: np.ndarray | None, n: int) -> None:
        self.known = groups is not None
        if groups is None:
            groups = np.full(n, UNGROUPED, dtype=object)
        self.codes, names = pd.factorize(groups)
        self.names = list(names)

    def is_(self, *groups: str) -> np.ndarray:
        wanted = [i for i, g in enumerate(self.names) if g in groups]
        return np.isin(self.codes, wanted)


def _category(tok: _Tokens, groups: _Groups) -> np.ndarray:
    """Category code per name: name rules, limited by the USDA group where it is known."""
    by_name = np.full(tok.n, _CAT[OTHER], dtype=np.int8)
    decided = np.zeros(tok.n, dtype=bool)
    for lexicon, scope in ((_HEAD_MARKERS, "head"), (_FIRST_WORD, "first"), (_ANY_WORD, "any")):
        rank = tok.rank(lexicon, scope)
        hit = (rank >= 0) & ~decided
        by_name[hit] = np.array([_CAT[label] for label in lexicon.labels], dtype=np.int8)[rank[hit]]
        decided |= hit
    # Meat analogues named after the meat they imitate ("Chicken, meatless").
    analog = tok.has(_t(ANALOG)) & np.isin(by_name, [_CAT[MEAT], _CAT[POULTRY], _CAT[SEAFOOD]])
    by_name[analog] = _CAT[LEGUME]
    allowed = np.ones((len(groups.names), len(CATEGORIES)), dtype=bool)
    default = np.full(len(groups.names), -1, dtype=np.int8)
    for j, group in enumerate(groups.names):
        if group in _GROUP_RULES:
            fallback, ok = _GROUP_RULES[group]
            allowed[j] = [c in ok for c in CATEGORIES]
            default[j] = _CAT[fallback]
    keep = (allowed[groups.codes, by_name] & decided) | (default[groups.codes] < 0)
    return np.where(keep, by_name, default[groups.codes]).astype(np.int8)


def _classify(tok: _Tokens, groups: _Groups, brand: np.ndarray) -> _Names:
    n = tok.n
    category = _category(tok, groups)
    cat = {c: category == _CAT[c] for c in CATEGORIES}
    grp = groups.is_
    dairy_alt = tok.has(_t(DAIRY_ALT))
    not_animal = tok.has(_t(ANALOG + "|vegetarian|vegan|imitation bacon|imitation ham|fish sticks meatless"))
    not_animal |= grp("Legumes and Legume Products") & brand
    analog = (tok.has(_t(ANALOG)) | (grp("Legumes and Legume Products") & brand)) & ~tok.has(_t("vegan"))
    shell_words = tok.has(_t(SHELLFISH_WORDS), unless=_t(NOT_ANIMAL)) & ~not_animal
    fish_words = tok.has(_t(FINFISH), unless=_t(NOT_ANIMAL)) & ~not_animal
    meat_words = tok.has(_t(BEEF_PORK + "|" + POULTRY_WORDS + "|mini wheats|gummy|gummies"), unless=_t(NOT_MEAT))
    meat_words &= ~not_animal
    baked = tok.has(
        _t(BAKED_WORDS),
        unless=_t("english muffins|english muffin|rice cake|rice cakes|corn cakes|pie mix|pie fillings|pie filling"),
    )
    milk = tok.has(_t(MILK_WORDS), unless=_t(NOT_MILK)) | baked | (cat[DAIRY] & ~dairy_alt)
    egg = tok.has(_t(EGG_WORDS), unless=_t("egg free|eggless")) | baked | cat[EGGS]
    honey = tok.has(_t(HONEY_WORDS))

    # Diet: the highest level any evidence demands.
    level = np.zeros(n, dtype=np.int8)
    vegetarian = milk | egg | honey | analog | grp("Dairy and Egg Products")
    vegetarian |= grp(*_SWEET_GROUPS) & ~tok.has(_t(VEGAN_SWEETS))
    unsure = grp(*_UNSURE_GROUPS) if groups.known else cat[MIXED]
    unsure &= ~tok.has(_t(VEGAN_SAUCES))
    vegetarian |= unsure | tok.has(_t("beer|ale|wine|liqueur|alcoholic|stout|porter"))
    level[vegetarian] = 1
    level[(fish_words | shell_words | (cat[SEAFOOD] & ~not_animal))] = 2
    level[(meat_words | ((cat[MEAT] | cat[POULTRY]) & ~not_animal))] = 3
    diet = np.array(DIETS, dtype=object)[level]

    # Allergens: conservative, a recipe type that usually holds one counts.
    nuts_cancel = _t("water chestnuts|grape nuts|acorn squash|winter acorn|nutmeg|butternut squash|doughnut")
    gluten = tok.has(_t(GLUTEN_WORDS), unless=_t(GLUTEN_FREE_MARKERS))
    gluten |= tok.has(_t("roll|rolls|bun|buns|crust|dough|crisp|cereal|cereals")) & (
        cat[GRAIN] | cat[SWEET] | cat[MIXED]
    )
    gluten |= cat[GRAIN] & tok.has(_t("eat|granola|muesli|flakes|puffs"))
    gluten |= cat[MIXED] & tok.has(_t("cream|creamy|chowder|bisque|noodle|noodles"))
    gluten |= baked
    gluten &= ~tok.has(_t("gluten free"))
    corn_only = (
        tok.has(_t("tortilla|tortillas|taco|tostada|shells"))
        & tok.has(_t("corn"))
        & ~tok.has(_t("wheat|flour|bread|bun|breaded|batter|sandwich|pizza|burrito|burritos"))
    )
    gluten &= ~corn_only
    masks = {
        "milk": milk,
        "egg": egg,
        "fish": fish_words | (cat[SEAFOOD] & ~shell_words & ~not_animal),
        "shellfish": shell_words,
        "tree_nuts": tok.has(_t(TREE_NUT_WORDS), unless=nuts_cancel),
        "peanuts": tok.has(_t(PEANUT_WORDS)),
        "gluten": gluten,
        "soy": tok.has(_t(SOY_WORDS), unless=_t("non soy")) | (dairy_alt & tok.has(_t("soy|soymilk|tofu"))),
        "sesame": tok.has(_t(SESAME_WORDS)),
    }
    joined = np.full(n, "", dtype=object)
    for tag in ALLERGENS:
        joined = joined + np.where(masks[tag], tag + ";", "")
    allergens = np.array([a[:-1] for a in joined.tolist()], dtype=object)
    masks.update(dairy_alt=dairy_alt, analog=analog, honey=honey, baked=baked)
    return _Names(np.array(CATEGORIES, dtype=object)[category], diet, allergens, masks)


def classify_names(names: pd.Series, usda_groups: pd.Series | None = None) -> pd.DataFrame:
    """Category, diet and allergen tags of foods from their names (and USDA groups when known).

    The same name rules ``curate`` uses, for tables whose foods lack tag columns.

    Args:
        names: Food names, e.g. "Beans, black, mature seeds, cooked, boiled, without salt".
        usda_groups: USDA food group names aligned with ``names`` (``food_data.groups``); None or
            missing values classify by name alone.

    Returns:
        A DataFrame indexed like ``names`` with columns ``category`` (one of
        ``food_data.vocab.CATEGORIES``), ``diet`` (one of ``DIETS``) and ``allergens``
        (";"-joined ``ALLERGENS`` tags, "" for none).
    """
    tok = _Tokens(names)
    groups = None
    if usda_groups is not None:
        groups = usda_groups.reindex(names.index).fillna(UNGROUPED).astype(str).to_numpy(dtype=object)
    result = _classify(tok, _Groups(groups, len(names)), tok.brand_first)
    return pd.DataFrame(
        {"category": result.category, "diet": result.diet, "allergens": result.allergens}, index=names.index
    )


# ---------------------------------------------------------------------------------------------
# As eaten
# ---------------------------------------------------------------------------------------------

# Forms nobody eats as such, unless the name says it was prepared.
RAW_FORMS = (
    "dehydrated|powder|powdered|dry mix|mix dry|dry form|concentrate|concentrated|condensed|undiluted|"
    "unprepared|freeze dried|dough|unbaked|ready to bake|not reconstituted|flour|flours|starch|"
    "cornstarch|leavening|yeast|wrappers|crust|phyllo|puff pastry|evaporated|unheated mix|"
    "bran raw|germ|crude|meal|masa|semolina|gluten vital|vital wheat|instant dry|granules|"
    "separable fat|batter|ready to cook|frozen mixture|stabilized|baking chocolate|extract|instant|"
    "as purchased|par fried"
)
RAW_GRAINS = (
    "wheat|barley|rye|spelt|millet|quinoa|buckwheat|amaranth|teff|sorghum|oats|oat|rice|wild|bulgur|"
    "couscous|kamut|triticale|corn|hominy|semolina|cornmeal|macaroni|spaghetti|noodles|pasta|vermicelli|"
    "tapioca|arrowroot"
)
PREPARED = (
    "prepared|reconstituted|diluted|cooked|boiled|baked|stewed|made with|"
    "equal volume|ready to serve|ready to drink|microwaved|roasted|fried|toasted|heated|braised|"
    "simmered|steamed|scrambled|poached"
)
# Vegetables and fruit that are cooked before eating (raw: not as eaten).
COOK_FIRST = (
    "potato|potatoes|sweet potato|yam|yams|taro|cassava|eggplant|artichoke|artichokes|squash winter|"
    "winter|pumpkin|okra|lima|soybeans|cowpeas|hyacinth|lotus|arrowhead|burdock|yautia|bamboo|"
    "pokeberry|fiddlehead|plantains|breadfruit|rhubarb|kidney|navy|pinto|winged|yardlong|broadbeans|"
    "fava|taro leaves|leaves|mountain yam|cardoon|salsify|amaranth|jute|drumstick|sesbania|"
    "butterbur|chrysanthemum|borage|dock|lambsquarters|pigeonpeas|mung beans mature|nopales|"
    "grape leaves|poi|pepeao|tree fern|beans|chayote|kale scotch|collards|celtuce|balsam|"
    "gourd|waxgourd|pumpkin flowers|squash summer flowers|catsup"
)
SUPPLEMENTS = (
    "protein supplement|protein powder|nutritional supplement|meal supplement|ensure|formulated bar|"
    "incaparina|fluid replacement|electrolyte|pedialyte|protein isolate|protein concentrate|"
    "whey protein|fish oil|cod liver|water with|rennin|meal replacement|instant breakfast|"
    "shake mix|dietary supplement|slim fast|vitamin water|polydextrose|pectin|gelatins dry|"
    "gelatin dry|muscle milk|glucerna|boost|carnation instant|orange breakfast drink|breakfast type"
)
COOKING_FATS = (
    "industrial|shortening|lard|tallow|suet|animal fat|drippings|bacon grease|chicken fat|duck fat|"
    "goose fat|turkey fat|fat beef|fat chicken|fat duck|fat goose|fat turkey|fat mutton|"
    "margarine like shortening|butter oil|anhydrous|ghee|cocoa butter|oil industrial|"
    "frying|confectionery|cake mix|household"
)
SPICES = "spices|seasoning|salt|extract|bouillon|leavening|baking|vanilla|sweeteners tabletop|cream of tartar"


def _as_eaten(tok: _Tokens, cat: dict[str, np.ndarray], groups: _Groups, brand: np.ndarray) -> np.ndarray:
    prepared = tok.has(_t(PREPARED), unless=_t("not reconstituted|unprepared"))
    raw_word = tok.has(_t("raw|uncooked|ready to cook"))
    fruit_nut_sweet = cat[FRUIT] | cat[NUT] | cat[SWEET]
    not_eaten = tok.has(_t(RAW_FORMS)) & ~prepared
    not_eaten |= tok.has(_t("not reconstituted|unprepared|undiluted|frozen concentrate|separable fat|dry form"))
    dry_scope = cat[GRAIN] | cat[LEGUME] | cat[MIXED] | cat[BEV] | cat[DAIRY] | cat[EGGS] | cat[SWEET] | cat[COND]
    dry = tok.has(_t("dry|dried|dehydrated"), unless=_t("dry roasted|dry curd|dry heat|eat|dry white|sun dried"))
    not_eaten |= dry & dry_scope & ~prepared & ~tok.has(_t("to eat|fruit|fruits|raisins|cereals ready"))
    # Grains named without a preparation ("Wheat, soft white", "Barley, pearled") are the dry grain.
    not_eaten |= (
        cat[GRAIN]
        & tok.has(_t(RAW_GRAINS), scope="first")
        & ~prepared
        & ~tok.has(_t("puffed|popped|flakes|crispy|bread|cakes|cake|noodles|canned|to eat"))
    )
    dried = tok.has(_t("dried|dehydrated|freeze dried"), unless=_t("sun dried"))
    not_eaten |= dried & ~fruit_nut_sweet & ~cat[MEAT] & ~prepared
    animal = cat[MEAT] | cat[POULTRY] | cat[SEAFOOD] | cat[EGGS]
    not_eaten |= animal & raw_word
    not_eaten |= (cat[GRAIN] | cat[LEGUME]) & raw_word & ~tok.has(_t("tofu|okara|natto|tempeh|sprouted|hummus"))
    not_eaten |= cat[VEG] & tok.has(_t("raw")) & tok.has(_t(COOK_FIRST))
    not_eaten |= tok.has(_t(SUPPLEMENTS)) | tok.has(_t(COOKING_FATS))
    not_eaten |= _spice_rows(tok, groups)
    not_eaten |= groups.is_("Baby Foods", "Fast Foods", "Restaurant Foods") | cat[OTHER] | brand
    not_eaten |= tok.has(_t("babyfood|babyfoods|baby food|infant|toddler|formula|fast foods|restaurant"))
    return ~not_eaten


def _spice_rows(tok: _Tokens, groups: _Groups) -> np.ndarray:
    """Spices, salt, extracts and baking agents: ingredients, never a food of their own."""
    spice_group = groups.is_("Spices and Herbs") & ~tok.has(
        _t("vinegar|mustard|horseradish|capers|fresh|basil|dill|rosemary|thyme|peppermint|spearmint")
    )
    return spice_group | tok.has(_t(SPICES), scope="first") | tok.has(_t("cream of tartar|baking soda"))


# ---------------------------------------------------------------------------------------------
# Servings, maxima, slots
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Kind:
    """How a kind of food is served: a gram range a serving must fall in, the target size, the
    fallback serving, the daily maximum, preferred household units, and the meal slots."""

    lo: float
    hi: float
    target: float
    default: tuple[str, float]
    max_g: float
    prefs: dict[str, float]
    slots: str


_EACH = {"medium": 10, "large": 7, "small": 7, "extra": 5, "fruit": 9, "each": 8, "whole": 8}
_KINDS: dict[str, _Kind] = {
    "spice": _Kind(0.5, 10, 2, ("1 tsp", 2), 5, {"tsp": 10, "tbsp": 6}, "breakfast;lunch;dinner;snack"),
    "condiment": _Kind(
        4,
        40,
        15,
        ("1 tbsp", 15),
        30,
        {"tbsp": 10, "tsp": 6, "packet": 8, "serving": 5},
        "breakfast;lunch;dinner;snack",
    ),
    "salty_condiment": _Kind(
        4, 20, 16, ("1 tbsp", 16), 20, {"tbsp": 10, "tsp": 7, "packet": 8}, "breakfast;lunch;dinner;snack"
    ),
    "sauce": _Kind(30, 140, 65, ("60 g", 60), 250, {"cup": 10, "tbsp": 4, "serving": 8}, "lunch;dinner"),
    # Oils and spreads go into or onto meals: a snack of almonds and margarine is not one.
    "oil": _Kind(4, 16, 13.5, ("1 tbsp", 13.6), 30, {"tbsp": 10, "tsp": 6}, "breakfast;lunch;dinner"),
    "spread_fat": _Kind(4, 16, 14, ("1 tbsp", 14), 30, {"tbsp": 10, "pat": 8, "tsp": 6}, "breakfast;lunch;dinner"),
    "dressing": _Kind(10, 35, 30, ("2 tbsp", 30), 60, {"tbsp": 10, "serving": 6, "packet": 7}, "lunch;dinner"),
    "nut_butter": _Kind(15, 40, 32, ("2 tbsp", 32), 64, {"tbsp": 10, "serving": 6}, "breakfast;lunch;snack"),
    "nuts": _Kind(14, 45, 28, ("1 oz", 28.35), 60, {"oz": 10, "serving": 6, "package": 4}, "breakfast;snack"),
    "milk": _Kind(
        150,
        300,
        244,
        ("1 cup", 244),
        750,
        {"cup": 10, "fl oz": 6, "serving": 5, "container": 4},
        "breakfast;lunch;dinner;snack",
    ),
    "yogurt": _Kind(100, 250, 170, ("170 g", 170), 500, {"container": 10, "cup": 9, "serving": 6}, "breakfast;snack"),
    "cheese": _Kind(
        15,
        60,
        28,
        ("1 oz", 28.35),
        80,
        {"oz": 10, "slice": 9, "cubic": 4, "serving": 6},
        "breakfast;lunch;dinner;snack",
    ),
    "soft_cheese": _Kind(
        60,
        250,
        113,
        ("0.5 cup", 113),
        300,
        {"cup": 10, "serving": 6, "container": 5},
        "breakfast;lunch;snack",
    ),
    "cream": _Kind(
        5,
        35,
        15,
        ("1 tbsp", 15),
        60,
        {"tbsp": 10, "fl oz": 6, "tsp": 5, "serving": 5},
        "breakfast;lunch;dinner;snack",
    ),
    "egg": _Kind(
        30,
        150,
        50,
        ("1 large", 50),
        200,
        {**_EACH, "large": 10, "medium": 8, "cup": 2},
        "breakfast;lunch;dinner",
    ),
    "meat": _Kind(
        60,
        200,
        85,
        ("3 oz", 85),
        250,
        {
            "oz": 10,
            "fillet": 8,
            "breast": 7,
            "chop": 8,
            "thigh": 6,
            "drumstick": 6,
            "patty": 8,
            "steak": 5,
            "piece": 5,
            "serving": 5,
            "cup": 4,
            "can": 5,
            "wing": 4,
            "leg": 5,
        },
        "lunch;dinner",
    ),
    "organ": _Kind(30, 100, 60, ("2 oz", 56.7), 100, {"oz": 10, "slice": 8, "piece": 5}, "lunch;dinner"),
    "deli": _Kind(
        8,
        120,
        45,
        ("2 oz", 56.7),
        150,
        {
            "slice": 9,
            "oz": 8,
            "link": 9,
            "frankfurter": 9,
            "sausage": 9,
            "patty": 9,
            "serving": 7,
            "piece": 6,
            "strip": 7,
            "frank": 9,
            "wiener": 9,
        },
        "breakfast;lunch;dinner",
    ),
    "legume": _Kind(60, 260, 100, ("0.5 cup", 90), 350, {"cup": 10, "serving": 6}, "lunch;dinner"),
    "tofu": _Kind(
        60,
        200,
        100,
        ("100 g", 100),
        300,
        {"cup": 9, "block": 6, "slice": 8, "piece": 7, "oz": 7},
        "lunch;dinner",
    ),
    "dip": _Kind(15, 70, 30, ("2 tbsp", 30), 120, {"tbsp": 10, "serving": 7, "cup": 3}, "lunch;snack"),
    "fruit": _Kind(
        40,
        300,
        130,
        ("100 g", 100),
        400,
        {**_EACH, "cup": 8, "serving": 5, "slice": 5, "wedge": 7, "pieces": 4, "nlea": 5},
        "breakfast;lunch;dinner;snack",
    ),
    "dried_fruit": _Kind(
        15,
        60,
        40,
        ("40 g", 40),
        80,
        {"oz": 8, "box": 8, "serving": 7, "pieces": 5, "cup": 4, "date": 6, "fig": 6, "prune": 6},
        "breakfast;snack",
    ),
    "juice": _Kind(
        150,
        300,
        240,
        ("1 cup", 240),
        350,
        {"cup": 10, "fl oz": 7, "serving": 6, "can": 3},
        "breakfast;lunch;dinner;snack",
    ),
    "drink": _Kind(
        150,
        400,
        240,
        ("1 cup", 240),
        750,
        {"cup": 10, "fl oz": 7, "serving": 6, "can": 6, "bottle": 4, "mug": 8},
        "breakfast;lunch;dinner;snack",
    ),
    "water": _Kind(
        150,
        400,
        240,
        ("1 cup", 237),
        2000,
        {"cup": 10, "fl oz": 7, "bottle": 5},
        "breakfast;lunch;dinner;snack",
    ),
    "bread": _Kind(
        20,
        120,
        35,
        ("1 slice", 30),
        200,
        {
            "slice": 10,
            "medium": 8,
            "bagel": 9,
            "muffin": 9,
            "roll": 9,
            "tortilla": 9,
            "pita": 9,
            "piece": 6,
            "biscuit": 9,
            "croissant": 9,
            "oz": 4,
            "each": 8,
            "serving": 5,
            "small": 6,
            "large": 6,
            "pancake": 9,
            "waffle": 9,
            "shell": 8,
        },
        "breakfast;lunch;dinner",
    ),
    "cereal": _Kind(
        15, 70, 35, ("1 oz", 28.35), 90, {"cup": 10, "serving": 8, "oz": 7, "packet": 7}, "breakfast;snack"
    ),
    "hot_cereal": _Kind(120, 300, 234, ("1 cup", 234), 500, {"cup": 10, "packet": 7, "serving": 7}, "breakfast"),
    "cooked_grain": _Kind(80, 250, 160, ("1 cup", 160), 400, {"cup": 10, "serving": 6}, "lunch;dinner"),
    "crackers": _Kind(
        10,
        60,
        28,
        ("1 oz", 28.35),
        80,
        {"oz": 9, "serving": 8, "cracker": 5, "cake": 6, "piece": 5, "cup": 3, "package": 4},
        "lunch;snack",
    ),
    "baked_sweet": _Kind(
        15,
        150,
        55,
        ("1 piece", 60),
        150,
        {
            "piece": 9,
            "slice": 9,
            "cookie": 8,
            "muffin": 9,
            "doughnut": 9,
            "pastry": 9,
            "serving": 7,
            "oz": 4,
            "bar": 8,
            "medium": 7,
            "each": 7,
            "brownie": 9,
            "pie": 3,
            "cake": 5,
            "small": 6,
            "large": 6,
            "eclair": 9,
        },
        "snack",
    ),
    "candy": _Kind(
        10,
        60,
        30,
        ("1 oz", 28.35),
        50,
        {"oz": 9, "bar": 9, "serving": 7, "piece": 4, "package": 5, "pieces": 5},
        "snack",
    ),
    "dessert": _Kind(
        50,
        200,
        100,
        ("100 g", 100),
        250,
        {"cup": 10, "serving": 8, "bar": 8, "container": 8, "cone": 8, "sandwich": 8, "piece": 6, "each": 6},
        "snack",
    ),
    "sweetener": _Kind(
        4, 25, 20, ("1 tbsp", 20), 40, {"tbsp": 10, "tsp": 7, "packet": 8, "serving": 6}, "breakfast;snack"
    ),
    "veg": _Kind(
        20,
        250,
        100,
        ("80 g", 80),
        400,
        {
            **_EACH,
            "cup": 9,
            "potato": 9,
            "ear": 9,
            "spear": 4,
            "stalk": 6,
            "nlea": 5,
            "serving": 6,
            "pepper": 9,
            "carrot": 9,
            "tomato": 9,
            "onion": 9,
            "slice": 3,
            "leaf": 2,
            "oz": 1,
            "piece": 4,
            "head": 1,
        },
        "lunch;dinner",
    ),
    "mixed": _Kind(
        120,
        450,
        250,
        ("250 g", 250),
        600,
        {
            "cup": 10,
            "serving": 9,
            "piece": 8,
            "slice": 8,
            "sandwich": 9,
            "burrito": 9,
            "item": 7,
            "each": 7,
            "container": 6,
            "package": 4,
            "bowl": 8,
        },
        "lunch;dinner",
    ),
    "snack_food": _Kind(
        10,
        60,
        28,
        ("1 oz", 28.35),
        60,
        {"oz": 10, "serving": 8, "cup": 6, "bar": 8, "package": 5, "piece": 4},
        "snack",
    ),
    "other": _Kind(1, 500, 100, ("100 g", 100), 100, {"serving": 5}, ""),
}


def _kinds(tok: _Tokens, names: _Names, groups: _Groups, energy: np.ndarray) -> np.ndarray:
    """The serving kind of each food (key of ``_KINDS``), by category and words."""
    cat = {c: names.category == c for c in CATEGORIES}
    has = tok.has
    t = _t
    drinkable = has(t("juice|juices|nectar|drink|beverage|beverages|lemonade|limeade|punch|cider|smoothie"))
    rules: list[tuple[np.ndarray, str]] = [
        (cat[OTHER], "other"),
        (cat[COND] & _spice_rows(tok, groups), "spice"),
        (
            cat[COND]
            & has(
                t(
                    "soy sauce|tamari|shoyu|fish sauce|hot sauce|pepper sauce|wasabi|"
                    "horseradish|vinegar|capers|worcestershire|sriracha"
                )
            ),
            "salty_condiment",
        ),
        (cat[COND] & has(t("dressing|mayonnaise|mayo|dressings")), "dressing"),
        (
            (cat[COND] | cat[VEG] | cat[MIXED])
            & has(t("pasta sauce|spaghetti sauce|marinara|tomato sauce|sauce tomato|gravy|sauce pasta|alfredo|pesto")),
            "sauce",
        ),
        (cat[COND], "condiment"),
        (cat[FAT] & has(t("butter|margarine|spread|margarines|like")), "spread_fat"),
        (cat[FAT] & has(t("dressing|mayonnaise|mayo")), "dressing"),
        (cat[FAT], "oil"),
        (cat[NUT] & has(t("butter|paste|spread|tahini")), "nut_butter"),
        (cat[NUT] & has(t("milk|water|cream")), "milk"),
        (cat[NUT] & has(t("flour|meal")), "other"),
        (cat[NUT], "nuts"),
        (cat[DAIRY] & has(t("yogurt|yogurts|kefir")) & ~has(t("drink|beverage")), "yogurt"),
        (cat[DAIRY] & has(t("cottage|ricotta")), "soft_cheese"),
        (
            cat[DAIRY] & has(t("cheese|cheeses|parmesan|imitation cheese|curd")) & ~has(t("cream cheese")),
            "cheese",
        ),
        (
            cat[DAIRY] & has(t("cream|creamer|substitute|topping|whipped|half|sour|dulce|cream cheese|creamed")),
            "cream",
        ),
        (cat[DAIRY], "milk"),
        (cat[EGGS], "egg"),
        (
            (cat[MEAT] | cat[POULTRY])
            & has(
                t(
                    "liver|kidneys|giblets|heart|brain|brains|tongue|sweetbreads|"
                    "spleen|lungs|tripe|pancreas|thymus|pate|liverwurst|"
                    "braunschweiger"
                )
            ),
            "organ",
        ),
        (
            (cat[MEAT] | cat[POULTRY])
            & (
                groups.is_("Sausages and Luncheon Meats")
                | has(
                    t(
                        "bacon|sausage|sausages|frankfurter|frankfurters|bologna|salami|luncheon|ham sliced|"
                        "pepperoni|franks|wieners|jerky|deli|sliced|bratwurst|kielbasa|chorizo|links|link"
                    )
                )
            ),
            "deli",
        ),
        (cat[MEAT] | cat[POULTRY] | cat[SEAFOOD], "meat"),
        (cat[LEGUME] & has(t("hummus|dip|spread|miso|paste")), "dip"),
        (cat[LEGUME] & has(t("tofu|tempeh|natto|okara|yuba")), "tofu"),
        (cat[LEGUME] & has(t("soymilk|milk|drink|beverage")), "milk"),
        (
            cat[LEGUME] & has(t("peanut|peanuts|soy nuts|roasted")) & has(t("roasted|dry|salted|peanuts")),
            "nuts",
        ),
        (cat[LEGUME], "legume"),
        (cat[BEV] & has(t("water")) & ~has(t("coconut|with|flavored|tonic")) & (energy < 5), "water"),
        (cat[BEV] & has(t("juice|juices|nectar")), "juice"),
        (cat[BEV], "drink"),
        (cat[FRUIT] & drinkable, "juice"),
        (
            cat[FRUIT]
            & has(t("dried|dehydrated|raisins|prunes|dates|candied|leather|chips"))
            & ~has(t("stewed|cooked")),
            "dried_fruit",
        ),
        (cat[FRUIT] & has(t("sauce|applesauce|relish")), "sauce"),
        (cat[FRUIT], "fruit"),
        (cat[VEG] & drinkable, "juice"),
        (cat[VEG] & has(t("catsup|ketchup|relish|pickle relish|salsa|wasabi|horseradish")), "condiment"),
        (cat[VEG] & has(t("tomato products|sauce|puree|paste")), "sauce"),
        (cat[VEG] & has(t("chips|sticks")) & has(t("snack|snacks")), "snack_food"),
        (cat[VEG], "veg"),
        (
            cat[GRAIN] & has(t("eat|granola|muesli|puffed|flakes|crispy|crisp")) & ~has(t("cooked|prepared")),
            "cereal",
        ),
        (
            cat[GRAIN]
            & has(t("cereals|cereal|oatmeal|oats|grits|farina|porridge|cream of|mush|wheatena"))
            & has(t("cooked|prepared")),
            "hot_cereal",
        ),
        (
            cat[GRAIN]
            & has(
                t(
                    "crackers|cracker|rice cake|rice cakes|pretzels|melba|matzo|crispbread|"
                    "chips|croutons|popcorn|breadsticks|papad|wafers|puffed|zwieback"
                )
            ),
            "crackers",
        ),
        (
            cat[GRAIN]
            & has(
                t(
                    "bread|breads|bagel|bagels|biscuit|biscuits|roll|rolls|bun|buns|muffins|"
                    "muffin|tortilla|tortillas|pita|croissant|croissants|pancakes|pancake|"
                    "waffle|waffles|toast|taco shells|tostada|frybread|focaccia|popovers|"
                    "english|piki|scone|chapati|naan|shells"
                )
            ),
            "bread",
        ),
        (cat[GRAIN], "cooked_grain"),
        (
            cat[SWEET]
            & has(
                t(
                    "jams|jam|jellies|jelly|marmalade|preserves|syrup|syrups|sugar|sugars|honey|"
                    "molasses|sweeteners|sweetener|fruit butters|apple butter|topping|toppings|"
                    "frosting|frostings|spread"
                )
            ),
            "sweetener",
        ),
        (
            cat[SWEET]
            & has(
                t(
                    "ice cream|ice creams|frozen|pudding|puddings|custard|custards|flan|gelatin|"
                    "sherbet|sorbet|mousse|dessert|desserts|yogurt|yogurts|pie fillings|novelties"
                )
            ),
            "dessert",
        ),
        (cat[SWEET] & has(t(BAKED_WORDS + "|toaster|breakfast bar|granola bar|granola bars")), "baked_sweet"),
        (
            cat[SWEET]
            & has(
                t("chips|popcorn|pretzels|snacks|snack|crisps|puffs|trail mix|bar|bars|rice cake|rice cakes|pork skins")
            ),
            "snack_food",
        ),
        (cat[SWEET], "candy"),
        (cat[MIXED], "mixed"),
    ]
    kind = np.full(tok.n, "other", dtype=object)
    done = np.zeros(tok.n, dtype=bool)
    for mask, name in rules:
        new = mask & ~done
        kind[new] = name
        done |= new
    return kind


_UNIT_SYNONYMS = {
    "tablespoon": "tbsp",
    "tablespoons": "tbsp",
    "tbs": "tbsp",
    "teaspoon": "tsp",
    "teaspoons": "tsp",
    "cups": "cup",
    "slices": "slice",
    "pieces": "piece",
    "ounce": "oz",
    "ounces": "oz",
    "nlea": "serving",
    "servings": "serving",
    "links": "link",
    "patties": "patty",
    "fillets": "fillet",
    "strips": "strip",
    "fruits": "fruit",
    "halves": "half",
    "crackers": "cracker",
    "cookies": "cookie",
    "cakes": "cake",
    "wafers": "wafer",
    "bars": "bar",
    "containers": "container",
    "packets": "packet",
    "spears": "spear",
}
_MULTIPLES = {
    "tbsp": "tbsp",
    "tsp": "tsp",
    "oz": "oz",
    "slice": "slices",
    "cracker": "crackers",
    "cookie": "cookies",
    "piece": "pieces",
    "link": "links",
    "strip": "strips",
    "pat": "pats",
    "half": "halves",
    "cake": "cakes",
    "wafer": "wafers",
    "spear": "spears",
    "date": "dates",
    "fig": "figs",
    "prune": "prunes",
}
_SIZE_BONUS = (("medium", 1.0), ("extra", -1.0), ("mini", -1.0), ("jumbo", -1.0))


_MEASURE_RE = re.compile(r"^(?:(\d+(?:\.\d+)?)\s+)?(.*)$")
_PAREN_RE = re.compile(r"\s*\([^)]*\)?")
_WORD_RE = re.compile(r"[A-Za-z]+")


def _parse_measure(text: str) -> tuple[str, str, float, bool, str]:
    """Unit, display name, size bonus, single (no amount), and the text after the unit word."""
    amount, rest = _MEASURE_RE.match(text).groups()  # type: ignore[union-attr]
    clean = " ".join(_PAREN_RE.sub("", rest).split()).strip(" ,")
    if clean.startswith("NLEA serving"):
        clean = "serving" + clean[len("NLEA serving") :]
    lower = clean.lower()
    first = _WORD_RE.match(lower)
    unit = first.group(0) if first else ""
    tail = clean[first.end() :] if first else clean
    if unit in ("fl", "fluid") and lower.startswith(("fl oz", "fluid oz", "fluid ounce")):
        unit, tail = "fl oz", tail.split("oz", 1)[-1].split("ounce", 1)[-1]
    unit = _UNIT_SYNONYMS.get(unit, unit)
    bonus = next((value for word, value in _SIZE_BONUS if word in lower), 0.0)
    name = f"1 {clean}" if amount is None else f"{float(amount):g} {clean}"
    return unit, name, bonus, amount is None, tail


def _servings(measures: pd.DataFrame, food_ids: pd.Index, kind: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Best household serving per food: in the kind's gram range, preferred unit, near the target.

    Candidates are the food's measures, 2x and 3x countable units ("2 tbsp", "3 oz") and half cups.
    """
    kind_names = list(_KINDS)
    kinds = [_KINDS[k] for k in kind_names]
    food_kind = pd.Index(kind_names).get_indexer(kind)
    default_name = np.array([k.default[0] for k in kinds], dtype=object)[food_kind]
    default_g = np.array([k.default[1] for k in kinds])[food_kind]
    food_pos = pd.Index(food_ids).get_indexer(measures["id"])
    grams = pd.to_numeric(measures["grams"], errors="coerce").to_numpy(dtype=float)
    usable = (food_pos >= 0) & (grams > 0)
    if not usable.any():
        return default_name, default_g
    food_pos, grams = food_pos[usable], grams[usable]
    text_code, texts = pd.factorize(measures["measure"].astype(str).to_numpy()[usable])
    parsed = [_parse_measure(t) for t in texts]
    units = sorted({u for k in kinds for u in k.prefs})
    unit_index = {u: i for i, u in enumerate(units)}
    t_unit = np.array([unit_index.get(p[0], len(units)) for p in parsed], dtype=np.int64)[text_code]
    t_bonus = np.array([p[2] for p in parsed])[text_code]
    t_single = np.array([p[3] for p in parsed], dtype=bool)[text_code]
    t_multi = np.array([p[0] in _MULTIPLES for p in parsed], dtype=bool)[text_code]
    t_cup = np.array([p[0] == "cup" for p in parsed], dtype=bool)[text_code]
    # Variants: 1 = as listed, 2 and 3 = multiples, 0.5 = half a cup.
    parts = [(np.arange(len(grams)), 1.0, 0.0)]
    for count in (2.0, 3.0):
        parts.append((np.flatnonzero(t_single & t_multi), count, 0.4 * (count - 1)))
    parts.append((np.flatnonzero(t_single & t_cup), 0.5, 0.4))
    row = np.concatenate([p[0] for p in parts])
    factor = np.concatenate([np.full(len(p[0]), p[1]) for p in parts])
    penalty = np.concatenate([np.full(len(p[0]), p[2]) for p in parts])
    food, g = food_pos[row], grams[row] * factor
    code = food_kind[food]
    lo = np.array([k.lo for k in kinds])[code]
    hi = np.array([k.hi for k in kinds])[code]
    target = np.array([k.target for k in kinds])[code]
    prefs = np.full((len(kinds), len(units) + 1), -3.0)
    for i, k in enumerate(kinds):
        for u, v in k.prefs.items():
            prefs[i, unit_index[u]] = v
    score = prefs[code, t_unit[row]] + t_bonus[row] - penalty - 3.0 * np.abs(np.log(g / target))
    ok = (g >= lo) & (g <= hi)
    row, food, g, score, factor = row[ok], food[ok], g[ok], score[ok], factor[ok]
    order = np.lexsort((-score, food))
    first = order[np.r_[True, food[order][1:] != food[order][:-1]]] if len(order) else order
    name = default_name.copy()
    out_g = default_g.astype(float).copy()
    for i in first.tolist():  # one winner per food with a measure; names built only for winners
        unit, text_name, _, _, tail = parsed[text_code[row[i]]]
        f = factor[i]
        if f == 1.0:
            name[food[i]] = text_name
        elif f == 0.5:
            name[food[i]] = "0.5 " + text_name[2:]
        else:
            name[food[i]] = f"{f:g} {_MULTIPLES[unit]}{tail}"
        out_g[food[i]] = g[i]
    return name, np.round(out_g, 1)


def _slots(tok: _Tokens, kind: np.ndarray, cat: dict[str, np.ndarray]) -> np.ndarray:
    """ ";"-joined meal slots: the kind's slots plus word-based additions."""
    table = {k: [s in _KINDS[k].slots.split(";") for s in SLOTS] for k in _KINDS}
    codes = pd.Index(list(_KINDS)).get_indexer(kind)
    flags = np.array([table[k] for k in _KINDS], dtype=bool)[codes]
    b, lunch, dinner, snack = (SLOTS.index(s) for s in ("breakfast", "lunch", "dinner", "snack"))
    has, t = tok.has, _t
    breakfast_words = has(
        t(
            "breakfast|bacon|sausage|sausages|ham|pancake|pancakes|waffle|waffles|"
            "french toast|bagel|bagels|english|muffin|muffins|croissant|croissants|"
            "biscuit|biscuits|hash brown|hash browns|scrambled|omelet|grits|toast|"
            "doughnut|doughnuts|danish|sweet rolls|coffeecake|cinnamon|toaster"
        )
    )
    morning_kinds = np.isin(kind, ["deli", "meat", "bread", "egg", "baked_sweet", "veg", "cereal", "hot_cereal"])
    flags[:, b] |= breakfast_words & morning_kinds & ~has(t("soup|soups|stew|chowder"))
    flags[:, b] |= (kind == "mixed") & has(t("breakfast|scrambled|omelet|pancakes|waffles|french toast"))
    raw_snack = (
        cat[VEG]
        & has(t("raw"))
        & has(
            t(
                "carrots|carrot|celery|cucumber|tomatoes|cherry|sweet|"
                "broccoli|cauliflower|radishes|snap|jicama|yambean|"
                "kohlrabi|edamame|peas edible"
            )
        )
    )
    flags[:, snack] |= raw_snack | has(t("jerky|edamame|roasted soybeans|trail mix|hummus"))
    flags[:, snack] |= (kind == "bread") & has(t("muffin|muffins|bagel|bagels|pita"))
    pancake = (kind == "bread") & has(t("pancake|pancakes|waffle|waffles|french toast"))
    flags[pancake, lunch] = False
    flags[pancake, dinner] = False
    flags[:, lunch] |= (kind == "yogurt") | (kind == "nuts") & has(t("seeds|seed"))
    flags[:, dinner] |= (kind == "nuts") & has(t("seeds|seed"))
    joined = np.full(len(kind), "", dtype=object)
    for i, slot in enumerate(SLOTS):
        joined = joined + np.where(flags[:, i], slot + ";", "")
    return np.array([s[:-1] for s in joined.tolist()], dtype=object)


# ---------------------------------------------------------------------------------------------
# Planner set, overrides, curate
# ---------------------------------------------------------------------------------------------

SPECIALTY_MEATS = (
    "loaf|spread|pate|truffle|scrapple|beerwurst|yachtwurst|cheesefurter|luncheon sausage|new england|"
    "honey roll|liver cheese|mortadella|lebanon|dutch brand|brotwurst|pickle and pimiento|jellied|"
    "rendered fat|bacon and beef sticks|knackwurst|thuringer|smoked link sausage|braunschweiger|"
    "liverwurst|australian|new zealand|imported|beefalo|water product|water added|ham and cheese|"
    "chopped beef|breakfast strips|pre cooked|brown and serve|rice links|sausage rice|barbecue loaf"
)
RICH_DESSERTS = (
    "pie|pies|cake|cakes|pastry|pastries|danish|doughnuts|doughnut|frosting|frostings|toppings|topping|"
    "crust|cheesecake|eclairs|eclair|cream puffs|strudel|turnovers|sweet rolls|toaster|coffeecake|"
    "cobbler|crisp|filling|fillings|glaze|icing|sprinkles|fondant|marzipan|cones|cone"
)
# Plants few planner users would find or cook; nutrient-dense, so an optimizer would over-pick them.
UNCOMMON_PLANTS = (
    "chrysanthemum|drumstick|swamp|taro|pumpkin flowers|pumpkin leaves|cowpeas leafy|jute|sesbania|"
    "balsam|butterbur|burdock|cardoon|salsify|tree|eppaw|epazote|vinespinach|waxgourd|gourd|hyacinth|"
    "winged|yardlong|amaranth|arrowhead|lotus|mountain|poi|dock|purslane|borage|lambsquarters|"
    "lambs|cornsalad|chicory roots|celtuce|new zealand|malabar|fiddlehead|pokeberry|kanpyo|pepeao|"
    "jew's|sourdock|prairie|stinging|sweet potato leaves|pigeonpeas|broadbeans|cress|arrowroot|"
    "yautia|cassava|abiyuch|acerola|carissa|cherimoya|custard apple|durian|feijoa|groundcherries|"
    "jackfruit|java|jujube|longans|loquats|mammy|nance|naranjilla|oheloberries|pitanga|rambutan|"
    "rose apples|roselle|rowal|sapodilla|sapote|soursop|sugar apples|tamarinds|tamarind|breadfruit|"
    "horned|mangosteen|pummelo|quinces|elderberries|crabapples|prickly|pricklypear|plains|"
    "cloudberries|salmonberries|chokecherries|huckleberries|buffaloberries|squash indian|corn white|"
    "chayote|dandelion|beet greens|mustard spinach|seaweed|alfalfa|radish seeds|mung|waterchestnuts|"
    "palm hearts|hearts of palm|tomatillos|nopales|rose hips|wocas|mashu"
)
EXOTIC = (
    "opossum|raccoon|squirrel|beaver|muskrat|bear|seal|whale|walrus|sea lion|horse|antelope|caribou|"
    "moose|boar|frog|turtle|owl|emu|ostrich|dove|squab|guinea|spleen|lungs|brain|brains|pancreas|"
    "thymus|sweetbreads|chitterlings|tripe|ears|feet|tail|snout|jowl|backfat|mechanically|by products|"
    "headcheese|blood|giblets|gizzard|neck|skin only|fat only|separable fat|cracklings|leaf fat|"
    "jellyfish|roe|caviar|eel|sea cucumber|ascidians|oopah|chiton|turtle|snail|snails|whelk|octopus|"
    "cuttlefish|abalone|conch|lambsquarters|agutuk|pokeberry|fireweed|cattail|willow|wocas|mashu"
)
ALCOHOL = "alcoholic|beer|ale|wine|liquor|whiskey|vodka|rum|gin|sake|liqueur|brandy|cordial|stout|porter"
NOT_A_SERVING = (
    "worcestershire|salt|vinegar|sweeteners|sweetener|extract|bouillon|flavoring|seasoning|baking|"
    "cream of tartar|pectin|"
    "mix|bitters|substitute|creamer|imitation|topping|toppings|frosting|frostings|syrup|syrups|sugar|sugars|"
    "shortening|lard|tallow|gravy|dessert topping|whipped topping|sprinkles|coating|filling|fillings|"
    "leavening|croutons|bacon bits|stuffing|crumbs|cocktail"
)
SUGARY_DRINKS = (
    "carbonated|soda|cola|energy|sports|drink|drinks|punch|cocktail|lemonade|limeade|flavored|mix|powder|"
    "syrup|tonic|whiskey|shake|shakes|instant|malted|cocoa|chocolate|ade|nectar|dairy|eggnog|breakfast"
)
# Variants that differ only in salt, grade, trim, packing, origin or recipe source: one representative
# per group is enough for planning (the others stay in the table, off the planner set).
_VARIANT_RE = re.compile(
    r", (?:with|without) (?:added )?salt(?: added)?\b|, (?:no salt added|unsalted|salted|low sodium|"
    r"reduced sodium|lightly salted|choice|select|prime|all grades|usda choice|usda select|usda prime|"
    r"enriched|unenriched|fortified|unfortified|not fortified|domestic|imported|new zealand|australian|"
    r"commercially prepared|prepared from recipe|home-prepared|solids and liquids|drained solids|drained|"
    r"meat and skin|meat only|boneless|bone-in|(?:extra )?(?:heavy|light) syrup(?: pack)?|juice pack|"
    r"water pack|regular|plain|separable lean and fat|separable lean only|trimmed to [^,]*fat|regular pack|"
    r"frozen|chopped|spears|whole|chopped or leaf|all styles|all varieties|year round average|"
    r"cooked, (?:roasted|braised|broiled|grilled|pan-fried|pan-broiled|simmered|stewed|baked|"
    r"dry heat|moist heat)|roasted|braised|broiled|grilled|pan-fried|pan-broil|pan-broiled|simmered|"
    r"stewed|dry heat|moist heat|heated|ready-to-serve|chunky|condensed|commercial|"
    r"prepared with equal volume water|prepared with water|canned|unheated|fresh|cooked|boiled|drained|"
    r"steamed|microwaved|sauteed|stir-fried|batter|flour|young hen|young tom|fryer-roasters|all classes|"
    r"roasting|stewing|broilers or fryers|dry|mix|single brand|reduced sodium|less/reduced sodium|"
    r"low sodium|ready-to-serve|prepared with water or ready-to-serve|regular pack|solids and liquid|"
    r"drained solids|mixed species|home-prepared|frozen entree|canned entree|conventional oven|"
    r"microwave|not reheated|precooked|pre-basted|deli cut|prepackaged|sliced)(?=,|$)",
    re.MULTILINE,
)
_PREFERRED = (
    ("unsalted|no salt|salt not", 2.0),
    ("all grades", 1.5),
    ("choice", 1.0),
    ("lean only", 1.0),
    ("0 fat", 1.0),
    ("enriched|fortified|with added", 1.0),
    ("juice pack|water pack", 1.0),
    ("heavy syrup|extra heavy", -1.0),
    ("meat only", 1.0),
    ("commercially prepared", 0.5),
    ("imported|new zealand|australian", -0.5),
    ("frozen", -0.5),
    ("canned", -0.3),
    ("roasted|broiled|grilled|baked", 0.5),
    ("pan fried|fried", -0.3),
    ("batter|flour|breaded", -0.5),
    ("dry|mix", -0.5),
    ("unenriched|unfortified|not fortified", -1.0),
)


def _representatives(tok: _Tokens, names: list[str], candidates: np.ndarray) -> np.ndarray:
    """Keep one preferred food per group of near-duplicate names among ``candidates``."""
    idx = np.flatnonzero(candidates)
    if not len(idx):
        return candidates
    subset = [names[i] for i in idx]
    canonical = _VARIANT_RE.sub("", "\n".join(subset).lower()).split("\n")
    score = np.zeros(len(names))
    for terms, weight in _PREFERRED:
        score += weight * tok.has(_t(terms))
    table = pd.DataFrame({"key": canonical, "score": -score[idx], "pos": idx})
    best = table.sort_values(["key", "score", "pos"], kind="stable").drop_duplicates("key")["pos"]
    keep = np.zeros(len(names), dtype=bool)
    keep[best.to_numpy()] = True
    return keep


def _planner(
    tok: _Tokens,
    foods: pd.DataFrame,
    names: list[str],
    classified: _Names,
    kind: np.ndarray,
    as_eaten: np.ndarray,
    serving_g: np.ndarray,
) -> np.ndarray:
    cat = {c: classified.category == c for c in CATEGORIES}
    has, t = tok.has, _t
    energy = pd.to_numeric(foods["energy"], errors="coerce").to_numpy() if "energy" in foods else None
    ok = as_eaten & ~cat[OTHER] & (kind != "other") & (kind != "spice") & (serving_g > 0)
    if energy is not None:
        ok &= ~np.isnan(energy)
    if "deprecated" in foods:
        ok &= ~foods["deprecated"].fillna(False).astype(bool).to_numpy()
    if "alcohol" in foods:
        ok &= ~(pd.to_numeric(foods["alcohol"], errors="coerce").fillna(0).to_numpy() > 0.5)
    ok &= ~has(t(ALCOHOL), unless=_t("ginger ale|root beer|wine vinegar"))
    ok &= ~(has(t(NOT_A_SERVING)) & (cat[COND] | cat[SWEET] | cat[FAT] | cat[DAIRY] & ~classified.masks["dairy_alt"]))
    ok &= ~(cat[BEV] & has(t(SUGARY_DRINKS)))
    ok &= ~has(t("fast foods|restaurant|babyfood|infant|formula|meal supplement"))
    ok &= ~has(t(EXOTIC))
    ok &= ~has(t("milk human|human|producer|whey acid|whey sweet|filled|lauric|indian buffalo|sheep"))
    ok &= ~((cat[VEG] | cat[FRUIT]) & has(t(UNCOMMON_PLANTS), scope="head"))
    # Processed meats: a few everyday ones (sliced ham and poultry, bacon, plain sausages) suffice.
    if "usda_group" in foods:
        processed = foods["usda_group"].eq("Sausages and Luncheon Meats").to_numpy()
        ok &= ~(processed & ~has(t("ham sliced|turkey breast|chicken breast|roast beef|pork sausage|turkey sausage")))
    ok &= ~(
        cat[COND]
        & has(
            t(
                "reduced calorie|low calorie|fat free|light|lite|diet|reduced fat|low fat|"
                "dietetic|cholesterol free|without salt|low sodium|reduced sodium"
            )
        )
    )
    ok &= ~(cat[SWEET] & has(t(RICH_DESSERTS)))
    ok &= ~(cat[SWEET] & has(t("cookies|cookie|brownies")) & ~has(t("fig bars|oatmeal|graham|animal|vanilla wafers")))
    ok &= ~(
        cat[SWEET]
        & has(
            t(
                "flavor|flavored|barbecue|sour cream|ranch|nacho|cajun|cheese|onion|"
                "caramel coated|candy coated|coating|coated|frosted"
            )
        )
    )
    ok &= ~((cat[MEAT] | cat[POULTRY]) & has(t(SPECIALTY_MEATS)))
    # Traditional foods of American Indian and Alaska Native communities: plants only by default.
    if "usda_group" in foods:
        native = foods["usda_group"].eq("American Indian/Alaska Native Foods").to_numpy(dtype=bool)
        ok &= ~(native & ~(cat[FRUIT] | cat[VEG]))
    # Ready-to-eat cereals: the fortified ones without candy-level sugar.
    if {"vitamin_b12", "vitamin_d", "calcium", "sugars"} <= set(foods.columns):
        fortified = (
            (foods["vitamin_b12"].fillna(0) >= 1.5)
            | (foods["vitamin_d"].fillna(0) >= 1.0)
            | (foods["calcium"].fillna(0) >= 300)
        )
        sugary = foods["sugars"].fillna(0) > 25
        ok &= ~((kind == "cereal") & ~(fortified & ~sugary).to_numpy())
    ok &= ~(
        (kind == "cereal")
        & has(
            t(
                "marshmallow|marshmallows|chocolate|chocolatey|cocoa|frosted|halloween|"
                "candy|cookie|cookies|fudge|s'mores|smores"
            )
        )
    )
    # Branded products duplicate generic ones; ready-to-eat cereals are kept (fortification differs).
    branded = tok.branded
    ok &= ~(branded & ~np.isin(kind, ["cereal", "hot_cereal"]))
    return ok & _representatives(tok, names, ok)


def _max_g(tok: _Tokens, kind: np.ndarray, serving_g: np.ndarray) -> np.ndarray:
    codes = pd.Index(list(_KINDS)).get_indexer(kind)
    max_g = np.array([_KINDS[k].max_g for k in _KINDS], dtype=float)[codes]
    max_g = np.where((kind == "drink") & tok.has(_t("coffee")), 750.0, max_g)
    max_g = np.where((kind == "drink") & tok.has(_t("tea|teas")), 1000.0, max_g)
    # Brined and salt-cured foods: a side portion, not a vegetable course (sodium).
    salty = tok.has(_t("pickled|pickles|sauerkraut|olives|anchovy|anchovies|salted|kimchi"))
    max_g = np.where(salty, np.minimum(max_g, 100.0), max_g)
    return np.maximum(max_g, serving_g)


_BOOL_COLUMNS = ("as_eaten", "planner")
_FLOAT_COLUMNS = ("serving_g", "max_g", "price")
_OVERRIDE_COLUMNS = ("id", "column", "value", "reason")


def _parse_override(column: str, value: str) -> tuple[object, str | None]:
    """Typed value of one override cell, or an error saying what is allowed."""
    text = value.strip()
    if column in _BOOL_COLUMNS:
        if text.lower() in ("true", "false"):
            return text.lower() == "true", None
        return None, "allowed: true or false"
    if column in _FLOAT_COLUMNS:
        try:
            number = float(text)
        except ValueError:
            return None, "allowed: a number of grams (price: a number)"
        if math.isnan(number) and column != "price" or number < 0:
            return None, "allowed: a number >= 0"
        return number, None
    if column == "category":
        return (text, None) if text in CATEGORIES else (None, f"allowed: {', '.join(CATEGORIES)}")
    if column == "diet":
        return (text, None) if text in DIETS else (None, f"allowed: {', '.join(DIETS)}")
    if column in ("allergens", "slots"):
        vocab = ALLERGENS if column == "allergens" else SLOTS
        tags = [p.strip() for p in text.split(";") if p.strip()]
        bad = [p for p in tags if p not in vocab]
        if bad:
            return None, f"allowed: ';'-joined tags from {', '.join(vocab)} (or empty)"
        return ";".join(v for v in vocab if v in tags), None
    return text, None


def load_overrides(path: Path = OVERRIDES_FILE, food_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """Read and check a curation override file (columns id, column, value, reason).

    Every row must name a known food id (when ``food_ids`` is given), a curation column, a value
    valid for that column and a non-empty reason. All problems are collected and raised together.

    Returns:
        The rows with a ``parsed`` column holding typed values.

    Raises:
        FoodDataError: The file is unreadable or any row is invalid; the message names the file
            and each bad row (its line number), the bad value and what is allowed.
    """
    from mealplan.food_data.table import CURATION_COLUMNS

    try:
        with open(path, encoding="utf-8", newline="") as handle:
            lines = [(n, line) for n, line in enumerate(handle, start=1) if line.strip() and not line.startswith("#")]
    except OSError as exc:
        raise FoodDataError(f"cannot read curation override file {path}: {exc}") from exc
    rows = list(csv.reader(line for _, line in lines))
    header = [h.strip() for h in rows[0]] if rows else []
    missing = [c for c in _OVERRIDE_COLUMNS if c not in header]
    if missing:
        raise FoodDataError(
            f"curation override file {path}: missing column(s) {', '.join(missing)}; "
            f"expected header: {','.join(_OVERRIDE_COLUMNS)}"
        )
    table = pd.DataFrame(
        [dict(zip(header, (v.strip() for v in r), strict=False)) for r in rows[1:]],
        columns=header,
        dtype=object,
    ).fillna("")
    known = pd.Index(table["id"]).isin(pd.Index(food_ids)) if food_ids is not None else np.ones(len(table), dtype=bool)
    problems: list[str] = []
    parsed: list[object] = []
    for i, row in enumerate(table.itertuples(index=False)):
        line = lines[i + 1][0]
        where = f"line {line} (id {row.id!r}, column {row.column!r})"
        value: object = None
        if not known[i]:
            problems.append(f"{where}: unknown food id {row.id!r}; use an id of the bundled table")
        if row.column not in CURATION_COLUMNS:
            problems.append(f"{where}: unknown column {row.column!r}; allowed: {', '.join(CURATION_COLUMNS)}")
        else:
            value, error = _parse_override(row.column, row.value)
            if error:
                problems.append(f"{where}: bad value {row.value!r}; {error}")
        if not row.reason.strip():
            problems.append(f"{where}: empty reason; every override must say why")
        parsed.append(value)
    if problems:
        raise FoodDataError(f"curation override file {path} has {len(problems)} problem(s)", problems)
    return table.assign(parsed=parsed)


def apply_overrides(foods: pd.DataFrame, overrides: pd.DataFrame, path: Path = OVERRIDES_FILE) -> pd.DataFrame:
    """Apply checked overrides (``load_overrides``) to curated foods, then check servings again.

    Raises:
        FoodDataError: An override leaves a planner food with ``max_g`` below ``serving_g`` or a
            serving of 0 g; the message names the food and the override file.
    """
    out = foods.copy()
    for row in overrides.itertuples(index=False):
        out.loc[row.id, row.column] = row.parsed
    touched = out.index.isin(overrides["id"])
    bad = out[
        touched & out["planner"].astype(bool) & ~(out["serving_g"] > 0) | touched & (out["max_g"] < out["serving_g"])
    ]
    if len(bad):
        raise FoodDataError(
            f"curation override file {path} leaves foods with an impossible serving",
            [
                f"{i} ({r['name']}): serving_g {r['serving_g']}, max_g {r['max_g']}; "
                "need serving_g > 0 and max_g >= serving_g"
                for i, r in bad.iterrows()
            ],
        )
    return out


def curate(foods: pd.DataFrame, measures: pd.DataFrame, overrides: Path | None = OVERRIDES_FILE) -> pd.DataFrame:
    """Add the planner curation columns (``food_data.table.CURATION_COLUMNS``) to a food table.

    Rules use the USDA group (``usda_group``) where known and the name; the override file is
    applied last.

    Args:
        foods: Foods indexed by id with at least ``name``; ``usda_group``, ``deprecated``,
            ``energy`` and ``alcohol`` are used when present.
        measures: Household measures (columns ``id``, ``measure``, ``grams``).
        overrides: Override file (id, column, value, reason); None applies none.

    Returns:
        ``foods`` (same index and columns) plus every curation column.

    Raises:
        FoodDataError: The override file is invalid (see ``load_overrides``).
    """
    names = foods["name"].fillna("").astype(str)
    name_list = [n.replace("\n", " ") for n in names.tolist()]
    tok = _Tokens(names)
    groups = foods["usda_group"].fillna(UNGROUPED).astype(str).to_numpy(dtype=object) if "usda_group" in foods else None
    group_codes = _Groups(groups, len(foods))
    brand = tok.brand_first
    classified = _classify(tok, group_codes, brand)
    cat = {c: classified.category == c for c in CATEGORIES}
    energy = (
        pd.to_numeric(foods["energy"], errors="coerce").to_numpy() if "energy" in foods else np.full(len(foods), np.nan)
    )
    as_eaten = _as_eaten(tok, cat, group_codes, brand)
    if "deprecated" in foods:
        as_eaten &= ~foods["deprecated"].fillna(False).astype(bool).to_numpy()
    kind = _kinds(tok, classified, group_codes, np.nan_to_num(energy, nan=1e9))
    serving_name, serving_g = _servings(measures, foods.index, kind)
    planner = _planner(tok, foods, name_list, classified, kind, as_eaten, serving_g)
    out = foods.copy(deep=False)  # copy-on-write: the caller's frame is never modified
    out["category"] = classified.category
    out["diet"] = classified.diet
    out["allergens"] = classified.allergens
    out["as_eaten"] = as_eaten
    out["serving_name"] = serving_name
    out["serving_g"] = serving_g
    out["max_g"] = _max_g(tok, kind, serving_g)
    out["slots"] = _slots(tok, kind, cat)
    out["planner"] = planner
    out["price"] = np.nan
    if overrides is not None and Path(overrides).exists():
        out = apply_overrides(out, load_overrides(overrides, out.index), overrides)
    return out

"""The seasonings vocabulary: the bundled file, what a shopper buys, and the errors of a bad file."""

from __future__ import annotations

import pytest

from mealplan.errors import ConfigError
from mealplan.food_data.seasonings import KINDS, load_seasonings


def test_the_bundled_vocabulary_loads_and_every_entry_is_of_a_known_kind():
    vocab = load_seasonings()
    assert {"garlic", "ground cumin", "lemon", "fresh dill", "black pepper"} <= set(vocab)
    assert {s.kind for s in vocab.values()} <= set(KINDS)
    assert "salt" not in vocab  # sodium is a target the plan counts: salt never hides in a method
    assert vocab["ground cumin"].words == ("cumin",) and vocab["garlic"].words == ("garlic",)


@pytest.mark.parametrize(
    ("name", "dishes", "text"),
    [
        ("ground cumin", 5, "1 jar ground cumin"),  # a jar lasts the plan
        ("lemon", 1, "1 lemon"),
        ("lemon", 3, "2 lemons"),  # half a lemon a dish, rounded up
        ("fresh dill", 3, "2 bunches fresh dill"),
        ("garlic", 4, "1 head garlic"),
        ("garlic", 5, "2 heads garlic"),
        ("green chili", 4, "2 green chilies"),
    ],
)
def test_what_to_buy_for_the_dishes_that_use_it(name, dishes, text):
    assert load_seasonings()[name].purchase_text(dishes) == text


def test_a_bad_vocabulary_names_every_problem(tmp_path):
    path = tmp_path / "seasonings.yaml"
    path.write_text(
        "schema: 1\nseasonings:\n"
        "  - {name: cumin, kind: spice}\n"
        "  - {name: cumin, kind: spice}\n"
        "  - {name: ground cumin, kind: spice, called: [cumin]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as err:
        load_seasonings(path)
    text = "\n".join(err.value.problems)
    assert "'cumin' is listed twice" in text and "'cumin' is called by both 'cumin' and 'ground cumin'" in text
    path.write_text("schema: 1\nseasonings:\n  - {name: saffron, kind: luxury}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown kind 'luxury'; allowed: spice, herb"):
        load_seasonings(path)

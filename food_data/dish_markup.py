"""Dish text that follows the plate: a small markup for titles and methods, its parser and renderer.

A dish's ``name`` and ``method`` are plain text with two marks (``docs/dishes.md`` has examples):

- ``{a | b | c}`` is a list. Its items are written out as "a, b and c"; an item that names an
  ingredient the plate does without is left out ("a and c"), and the list of what is left reads the
  same way. A list that loses every item leaves nothing.
- ``[ ... ]`` is a part that leaves the text with the ingredient it names: ``[; scatter almonds over]``.
  A part that names no ingredient itself but holds a list stays while the list has an item left.

Which ingredient a piece of text names is found by words: each ingredient has ``called`` phrases
(what the title and method call it: "almonds", "soy milk"). Matching ignores case and plural s
("banana" finds "bananas"), takes the longest phrase first and never counts a word twice, so
"soy milk" is the soy milk and not the milk.

Rules checked at load: every mention of an optional ingredient sits in a list item or a ``[ ]``
part; no item or part names two optional ingredients (leaving one out would drop the other's name
too); a ``[ ]`` part names an optional ingredient (or holds a list); a list whose items could all
go sits inside a ``[ ]`` part with the words that introduce it.

Pure text functions: no food table, no printing.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from mealplan.food_data.names import singular

_OPENERS = {"[": "]", "{": "}"}
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['-])*")  # words, in any alphabet, with inner ' and -


class MarkupError(ValueError):
    """Markup that cannot be read: unbalanced brackets, ``|`` outside a list, an empty item."""


@dataclass(frozen=True)
class Part:
    """``[ ... ]``: shown while the ingredient it names is on the plate."""

    body: tuple[Node, ...]


@dataclass(frozen=True)
class Items:
    """``{a | b | c}``: items joined as "a, b and c", each kept while its ingredient is used."""

    items: tuple[tuple[Node, ...], ...]


Node = str | Part | Items


# --- parsing -------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def parse(text: str) -> tuple[Node, ...]:
    """The text as plain strings, ``Part`` and ``Items`` nodes.

    Raises:
        MarkupError: Naming the character position and what is wrong.
    """
    # Each open frame: its opening bracket, its position, the items so far, the current item's nodes.
    stack: list[tuple[str, int, list[tuple[Node, ...]], list[Node]]] = [("", 0, [], [])]
    plain = ""
    for pos, ch in enumerate(text):
        if ch not in "[]{}|":
            plain += ch
            continue
        if plain:
            stack[-1][3].append(plain)
            plain = ""
        opener, at, items, current = stack[-1]
        if ch in _OPENERS:
            stack.append((ch, pos, [], []))
        elif ch == "|":
            if opener != "{":
                raise MarkupError(f"'|' at character {pos + 1} is outside a {{ | }} list")
            items.append(_item(current, pos))
            current.clear()
        else:
            if not opener or _OPENERS[opener] != ch:
                raise MarkupError(f"{ch!r} at character {pos + 1} closes nothing that is open")
            stack.pop()
            if opener == "[":
                if not any(not isinstance(n, str) or n.strip() for n in current):
                    raise MarkupError(f"the [ ] at character {at + 1} is empty")
                node: Node = Part(tuple(current))
            else:
                node = Items((*items, _item(current, pos)))
            stack[-1][3].append(node)
    if plain:
        stack[-1][3].append(plain)
    if len(stack) > 1:
        opener, at = stack[-1][0], stack[-1][1]
        raise MarkupError(f"the {opener!r} at character {at + 1} is never closed with {_OPENERS[opener]!r}")
    return tuple(stack[0][3])


def _item(nodes: list[Node], pos: int) -> tuple[Node, ...]:
    if not any(not isinstance(n, str) or n.strip() for n in nodes):
        raise MarkupError(f"an empty list item before character {pos + 1}")
    return tuple(nodes)


def is_marked(text: str) -> bool:
    """True when the text uses any markup character."""
    return any(c in text for c in "[]{}|")


# --- mentions ------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=8192)
def _key(word: str) -> str:
    return singular(word.lower().strip("'"))


def phrase_words(phrase: str) -> tuple[str, ...]:
    """A phrase as the word forms matching compares ("Soy milks" -> ("soy", "milk"))."""
    return tuple(_key(w) for w in _WORD.findall(phrase))


@dataclass(frozen=True)
class Mentions:
    """Phrases to look for and what each names: ``{("soy", "milk"): "16139", ("almond",): "12061"}``."""

    phrases: tuple[tuple[tuple[str, ...], str], ...]
    _by_first: dict[str, list[tuple[tuple[str, ...], str]]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        # Phrases by their first word, longest first: finding is one dictionary look-up per word.
        for phrase, key in sorted(self.phrases, key=lambda kv: -len(kv[0])):
            self._by_first.setdefault(phrase[0], []).append((phrase, key))

    @classmethod
    def of(cls, called: Mapping[str, Iterable[str]]) -> Mentions:
        """From ``{key: [phrase, ...]}``; a later key's phrase replaces an earlier key's same phrase."""
        pairs = {phrase_words(p): key for key, phrases in called.items() for p in phrases if phrase_words(p)}
        return cls(tuple(pairs.items()))

    def find(self, text: str) -> list[tuple[str, str]]:
        """``(key, words as written)`` for each mention in ``text``, left to right, no word counted twice."""
        words = [(m.group(0), _key(m.group(0))) for m in _WORD.finditer(text)]
        found, k = [], 0
        while k < len(words):
            for phrase, key in self._by_first.get(words[k][1], ()):
                n = len(phrase)
                if tuple(w for _, w in words[k : k + n]) == phrase:
                    found.append((key, " ".join(w for w, _ in words[k : k + n])))
                    k += n
                    break
            else:
                k += 1
        return found


def own_text(nodes: tuple[Node, ...]) -> str:
    """The plain text directly in ``nodes`` (not inside nested parts or lists), pieces kept apart."""
    return " | ".join(n for n in nodes if isinstance(n, str))


# --- rendering -----------------------------------------------------------------------------------


def join_words(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def render(text: str, mentions: Mentions, absent: frozenset[str] | set[str] = frozenset()) -> str:
    """The text with the markup resolved: what names an ``absent`` key is left out, the rest tidied.

    Args:
        text: Title or method with markup.
        mentions: The dish's ingredient phrases (``Mentions.of``).
        absent: Keys (food ids) of the optional ingredients the plate does without.
    """
    return tidy(_render(parse(text), mentions, frozenset(absent)))


def _render(nodes: tuple[Node, ...], mentions: Mentions, absent: frozenset[str]) -> str:
    out = []
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, Part):
            out.append(_kept(node.body, mentions, absent) or "")
        else:
            kept = [_kept(item, mentions, absent) for item in node.items]
            out.append(join_words([k.strip() for k in kept if k and k.strip()]))
    return "".join(out)


def _kept(nodes: tuple[Node, ...], mentions: Mentions, absent: frozenset[str]) -> str | None:
    """The rendered text of an item or part, or None when it leaves with an absent ingredient."""
    own = {key for key, _ in mentions.find(own_text(nodes))}
    if own & absent:
        return None
    body = _render(nodes, mentions, absent)
    nested = [n for n in nodes if not isinstance(n, str)]
    if nested and not own and not _render(tuple(nested), mentions, absent).strip():
        return None  # only a list (or part) whose every item left: the words around it go too
    return body


_SPACE = re.compile(r"\s+")
_SPACE_BEFORE = re.compile(r"\s+([,.;:!?)])")
_DOUBLE_MARK = re.compile(r"[,;:]\s*([,.;:!?])")
_SENTENCE = re.compile(r"([.!?]\s+)([a-z])")


def tidy(text: str) -> str:
    """One space between words, none before punctuation, no ", ." left behind, sentences capitalised."""
    text = _SPACE.sub(" ", text)
    text = text.replace("( ", "(").replace("()", "")
    text = _SPACE_BEFORE.sub(r"\1", text)
    previous = None
    while previous != text:
        previous, text = text, _DOUBLE_MARK.sub(r"\1", text)
    text = text.strip().lstrip(",;: ").strip()
    text = _SENTENCE.sub(lambda m: m.group(1) + m.group(2).upper(), text)
    return text[:1].upper() + text[1:]


# --- checks --------------------------------------------------------------------------------------


def markup_problems(field: str, text: str, mentions: Mentions, optional: Mapping[str, str]) -> list[str]:
    """Problems of one title or method, each naming the field and the words.

    Args:
        field: "name" or "method", for the messages.
        text: The text with markup.
        mentions: Phrases of every ingredient of the dish.
        optional: Key -> label ("12061 (almonds)") of each optional ingredient.
    """
    try:
        nodes = parse(text)
    except MarkupError as exc:
        return [f"field {field}: {exc} in {text!r}; see docs/dishes.md for the markup."]
    out: list[str] = []
    for key, words in mentions.find(own_text(nodes)):
        if key in optional:
            out.append(
                f"field {field}: {words!r} names the optional ingredient {optional[key]} outside [ ] or a "
                f"{{ | }} list item; mark it so it leaves the text when the plate does without it."
            )
    _walk(field, nodes, mentions, optional, inside_part=False, out=out)
    return out


def _walk(
    field: str, nodes: tuple[Node, ...], mentions: Mentions, optional: Mapping[str, str], inside_part: bool, out: list
) -> None:
    for node in nodes:
        if isinstance(node, str):
            continue
        if isinstance(node, Part):
            named = _optional_named(node.body, mentions, optional)
            if not named and not any(isinstance(n, Items) for n in node.body):
                out.append(
                    f"field {field}: the part [{_plain(node.body)}] names no optional ingredient, so it never "
                    f"leaves the text; drop the brackets."
                )
            _one_each(field, node.body, mentions, optional, out)
            _walk(field, node.body, mentions, optional, True, out)
            continue
        droppable = [bool(_optional_named(item, mentions, optional)) for item in node.items]
        if all(droppable) and not inside_part:
            out.append(
                f"field {field}: every item of the list {{{_plain((node,))[1:-1]}}} can be left out; put it "
                f"and the words that introduce it in [ ] so they leave together."
            )
        for item in node.items:
            _one_each(field, item, mentions, optional, out)
            _walk(field, item, mentions, optional, inside_part, out)


def _optional_named(nodes: tuple[Node, ...], mentions: Mentions, optional: Mapping[str, str]) -> set[str]:
    """Optional ingredients named anywhere in ``nodes`` (nested ones too)."""
    return {key for key, _ in mentions.find(_plain(nodes)) if key in optional}


def _one_each(field: str, nodes: tuple[Node, ...], mentions: Mentions, optional: Mapping[str, str], out: list) -> None:
    own = sorted({key for key, _ in mentions.find(own_text(nodes)) if key in optional})
    if len(own) > 1:
        out.append(
            f"field {field}: {_plain(nodes)!r} names {len(own)} optional ingredients "
            f"({', '.join(optional[k] for k in own)}); give each its own list item or [ ] part."
        )


def _plain(nodes: tuple[Node, ...]) -> str:
    """The nodes written back as markup (for messages and for finding every mention)."""
    out = []
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, Part):
            out.append(f"[{_plain(node.body)}]")
        else:
            out.append("{" + " | ".join(_plain(item) for item in node.items) + "}")
    return "".join(out)


BAD_GRAMMAR = re.compile(
    r",\s*and\b|\bwith\s+and\b|\band\s+and\b|\b(and|with|of|the|a)\s*[,.;:]|"
    r"\b(and|with|of|the|a)\s*$|\s{2}|^\s|\s$|[,;:]\s*[,.;:]|\(\s*\)|\{|\}|\[|\]|\|",
    re.IGNORECASE,
)


def grammar_problems(text: str) -> list[str]:
    """Leftovers of a removal a reader would trip on: ", and", "with and", "top with .", double spaces."""
    return [m.group(0) for m in BAD_GRAMMAR.finditer(text)]

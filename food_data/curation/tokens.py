"""Names as words: every name split once into a flat table of words, and rules as set lookups.

Speed matters (the bundled table is curated at every cache miss), so names are tokenised once
into a flat table of words; each rule is a set lookup over the few thousand distinct words (and
two-word phrases), broadcast back to rows with numpy. No rule loops over rows in Python.

Terms are lowercase single words or two-word phrases: names are split on anything that is not a
letter, digit or apostrophe, and a phrase may span a comma ("beans, snap" is "beans snap").
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mealplan.food_data.curation.rules import rules


@dataclass(frozen=True)
class Lexicon:
    """Ordered (label, terms) rules: the first rule whose terms hit wins."""

    labels: tuple[str, ...]
    by_rank: tuple[frozenset[str], ...]  # terms of each rule, minus those an earlier rule holds

    @classmethod
    def build(cls, ordered: Sequence[tuple[str, frozenset[str]]]) -> Lexicon:
        seen: set[str] = set()
        by_rank = []
        for _, rule_terms in ordered:
            new = rule_terms - seen
            seen |= new
            by_rank.append(frozenset(new))
        return cls(tuple(label for label, _ in ordered), tuple(by_rank))


_KEEP = set(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',\x01")
_BYTE_TABLE = bytes(b if b in _KEEP else 32 for b in range(256))  # everything else splits words
# Commas and semicolons become words of their own: they bound the segments ``scope="head"`` reads.
_SEPARATORS = ((b",", b" , "), (b";", b" , "))


@functools.cache
def _rewrites() -> tuple[tuple[bytes, bytes], ...]:
    """The data file's name rewrites (``name_rewrites``) as bytes, then the separators."""
    from_data = tuple((old.encode(), new.encode()) for old, new in rules().name_rewrites)
    return from_data + _SEPARATORS


class Tokens:
    """Words of many names, flattened: row, comma segment and position of every word.

    ``scope`` in the queries: ``"first"`` is the first word of a name, ``"head"`` the words before
    the first comma (phrases starting there), ``"any"`` every word.
    """

    def __init__(self, names: pd.Series) -> None:
        self.n = len(names)
        text = " \x01 ".join(names.fillna("").astype(str).tolist()).encode("utf-8", "replace")
        for old, new in _rewrites():
            text = text.replace(old, new)
        flat = np.array(text.translate(_BYTE_TABLE).decode("ascii").split(), dtype=object)
        raw_codes, raw_vocab = pd.factorize(flat)
        # Case-sensitive words first (brands are ALL CAPS), then the lowercase vocabulary the rules use.
        lower_codes, vocab = pd.factorize(np.array([w.lower() for w in raw_vocab], dtype=object))
        codes = lower_codes[raw_codes]
        not_brands = rules().not_brands  # all-caps words that are not brand names
        caps = np.array(
            [w.isupper() and len(w.strip("'")) >= 2 and w not in not_brands for w in raw_vocab], dtype=bool
        )[raw_codes]
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

    def rank(self, lexicon: Lexicon, scope: str = "any") -> np.ndarray:
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
def _split_terms(terms: frozenset[str]) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    words = tuple(t for t in terms if " " not in t)
    phrases = tuple(tuple(t.split(" ", 1)) for t in terms if " " in t)
    return words, phrases  # type: ignore[return-value]

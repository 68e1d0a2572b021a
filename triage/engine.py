"""Triage: from symptoms, risk factors and life stage to suspected nutrients, red flags and notes.

The knowledge lives in ``triage/knowledge.yaml``; this module loads and checks it, resolves what a
person typed to vocabulary ids, and scores. The score model is deliberately simple: a nutrient's
score is the sum of the weights (1 weak, 2 typical, 3 strong) of every reported symptom, risk
factor and life stage that points at it. Ties are broken by the number of reasons and then by the
fixed order of the knowledge file's ``nutrients`` section, so the same input always gives the same
result. Nothing here diagnoses or suggests supplement doses. Only yaml and pydantic are imported
(no pandas), so ``mealplan triage`` starts fast.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import ValidationError

from mealplan.errors import ConfigError, InputError
from mealplan.food_data.nutrients import BY_ID
from mealplan.triage.models import (
    Association,
    Knowledge,
    Reason,
    RedFlag,
    SuspectedNutrient,
    TriageInput,
    TriageResult,
    When,
)

Kind = Literal["symptom", "factor"]

DISCLAIMER = (
    "For education only. mealplan does not diagnose any condition and does not replace a clinician: "
    "it points at nutrients worth discussing and testing and suggests foods, never supplement doses. "
    "Persistent, spreading or worsening symptoms belong in front of a doctor."
)

NO_INPUT_MESSAGE = (
    "No symptoms or risk factors given. Try: mealplan triage --symptom muscle-cramps "
    "--factor heavy-sweating, or mealplan triage --list to see every symptom and risk factor."
)

# A blood test is suggested for a suspected nutrient only from this score on: one weak hint
# (a weight-1 link such as fatigue -> calcium) is not worth a test by itself.
BLOOD_TEST_MIN_SCORE = 2.0

_KIND_NAMES = {"symptom": ("symptom", "symptoms"), "factor": ("risk factor", "risk factors")}
_SECTION = {"symptom": "symptoms", "factor": "factors"}
_KIND_RANK = {"symptom": 0, "factor": 1, "life_stage": 2}
_PREGNANT = "pregnant"


def _key(text: str) -> str:
    """Matching key for a term: case, spaces, hyphens and underscores do not matter."""
    return re.sub(r"[\s_\-]+", " ", text.strip().lower()).strip()


# --- the knowledge file -----------------------------------------------------------------------


def load_knowledge(path: Path | None = None) -> Knowledge:
    """Load and check a knowledge file (the bundled ``triage/knowledge.yaml`` by default).

    Args:
        path: A knowledge file to load instead of the bundled one.

    Returns:
        The validated knowledge.

    Raises:
        ConfigError: The file is not valid YAML, does not match the schema, names a nutrient that
            is not in the registry, or refers to unknown vocabulary; every problem is listed.
    """
    if path is None:
        name = "triage/knowledge.yaml"
        text = resources.files("mealplan.triage").joinpath("knowledge.yaml").read_text(encoding="utf-8")
    else:
        name = str(path)
        text = Path(path).read_text(encoding="utf-8")
    try:
        raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise ConfigError(f"{name} is not valid YAML: {exc}") from exc
    try:
        kb = Knowledge.model_validate(raw)
    except ValidationError as exc:
        problems = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        raise ConfigError(f"{name} does not match the knowledge schema:", problems) from exc
    problems = _check_knowledge(kb)
    if problems:
        raise ConfigError(f"{name} has inconsistent entries:", problems)
    return kb


def _check_knowledge(kb: Knowledge) -> list[str]:
    """Cross-reference checks the schema cannot express; returns every problem found."""
    problems: list[str] = []
    for nid in kb.nutrients:
        if nid not in BY_ID:
            problems.append(f"nutrients.{nid}: not a nutrient id of food_data/nutrients.py")
    owners: list[tuple[str, dict[str, Association]]] = [
        (f"{section}.{tid}", term.nutrients)
        for section in ("symptoms", "factors")
        for tid, term in getattr(kb, section).items()
    ]
    owners += [(f"life_stages.{sid}", stage.nutrients) for sid, stage in kb.life_stages.items()]
    for where, assocs in owners:
        for nid in assocs:
            if nid not in BY_ID:
                problems.append(f"{where}.nutrients.{nid}: not a nutrient id of food_data/nutrients.py")
            elif nid not in kb.nutrients:
                problems.append(f"{where}.nutrients.{nid}: add {nid} to the nutrients section (ranking order)")
    for section in ("symptoms", "factors"):
        seen: dict[str, str] = {}
        for tid, term in getattr(kb, section).items():
            for word in [tid, *term.synonyms]:
                key = _key(word)
                if key in seen:
                    problems.append(f"{section}.{tid}: synonym '{word}' already stands for '{seen[key]}' in {section}")
                seen[key] = tid
    rules: list[tuple[str, When]] = [
        (f"{section}.{r.id}.{part}", when)
        for section, items in (("red_flags", kb.red_flags), ("notes", kb.notes))
        for r in items
        for part, when in (("when", r.when), ("also", r.also), ("unless", r.unless))
        if when is not None
    ]
    levels = ", ".join(kb.urgency)
    problems += [
        f"red_flags.{r.id}.urgency: unknown level '{r.urgency}'; allowed: {levels}"
        for r in kb.red_flags
        if r.urgency not in kb.urgency
    ]
    if kb.widespread.symptom not in kb.symptoms:
        problems.append(f"widespread.symptom: unknown symptom '{kb.widespread.symptom}'")
    phrase_re = re.compile(r"\b(?:" + "|".join(re.escape(_key(p)) for p in kb.widespread.phrases) + r")\b")
    problems += [
        f"symptoms.{tid}: '{word}' contains a widespread phrase; leave it out (the phrase sets multiple groups)"
        for tid, term in kb.symptoms.items()
        for word in [tid, *term.synonyms]
        if phrase_re.search(_key(word))
    ]
    problems += [
        f"diet_factors.{diet}: unknown factor '{fid}'" for diet, fid in kb.diet_factors.items() if fid not in kb.factors
    ]
    for nid, fids in kb.withhold.items():
        if nid not in kb.nutrients:
            problems.append(f"withhold.{nid}: '{nid}' is not in the nutrients section")
        problems += [f"withhold.{nid}: unknown factor '{f}'" for f in fids if f not in kb.factors]
    for where, when in rules:
        problems += [f"{where}.symptoms: unknown symptom '{s}'" for s in when.symptoms if s not in kb.symptoms]
        problems += [f"{where}.factors: unknown factor '{f}'" for f in when.factors if f not in kb.factors]
        problems += [
            f"{where}.nutrients: '{n}' is not in the nutrients section" for n in when.nutrients if n not in kb.nutrients
        ]
        problems += [
            f"{where}.urgency: unknown level '{u}'; allowed: {levels}" for u in when.urgency if u not in kb.urgency
        ]
        if when.urgency and where.startswith("red_flags"):
            problems.append(f"{where}.urgency: red flags cannot depend on other red flags (notes only)")
    for label, ids in (("red_flags", [r.id for r in kb.red_flags]), ("notes", [n.id for n in kb.notes])):
        problems += [f"{label}: id '{i}' is used more than once" for i in sorted({i for i in ids if ids.count(i) > 1})]
    if _PREGNANT not in kb.factors:
        problems.append(f"factors: '{_PREGNANT}' is required (the input's pregnant flag uses it)")
    return problems


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    """The bundled knowledge, loaded and checked once per process."""
    return load_knowledge()


@lru_cache(maxsize=2)
def _index(kind: Kind) -> dict[str, str]:
    """Matching key of every id and synonym of ``kind`` -> its id."""
    terms = getattr(knowledge(), _SECTION[kind])
    index: dict[str, str] = {}
    for tid, term in terms.items():
        for word in [tid, *term.synonyms]:
            index[_key(word)] = tid
    return index


def _singular(key: str) -> str:
    """Each word without a plural ``s`` ("chest pains" -> "chest pain"; "numbness" stays)."""
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in key.split())


@lru_cache(maxsize=2)
def _singular_index(kind: Kind) -> dict[str, str]:
    """Singular form of every key -> its id, leaving out forms two ids would share."""
    found: dict[str, set[str]] = {}
    for key, tid in _index(kind).items():
        found.setdefault(_singular(key), set()).add(tid)
    return {key: next(iter(tids)) for key, tids in found.items() if len(tids) == 1}


def _lookup(kind: Kind, key: str) -> str | None:
    """The id a matching key stands for: exactly, or with plurals and singulars told apart."""
    return _index(kind).get(key) or _singular_index(kind).get(_singular(key))


def vocabulary() -> dict[str, dict[str, list[str]]]:
    """Every symptom and risk-factor id with its accepted synonyms, in knowledge-file order.

    Returns:
        ``{"symptoms": {id: [synonyms]}, "factors": {id: [synonyms]}}``.
    """
    kb = knowledge()
    return {
        "symptoms": {tid: list(t.synonyms) for tid, t in kb.symptoms.items()},
        "factors": {tid: list(t.synonyms) for tid, t in kb.factors.items()},
    }


# --- resolving what people type ---------------------------------------------------------------


@lru_cache(maxsize=1)
def _widespread_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Regexes for the widespread phrases (longest first) and for filler words at either end."""
    ws = knowledge().widespread
    phrases = sorted({_key(p) for p in ws.phrases}, key=len, reverse=True)
    phrase_re = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b")
    filler = "|".join(re.escape(_key(w)) for w in ws.filler) or r"(?!)"
    filler_re = re.compile(rf"^(?:(?:{filler})\s+)+|(?:\s+(?:{filler}))+$|^(?:{filler})$")
    return phrase_re, filler_re


def _strip_widespread(key: str) -> str | None:
    """The wording without its widespread phrases ("body twitching" -> "twitching"), or ``None`` if
    it has none. An empty string means the phrase stood alone ("whole body")."""
    phrase_re, filler_re = _widespread_patterns()
    stripped, hits = phrase_re.subn(" ", key)
    if not hits:
        return None
    stripped = re.sub(r"\s+", " ", stripped).strip()
    return filler_re.sub("", stripped).strip()


def _resolve(kind: Kind, terms: list[str]) -> tuple[list[str], list[str], bool]:
    """Map terms to ids (first occurrence order, no duplicates).

    Returns:
        The ids, the problems, and whether a symptom's wording says that more than one muscle group
        is affected (see the knowledge file's ``widespread`` section).
    """
    index = _index(kind)
    singular, plural = _KIND_NAMES[kind]
    ids: list[str] = []
    problems: list[str] = []
    widespread = False
    for term in terms:
        key = _key(term)
        rest = _strip_widespread(key) if kind == "symptom" else None
        if rest is not None:
            widespread = True
            if not rest:
                key = _key(knowledge().widespread.symptom)
            elif _lookup(kind, rest) or not _lookup(kind, key):
                key = rest
        found = _lookup(kind, key)
        if found:
            if found not in ids:
                ids.append(found)
            continue
        close = difflib.get_close_matches(key, list(index), n=1, cutoff=0.6)
        if close:
            problems.append(f"unknown {singular} '{term}'; did you mean '{index[close[0]]}'?")
        else:
            valid = ", ".join(getattr(knowledge(), _SECTION[kind]))
            problems.append(f"unknown {singular} '{term}'; valid {plural}: {valid}")
    return ids, problems, widespread


_UNKNOWN_MESSAGE = "Unknown symptom or risk factor ('mealplan triage --list' shows every id with its synonyms):"
_INVALID_MESSAGE = "Triage input is not valid:"


def normalize_terms(kind: Kind, terms: list[str]) -> list[str]:
    """Resolve symptoms or risk factors, given as ids or synonyms, to vocabulary ids.

    Args:
        kind: ``"symptom"`` or ``"factor"``.
        terms: What the person typed (``"charley horse"``, ``"PPI"``, ``"muscle-cramps"``).

    Returns:
        The ids, in the order first given, without duplicates.

    Raises:
        InputError: Some terms are unknown; each is named with the closest valid id when there is one.
    """
    ids, problems, _ = _resolve(kind, terms)
    if problems:
        raise InputError(_UNKNOWN_MESSAGE, problems)
    return ids


def implies_multiple_groups(symptoms: list[str]) -> bool:
    """Whether the wording of some symptom says more than one muscle group is affected.

    "body twitching", "twitching all over", "cramps in many muscles" or "whole body" do; the words
    are the knowledge file's ``widespread`` phrases. Unknown terms are ignored here (resolving them
    reports them).

    Args:
        symptoms: Symptoms as typed.

    Returns:
        True when at least one wording is widespread.
    """
    return any(_strip_widespread(_key(t)) is not None for t in symptoms if isinstance(t, str))


def diet_factors(diet: str | None) -> list[str]:
    """The risk factors a diet implies for triage (``vegan`` -> ``["vegan"]``; omnivore -> none)."""
    fid = knowledge().diet_factors.get(diet or "")
    return [fid] if fid else []


# --- scoring ------------------------------------------------------------------------------------


def _applies(when: When, ctx: dict) -> tuple[bool, list[str]]:
    """Whether a rule applies to the context, and the symptoms/factors that made it apply."""
    matched = [s for s in when.symptoms if s in ctx["symptoms"]]
    matched += [f for f in when.factors if f in ctx["factors"]]
    age = ctx["age"]
    hit = (
        when.always
        or bool(matched)
        or (when.days_over is not None and ctx["days"] is not None and ctx["days"] > when.days_over)
        or (when.age is not None and age is not None and when.age.at_least <= age < when.age.under)
        or any(ctx["flags"][f] for f in when.flags)
        or any(n in ctx["nutrients"] for n in when.nutrients)
        or any(u in ctx.get("urgencies", ()) for u in when.urgency)
    )
    return hit, matched


def _rule_applies(when: When, also: When | None, unless: When | None, ctx: dict) -> tuple[bool, list[str]]:
    """``when`` holds, ``also`` (if any) holds too and ``unless`` (if any) does not; the symptoms and
    factors that matched ``when`` and ``also``."""
    hit, matched = _applies(when, ctx)
    if hit and also is not None:
        hit, more = _applies(also, ctx)
        matched += [m for m in more if m not in matched]
    if hit and unless is not None and _applies(unless, ctx)[0]:
        hit = False
    return hit, matched


def _context(inp: TriageInput, symptoms: list[str], factors: list[str], nutrients: set[str], groups: bool) -> dict:
    """What the red-flag and note rules look at."""
    pregnant = inp.pregnant or _PREGNANT in factors
    return {
        "symptoms": set(symptoms),
        "factors": set(factors) | ({_PREGNANT} if pregnant else set()),
        "days": inp.days,
        "age": inp.age,
        "flags": {
            "multiple_groups": groups,
            "worsening": inp.worsening,
            "severe_pain": inp.severe_pain,
            "pregnant": pregnant,
        },
        "nutrients": nutrients,
    }


def _red_flags(ctx: dict, inp: TriageInput) -> list[RedFlag]:
    """The red flags that apply, most urgent first (file order within a level)."""
    kb = knowledge()
    rank = {level: i for i, level in enumerate(kb.urgency)}
    flags: list[RedFlag] = []
    for rule in kb.red_flags:
        hit, matched = _rule_applies(rule.when, rule.also, rule.unless, ctx)
        if hit:
            message = rule.message.replace("{matched}", ", ".join(matched)).replace("{days}", str(inp.days))
            if rule.when.age is not None:
                message = message.replace("{under}", f"{rule.when.age.under:g}")
            flags.append(
                RedFlag(id=rule.id, urgency=rule.urgency, message=message, advice=rule.advice, source=rule.source)
            )
    return sorted(flags, key=lambda f: rank[f.urgency])  # stable: file order within a level


def has_findings(inp: TriageInput) -> bool:
    """Whether a triage of ``inp`` has anything to say: a symptom, a risk factor or pregnancy, a life
    stage that applies at the person's age, or a red-flag condition (an age, a duration, a flag).

    Args:
        inp: What the person reports (terms are not resolved here).

    Returns:
        False when :func:`run_triage` would answer that nothing was given.
    """
    kb = knowledge()
    if inp.symptoms or inp.factors or inp.pregnant:
        return True
    if inp.age is not None and any(inp.age >= st.min_age for st in kb.life_stages.values()):
        return True
    return bool(_red_flags(_context(inp, [], [], set(), inp.multiple_groups), inp))


def run_triage(inp: TriageInput) -> TriageResult:
    """Rank the nutrients worth testing for, and name the red flags, for what a person reports.

    Args:
        inp: Symptoms and risk factors (ids or synonyms), duration, flags and life stage.

    Returns:
        The result: suspected nutrients (highest score first), red flags, lifestyle notes, blood
        tests for the suspected nutrients, and the disclaimer. The same input always gives the same
        result; the order in which symptoms or factors are given does not change it.

    Raises:
        InputError: Unknown symptoms or factors (each named, with the closest valid id), pregnancy
            with sex ``male``, or no symptom, no risk factor and no red-flag condition at all.
    """
    kb = knowledge()
    symptoms, problems, widespread = _resolve("symptom", inp.symptoms)
    factors, factor_problems, _ = _resolve("factor", inp.factors)
    problems += factor_problems
    groups = inp.multiple_groups or widespread
    unknown = bool(problems)
    pregnant = inp.pregnant or _PREGNANT in factors
    if pregnant and inp.sex == "male":
        problems.append("pregnant (flag or risk factor) conflicts with sex 'male'; give sex female or no sex")
    if problems:
        raise InputError(_UNKNOWN_MESSAGE if unknown else _INVALID_MESSAGE, problems)
    # With no symptom, factor or pregnancy, only a life stage or a red-flag condition (an age, a
    # duration, worsening, ...) makes a result worth giving; that check waits until both are known.
    nothing_named = not symptoms and not factors and not inp.pregnant

    # Every contributing source, in knowledge-file order so input order never matters.
    sources: list[tuple[str, str, dict[str, Association]]] = [
        ("symptom", sid, term.nutrients) for sid, term in kb.symptoms.items() if sid in symptoms
    ]
    sources += [("factor", fid, term.nutrients) for fid, term in kb.factors.items() if fid in factors]
    if inp.pregnant and _PREGNANT not in factors:
        sources.append(("life_stage", _PREGNANT, kb.factors[_PREGNANT].nutrients))
    if inp.age is not None:
        sources += [("life_stage", lid, st.nutrients) for lid, st in kb.life_stages.items() if inp.age >= st.min_age]

    scores: dict[str, float] = {}
    contributions: dict[str, list[tuple[tuple[float, int, int], Reason]]] = {}
    for position, (kind, source, assocs) in enumerate(sources):
        for nid, assoc in assocs.items():
            scores[nid] = scores.get(nid, 0.0) + assoc.weight
            reason = Reason(source=source, kind=kind, why=assoc.why)
            contributions.setdefault(nid, []).append(((-assoc.weight, _KIND_RANK[kind], position), reason))
    # A nutrient a present factor hands to the prescriber (fluids with a diuretic) is not suggested.
    for nid in [n for n in scores if set(kb.withhold.get(n, [])) & set(factors)]:
        del scores[nid], contributions[nid]

    order = {nid: i for i, nid in enumerate(kb.nutrients)}
    ranked = sorted(scores, key=lambda n: (-scores[n], -len(contributions[n]), order[n]))
    suspected = [
        SuspectedNutrient(
            nutrient=n, score=scores[n], reasons=[r for _, r in sorted(contributions[n], key=lambda c: c[0])]
        )
        for n in ranked
    ]

    ctx = _context(inp, symptoms, factors, set(scores), groups)
    red_flags = _red_flags(ctx, inp)
    if nothing_named and not red_flags and not suspected:
        raise InputError(NO_INPUT_MESSAGE)
    # Notes know which red-flag levels apply: an urgent flag replaces routine advice with what to do now.
    ctx["urgencies"] = {f.urgency for f in red_flags}
    shown = [note for note in kb.notes if _rule_applies(note.when, note.also, note.unless, ctx)[0]]
    notes = [note.text for note in shown]
    blood_tests: list[str] = []
    for s in suspected:
        if s.score < BLOOD_TEST_MIN_SCORE:
            continue
        test = kb.nutrients[s.nutrient].blood_test
        if test and test not in blood_tests:
            blood_tests.append(test)

    normalized = inp.model_copy(update={"symptoms": symptoms, "factors": factors, "multiple_groups": groups})
    return TriageResult(
        input=normalized,
        suspected=suspected,
        red_flags=red_flags,
        notes=notes,
        blood_tests=blood_tests,
        disclaimer=DISCLAIMER,
        note_ids=[note.id for note in shown],
    )


# --- rendering without rich ---------------------------------------------------------------------


def to_markdown(result: TriageResult) -> str:
    """Render a triage result as Markdown: red flags first, then nutrients, tests, notes, disclaimer.

    Args:
        result: A result of :func:`run_triage`.

    Returns:
        The Markdown text, ending with a newline.
    """
    lines = ["# Triage", ""]
    if result.red_flags:
        lines += ["## See a clinician first", ""]
        lines += [
            f"- **{urgency_label(f.urgency)}** - **{f.message}** {f.advice}"
            + (f" _Source: {f.source}_" if f.source else "")
            for f in result.red_flags
        ]
        lines.append("")
    lines += ["## Nutrients worth discussing and testing", ""]
    lines += ["| rank | nutrient | score | reasons |", "|---:|---|---:|---|"]
    for rank, s in enumerate(result.suspected, start=1):
        reasons = "<br>".join(f"{r.source}: {r.why}" for r in s.reasons).replace("|", "\\|")
        lines.append(f"| {rank} | {nutrient_name(s.nutrient)} | {s.score:g} | {reasons} |")
    lines.append("")
    if result.blood_tests:
        lines += ["## Blood tests to ask about", ""] + [f"- {t}" for t in result.blood_tests] + [""]
    if result.notes:
        lines += ["## Notes", ""] + [f"- {n}" for n in result.notes] + [""]
    lines += [f"_{result.disclaimer}_", ""]
    return "\n".join(lines)


def urgency_label(level: str) -> str:
    """How a red flag's urgency reads in outputs ("Urgent: get care today"); an unknown level as is."""
    found = knowledge().urgency.get(level)
    return found.label if found is not None else level


def nutrient_name(nid: str) -> str:
    """Display name of a nutrient (``water`` is shown as fluids)."""
    if nid == "water":
        return "Fluids (water)"
    return BY_ID[nid].name

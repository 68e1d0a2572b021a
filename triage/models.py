"""Data models of the triage: its input, its result, and the schema of the knowledge file.

Everything here is a strict pydantic model (``extra="forbid"``, frozen): a misspelt field is an
error, never a silent default. The knowledge-file models validate ``triage/knowledge.yaml`` when it
is loaded (see :func:`triage.engine.knowledge`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

_STRICT = ConfigDict(extra="forbid", frozen=True)


# --- input and result -------------------------------------------------------------------------


class Reason(BaseModel):
    """One reason a nutrient is suspected.

    Attributes:
        source: The symptom id, risk-factor id or life-stage id that contributed.
        kind: Whether ``source`` is a symptom, a risk factor or a life stage.
        why: A short plain-language explanation of the link.
    """

    model_config = _STRICT

    source: str
    kind: Literal["symptom", "factor", "life_stage"]
    why: str


class SuspectedNutrient(BaseModel):
    """A nutrient worth discussing and testing, with its score and the reasons behind it.

    Attributes:
        nutrient: Registry id from ``food_data.nutrients`` (``magnesium``, ``vitamin_b12``, ``water``...).
        score: Sum of the weights of every symptom, factor and life stage that points at it.
        reasons: The contributions, strongest first.
    """

    model_config = _STRICT

    nutrient: str
    score: float
    reasons: list[Reason]


class RedFlag(BaseModel):
    """A pattern that needs a clinician's evaluation rather than a change of diet.

    Attributes:
        id: Stable id of the rule (``long-duration``, ``numbness``, ``medication``...).
        urgency: How soon to act: ``urgent`` (care today), ``soon`` (within days) or ``routine``
            (the next appointment, or a call to the prescriber); the levels and their wording are in
            the knowledge file's ``urgency`` section. Results list the most urgent first. Results
            saved before urgency existed read as ``soon``.
        message: What was noticed.
        advice: What to do about it.
        source: Where the rule comes from (``None`` in results saved before sources existed).
    """

    model_config = _STRICT

    id: str
    urgency: str = "soon"
    message: str
    advice: str
    source: str | None = None


class TriageInput(BaseModel):
    """What a person reports.

    Attributes:
        symptoms: Symptom ids or synonyms (``muscle-cramps``, ``charley horse``). A wording that
            says the symptom is widespread ("body twitching", "cramps all over") also sets
            ``multiple_groups`` in the result's input.
        factors: Risk-factor ids or synonyms (``vegan``, ``PPI``).
        days: How long the symptoms have lasted, in days, if known.
        multiple_groups: More than one muscle group is affected.
        worsening: The symptoms are getting worse.
        severe_pain: The symptoms come with significant pain.
        age: Age in years, if given.
        sex: ``female`` or ``male``, if given.
        pregnant: The person is pregnant.
    """

    model_config = _STRICT

    symptoms: list[str] = []
    factors: list[str] = []
    days: int | None = Field(default=None, ge=0)
    multiple_groups: bool = False
    worsening: bool = False
    severe_pain: bool = False
    age: float | None = Field(default=None, gt=0, le=130)
    sex: Literal["female", "male"] | None = None
    pregnant: bool = False


class TriageResult(BaseModel):
    """The outcome of a triage. It never diagnoses and never suggests supplement doses.

    Attributes:
        input: The input with every term resolved to its id.
        suspected: Suspected nutrients, highest score first (ties broken by a fixed nutrient order).
        red_flags: Patterns that need a clinician; shown before any food advice.
        notes: Lifestyle notes (fluids, caffeine, sleep, stress...).
        blood_tests: Blood tests worth asking a clinician about, for the suspected nutrients.
        disclaimer: The educational-use disclaimer.
        note_ids: The knowledge-file ids of ``notes``, in the same order (empty in results saved
            before they were recorded); targets follow some advice (``caffeine``: the plan keeps
            caffeine low).
    """

    model_config = _STRICT

    input: TriageInput
    suspected: list[SuspectedNutrient]
    red_flags: list[RedFlag]
    notes: list[str]
    blood_tests: list[str]
    disclaimer: str
    note_ids: list[str] = []


# --- the knowledge file -----------------------------------------------------------------------


class Association(BaseModel):
    """A weighted link from a symptom, factor or life stage to one nutrient."""

    model_config = _STRICT

    weight: float = Field(gt=0, le=5)
    why: str = Field(min_length=10)


class Term(BaseModel):
    """A symptom or risk factor: its label, its synonyms and the nutrients it points at.

    A factor may point at no nutrient: some medicines (a potassium-sparing diuretic, an ACE inhibitor)
    and conditions change the planning rules (:mod:`targets.compute`) without suggesting a shortfall.
    So may a symptom that only raises a red flag (chest pain, fainting, shortness of breath).
    """

    model_config = _STRICT

    label: str
    synonyms: list[str] = []
    nutrients: dict[str, Association] = {}


class LifeStage(BaseModel):
    """An adjustment that applies from an age onwards (``min_age``, in years)."""

    model_config = _STRICT

    label: str
    min_age: float = Field(gt=0)
    nutrients: dict[str, Association] = Field(min_length=1)


class AgeRange(BaseModel):
    """Ages from ``at_least`` (inclusive) up to ``under`` (exclusive), in years."""

    model_config = _STRICT

    under: float = Field(gt=0)
    at_least: float = Field(default=0, ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> AgeRange:
        if self.at_least >= self.under:
            raise ValueError(f"at_least {self.at_least:g} must be below under {self.under:g}")
        return self


class When(BaseModel):
    """When a red flag or note applies. A rule applies if any one of its conditions holds.

    ``urgency`` holds when a red flag of one of those levels applies (notes only: an urgent flag
    replaces the routine advice with what to do now).
    """

    model_config = _STRICT

    always: bool = False
    days_over: int | None = None
    age: AgeRange | None = None
    flags: list[Literal["multiple_groups", "worsening", "severe_pain", "pregnant"]] = []
    symptoms: list[str] = []
    factors: list[str] = []
    nutrients: list[str] = []
    urgency: list[str] = []


class RedFlagRule(BaseModel):
    """A red-flag rule. ``message`` may contain ``{matched}`` (the symptoms or factors that matched),
    ``{days}`` and ``{under}`` (the upper age of its ``when.age``). ``urgency`` is a level of the
    knowledge file's ``urgency`` section; rules of one level keep their file order. ``also``: a
    second condition that must hold too (palpitations *and* a diuretic); ``unless``: a condition
    that keeps the rule from applying (a more urgent rule covers the case)."""

    model_config = _STRICT

    id: str
    urgency: str
    source: str = Field(min_length=10)
    when: When
    also: When | None = None
    unless: When | None = None
    message: str
    advice: str


class NoteRule(BaseModel):
    """A lifestyle note, when to show it (``when``, and ``also`` when given), and when not to
    (``unless``: e.g. drinking advice is not for someone whose fluids a prescriber manages, and no
    routine advice sits beside an urgent red flag)."""

    model_config = _STRICT

    id: str
    when: When
    also: When | None = None
    unless: When | None = None
    text: str


class UrgencyLevel(BaseModel):
    """One level of urgency of a red flag: its label in outputs and what it means."""

    model_config = _STRICT

    label: str
    meaning: str


class Widespread(BaseModel):
    """Wordings that say more than one muscle group is affected ("body twitching", "cramps all over").

    A symptom typed with one of ``phrases`` resolves to what is left once the phrase (and any
    ``filler`` word at either end) is taken out, and sets the multiple-groups flag; a phrase on its
    own ("whole body") stands for ``symptom``.
    """

    model_config = _STRICT

    symptom: str
    phrases: list[str] = Field(min_length=1)
    filler: list[str] = []


class NutrientInfo(BaseModel):
    """Per-nutrient facts: the blood test worth asking for (if any)."""

    model_config = _STRICT

    blood_test: str | None = None


class Knowledge(BaseModel):
    """The whole knowledge file. Section order in the file is meaningful: ``nutrients`` sets the
    tie-break order of the ranking, ``symptoms`` and ``factors`` the order of ``--list``,
    ``urgency`` the order of red flags (most urgent first), and ``red_flags`` the order within a
    level. ``diet_factors`` maps a profile's diet to the risk factor it implies; ``withhold`` names
    the factors with which a nutrient is not suggested (it is the prescriber's call)."""

    model_config = _STRICT

    version: int
    nutrients: dict[str, NutrientInfo]
    symptoms: dict[str, Term]
    factors: dict[str, Term]
    widespread: Widespread
    diet_factors: dict[str, str] = {}
    withhold: dict[str, list[str]] = {}
    life_stages: dict[str, LifeStage]
    urgency: dict[str, UrgencyLevel] = Field(min_length=1)
    red_flags: list[RedFlagRule]
    notes: list[NoteRule]

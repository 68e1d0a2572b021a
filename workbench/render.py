"""Terminal tables for the workbench (rich renderables; the CLI shows them, a web page has its own templates)."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text

from mealplan.food_data.names import short_name
from mealplan.numbers import fmt_amount
from mealplan.report.text import md_escape
from mealplan.textsafe import strip_control
from mealplan.triage import DISCLAIMER


def _plain(value: object) -> Text:
    """User text as it is: never rich markup (``[red]`` in a client's name), no control characters."""
    return Text(strip_control(value, keep_newlines=True))


def _row(table: Table, *cells: object) -> None:
    table.add_row(*(_plain(c) for c in cells))


def _lines(out: list[Any]) -> list[Any]:
    return [_plain(o) if isinstance(o, str) else o for o in out]


# Characters of a client's notes shown on the terminal; the rest is counted (`--format json` has it all).
NOTES_SHOWN = 2000


def _preview(text: str, most: int) -> str:
    """``text`` cut to ``most`` characters, saying how many more there are (a table never lays out megabytes)."""
    if len(text) <= most:
        return text
    return f"{text[:most]}… ({len(text) - most:,} more characters; `--format json` shows them all)"


def client_renderables(client: Any, versions: list[Any], plans: list[Any]) -> list[Any]:
    """One client: their details, profile versions and the newest profile's fields."""
    out: list[Any] = [f"client {client.id}: {_preview(client.name or '(no name)', 200)}"]
    if client.notes:
        out.append(f"notes: {_preview(client.notes, NOTES_SHOWN)}")
    table = Table("version", "created", "changed fields", title="Profile versions", title_justify="left")
    previous: dict[str, Any] = {}
    for v in versions:
        changed = [k for k in v.profile if previous and v.profile.get(k) != previous.get(k)]
        _row(table, str(v.version), v.created, ", ".join(changed) if previous else "(first)")
        previous = v.profile
    out.append(table)
    if versions:
        fields = Table("field", "value", title=f"Profile version {versions[-1].version}", title_justify="left")
        for k, value in versions[-1].profile.items():
            if value not in (None, [], {}, False):
                _row(fields, k, str(value))
        out.append(fields)
    out.append(f"{len(plans)} plans: `mealplan history {client.id}` lists them.")
    return _lines(out)


def household_renderables(record: Any, version: Any, pantry: list[Any], plans: list[Any]) -> list[Any]:
    """One household: its members (stored clients or inline profiles), shared meals, rules, pantry and plans."""
    doc = version.household
    out: list[Any] = [f"household {record.id}: {_preview(record.name or '(no name)', 200)} (version {version.version})"]
    members = Table("member", "stored as", title="Members", title_justify="left")
    for m in doc.get("members", []):
        if "client" in m:
            _row(members, m["client"], f"client (`mealplan clients show {m['client']}`)")
        else:
            _row(members, (m.get("profile") or {}).get("id", "?"), "profile inline")
    out.append(members)
    shared = Table("meal", "days", "members", title="Shared meals", title_justify="left")
    for e in doc.get("shared", []):
        _row(shared, e.get("meal"), ", ".join(map(str, e.get("days") or [])) or "every day",
             ", ".join(e.get("members") or []) or "everyone")  # fmt: skip
    out.append(shared)
    rules = [f"{k}: {doc[k]}" for k in ("leftovers", "budget", "prices", "start") if doc.get(k) not in (None, False)]
    if rules:
        out.append("; ".join(rules))
    out += pantry_renderables(record.id, pantry)
    out.append(f"{len(plans)} plans: `mealplan history {record.id}` lists them.")
    return _lines(out)


def pantry_renderables(household_id: str, pantry: list[Any]) -> list[Any]:
    """A household's stored pantry rows."""
    if not pantry:
        return [f"no pantry stored: `mealplan households pantry {household_id} --import pantry.csv` stores one."]
    table = Table("food", "id", "amount", "grams", "use by", title="Pantry", title_justify="left")
    for i in pantry:
        _row(table, i.name, i.food_id, f"{i.amount:g} {i.unit}", f"{i.grams:,.0f}", str(i.use_by or ""))
    return [table]


def history_renderables(client: Any, plans: list[Any]) -> list[Any]:
    """A client's plans with their key figures, oldest first."""
    table = Table(
        "plan", "created", "action", "parent", "profile v.", "kind", "days", "kcal/day", "shortfalls", "edits",
        "status", title=_plain(f"Plans of {client.id} ({client.name or 'no name'})"), title_justify="left",
    )  # fmt: skip
    for p in plans:
        f = p.figures
        short = str(f.get("shortfalls", ""))
        if f.get("short_nutrients"):
            short += f" ({', '.join(f['short_nutrients'][:4])}{', ...' if len(f['short_nutrients']) > 4 else ''})"
        _row(table,
            str(p.id), p.created[:16].replace("T", " "), p.action, str(p.parent_id or ""),
            str(p.profile_version or p.household_version or ""), str(f.get("kind")),
            str(f.get("days")), f"{f.get('energy_kcal') or 0:,.0f}", short, str(f.get("edits", 0)),
            str(f.get("status")),
        )  # fmt: skip
    return _lines([table, DISCLAIMER])


def _grams(g: float | None) -> str:
    return "–" if g is None else f"{g:,.0f} g"


def _item_text(i: Any) -> str:
    name = f"{short_name(i.name)} ({i.food_id})"
    if i.grams_a is None:
        return f"+ {name} {_grams(i.grams_b)}"
    if i.grams_b is None:
        return f"- {name} {_grams(i.grams_a)}"
    return f"~ {name} {_grams(i.grams_a)} → {_grams(i.grams_b)}"


def _pct(n: Any) -> tuple[str, str]:
    def one(pct: float | None, amount: float, over: bool) -> str:
        text = f"{pct:.0f} %" if pct is not None else fmt_amount(amount, n.unit)
        return text + (" (above the upper limit)" if over else "")

    return one(n.pct_a, n.a, n.above_max_a), one(n.pct_b, n.b, n.above_max_b)


def _target(n: Any) -> str:
    parts = []
    if n.min:
        parts.append(f"≥ {fmt_amount(n.min, n.unit)}")
    if n.max is not None:
        parts.append(f"≤ {fmt_amount(n.max, n.unit)}")
    return ", ".join(parts)


def _counts(d: Any) -> str:
    n = len(d.meals)
    return f"{n} meal{'' if n == 1 else 's'} differ{'s' if n == 1 else ''}, {d.meals_same} are the same."


def _flags(d: Any) -> list[str]:
    return [f"RED FLAG: {f.message} {f.advice}".strip() for f in d.red_flags]


def diff_renderables(d: Any) -> list[Any]:
    """A plan diff for the terminal: red flags, the meals that changed, the nutrients that moved."""
    out: list[Any] = [*_flags(d), f"{d.a} → {d.b}: {_counts(d)}"]
    if d.meals:
        meals = Table("day", "meal", "change", "was", "now", "foods", title="Meals", title_justify="left")
        for m in d.meals:
            _row(meals, str(m.day), m.slot, m.change, m.title_a or "", m.title_b or "",
                          "\n".join(_item_text(i) for i in m.items))  # fmt: skip
        out.append(meals)
    shown = d.shown_nutrients
    if shown:
        scope = shown[0].scope
        table = Table("nutrient", "target", "was", "now", "change", "% of target",
                      title=f"Nutrients that moved ({scope})", title_justify="left")  # fmt: skip
        for n in shown:
            pa, pb = _pct(n)
            sign = "+" if n.delta > 0 else ""
            _row(table, n.name, _target(n), fmt_amount(n.a, n.unit), fmt_amount(n.b, n.unit),
                          f"{sign}{fmt_amount(n.delta, n.unit)}", f"{pa} → {pb}")  # fmt: skip
        out.append(table)
    else:
        out.append("No nutrient moved by more than half a percent of its target.")
    out.append(f"Shortfalls: {len(d.shortfalls_a)} → {len(d.shortfalls_b)}.")
    if d.resolved:
        out.append("Resolved: " + "; ".join(d.resolved))
    if d.new:
        out.append("New: " + "; ".join(d.new))
    out.append(d.disclaimer)
    return _lines(out)


def diff_markdown(d: Any) -> str:
    """A plan diff as Markdown (red flags first, the disclaimer last)."""
    lines = [f"> **{md_escape(f)}**\n" for f in _flags(d)]
    lines.append(f"# Plan changes: {md_escape(d.a)} → {md_escape(d.b)}\n")
    lines.append(f"{_counts(d)}\n")
    if d.meals:
        lines += ["| day | meal | change | was | now | foods |", "|---|---|---|---|---|---|"]
        for m in d.meals:
            foods = "<br>".join(md_escape(_item_text(i)) for i in m.items)
            lines.append(f"| {m.day} | {md_escape(m.slot)} | {m.change} | {md_escape(m.title_a or '')} | "
                         f"{md_escape(m.title_b or '')} | {foods} |")  # fmt: skip
        lines.append("")
    shown = d.shown_nutrients
    if shown:
        lines += [f"## Nutrients that moved ({shown[0].scope})\n", "| nutrient | target | was | now | % of target |",
                  "|---|---|---|---|---|"]  # fmt: skip
        for n in shown:
            pa, pb = _pct(n)
            lines.append(f"| {md_escape(n.name)} | {md_escape(_target(n))} | {fmt_amount(n.a, n.unit)} | "
                         f"{fmt_amount(n.b, n.unit)} | {pa} → {pb} |")  # fmt: skip
        lines.append("")
    lines.append(f"Shortfalls: {len(d.shortfalls_a)} → {len(d.shortfalls_b)}.\n")
    for title, items in (("Resolved", d.resolved), ("New", d.new)):
        if items:
            lines.append(f"**{title}:** " + "; ".join(md_escape(s) for s in items) + "\n")
    lines.append(f"*{md_escape(d.disclaimer)}*\n")
    return "\n".join(lines)

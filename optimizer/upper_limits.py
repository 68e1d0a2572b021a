"""How near a plan comes to the upper limits that apply to food (issue 14: report the highest %UL).

Targets keep each food UL on ``Target.ul`` (the maximum itself is 90 % of it, see
:mod:`targets.adjustments`); a day's total over that UL, in percent, is its %UL. The plan records
its highest (``Plan.highest_ul``) and the reports show it.
"""

from __future__ import annotations

from collections.abc import Iterable

from mealplan.plan import DayPlan, UlPeak
from mealplan.targets.model import Targets


def ul_shares(days: Iterable[DayPlan], targets: Targets) -> list[UlPeak]:
    """Every (day, nutrient) with a food UL, highest %UL first (ties: nutrient id, then day)."""
    out = []
    for day in days:
        for nid, total in day.totals.items():
            t = targets.items.get(nid)
            if t is None or not t.ul:
                continue
            out.append(
                UlPeak(
                    nutrient=nid,
                    name=t.name,
                    unit=t.unit,
                    day=day.index,
                    amount=round(total.amount, 4),
                    ul=t.ul,
                    pct_of_ul=round(total.amount / t.ul * 100.0, 1),
                )
            )
    return sorted(out, key=lambda p: (-p.pct_of_ul, p.nutrient, p.day))


def highest_ul(days: Iterable[DayPlan], targets: Targets) -> UlPeak | None:
    """The day and nutrient nearest its food UL; ``None`` when no target has one."""
    shares = ul_shares(days, targets)
    return shares[0] if shares else None


def ul_text(peak: UlPeak | None) -> str:
    """``Highest share of an upper limit: iron 88 % of the UL (39.6 of 45 mg, day 3)`` for reports."""
    if peak is None:
        return "No upper limit applies to this plan's nutrients"
    return (
        f"Highest share of an upper limit: {peak.name.lower()} {peak.pct_of_ul:.0f} % of the UL "
        f"({peak.amount:,.4g} of {peak.ul:,.4g} {peak.unit}, day {peak.day})"
    )

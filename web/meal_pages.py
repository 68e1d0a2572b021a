"""The meal editor: one meal of a plan, its amounts in household units, swaps, additions and removals.

``GET /plans/N/meal/DAY/MEAL`` shows the meal's items (each amount in a household measure of the food,
grams or ounces), the day's key nutrients, and on request the ranked alternatives for one item
(``?swap=ITEM``) or for the whole dish (``?dishes=1``), each with its effect on the day's key nutrients,
so the dietitian sees it before saving. ``POST /plans/N/edit`` makes one change (amount, remove, add,
swap, dish) in a worker: recorded, rescored and verified, and refused with the rules it would break
when the changed plan fails a check the plan passed. The change is a new plan in the history; the
page then shows the new plan's meal with the day's new numbers.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from mealplan.plan import slot_index
from mealplan.web.base import (
    NOTICES,
    PageError,
    Web,
    checked_form,
    client_of,
    number,
    plan_number,
    plan_of,
    record_of,
    render,
    respond,
)
from mealplan.web.client_pages import see

OPS = ("amount", "remove", "add", "swap", "dish")


def _web(request: Request) -> Web:
    return request.app.state.web


def _meal_of(plan, day_text: str, meal: str) -> tuple[int, str]:
    """A day number and meal name of ``plan``, or a 404 page that names what the plan has."""
    day = number(day_text)
    days = [d.index for d in plan.days]
    if day is None or day not in days:
        raise PageError(404, "No such meal", f"day {day_text[:20]!r}: the plan has days {days[0]} to {days[-1]}.")
    try:
        slot_index(plan, day, meal)
    except Exception:  # noqa: BLE001 - InputError: the message names the meals of the day
        names = [s.name for s in plan.days[days.index(day)].slots]
        raise PageError(404, "No such meal", f"meal {meal[:20]!r}: day {day} has {', '.join(names)}.") from None
    return day, meal


def meal_page(request: Request) -> Response:
    """One meal of a plan, ready to edit."""
    return _meal_page(
        request,
        plan_number(request.path_params["pid"]),
        request.path_params["day"],
        request.path_params["meal"],
        dict(request.query_params),
    )


def _meal_page(
    request: Request,
    pid: int,
    day_text: str,
    meal: str,
    query: dict[str, str],
    status: int = 200,
    error: str | None = None,
    candidates: list | None = None,
    form: dict | None = None,
) -> Response:
    from mealplan.report import SLOT_LABELS

    web = _web(request)
    with web.store() as store:
        record = record_of(store, pid)
        client = client_of(store, record.client_id)
        plan = plan_of(web, store, pid)
        newest = store.plans(record.client_id)[-1].id
    day, meal = _meal_of(plan, day_text, meal)
    slot = plan.days[[d.index for d in plan.days].index(day)].slots[slot_index(plan, day, meal)]
    swap = number(query.get("swap"))
    if swap is not None and not 1 <= swap <= len(slot.items):
        swap = None
    task = {
        "kind": "meal",
        "plan": plan.model_dump_json(),
        "day": day,
        "meal": meal,
        "swap": None if swap is None else swap - 1,
        "dishes": query.get("dishes") == "1",
    }
    info = web.run(task, "Cannot show that meal")
    locked = any(m.day == day and m.slot == meal for m in plan.locked)
    html = render(
        "meal.html.j2",
        title=f"Day {day} {meal} · plan {pid}",
        client=client,
        record=record,
        plan=plan,
        day=day,
        meal=meal,
        label=SLOT_LABELS.get(meal, meal.capitalize()),
        slot=slot,
        info=info,
        swap=swap,
        locked=locked,
        newest=newest,
        error=error,
        candidates=candidates or [],
        form=form or {},
        message=NOTICES.get(query.get("done", "")),
        flags=plan.red_flags,
    )
    return respond(request, html, status)


def _task(form: dict[str, str], plan, pid: int, day: int, meal: str) -> dict[str, Any]:
    op = form.get("op", "")
    if op not in OPS:
        raise PageError(422, "Cannot change that", f"change {op[:20]!r}: allowed {', '.join(OPS)}.")
    task: dict[str, Any] = {
        "kind": "edit",
        "op": op,
        "plan": plan.model_dump_json(),
        "day": day,
        "meal": meal,
        "parent": str(pid),
    }
    if op in ("amount", "remove", "swap"):
        item = number(form.get("index"))
        if item is None:
            raise PageError(422, "Cannot change that", f"item {form.get('index', '')[:20]!r}: give the item's number.")
        task["index"] = item - 1
    if op in ("amount", "add"):
        task["amount"], task["unit"] = form.get("amount", "").strip(), form.get("unit", "g")
    if op in ("add", "swap"):
        task["food"] = form.get("food", "").strip()
    if op == "swap":
        task["grams"] = form.get("grams", "")
    if op == "dish":
        task["dish"], task["portion"] = form.get("dish", "").strip(), form.get("portion", "1")
    for key in ("grams", "portion"):
        if key in task:
            try:
                task[key] = float(task[key])
            except ValueError:
                raise PageError(422, "Cannot change that", f"{key} {task[key][:20]!r}: give a number.") from None
    return task


async def edit(request: Request) -> Response:
    """One change to one meal: a new plan in the history, then the new plan's meal."""
    form = await checked_form(request)
    return await run_in_threadpool(_edit, request, plan_number(request.path_params["pid"]), form)


def _edit(request: Request, pid: int, form: dict[str, str]) -> Response:
    from mealplan.workbench.history import add_labelled_plan

    web = _web(request)
    with web.store() as store:
        record = record_of(store, pid)
        plan = plan_of(web, store, pid)
    day, meal = _meal_of(plan, form.get("day", ""), form.get("meal", ""))
    task = _task(form, plan, pid, day, meal)
    if task["op"] == "add":
        resolution = web.names().resolve(task["food"], "food") if task["food"] else None
        if resolution is None or resolution.value is None:
            text = (
                resolution.problem("food to add", listed=False)
                if resolution
                else "food to add: give a food's name or id"
            )
            return _meal_page(
                request, pid, str(day), meal, {}, 422, text, resolution.candidates if resolution else [], form
            )
        task["food"] = resolution.value
    result = web.jobs.run(task)
    if "error" in result:
        return _meal_page(request, pid, str(day), meal, {}, 422, result["error"], [], form)
    from mealplan.plan import Plan

    new_plan = Plan.model_validate_json(result["plan"])
    with web.store() as store:
        new = add_labelled_plan(store, record.client_id, new_plan, result["label"], parent_id=pid, action="edit")
    web.keep_report(new, result["html"])
    return see(f"/plans/{new}/meal/{day}/{meal}?done=edited#day-numbers")

"""A plan's page and its one-click actions: plan, job progress, lock, re-plan, forbid, plan again, downloads.

Heavy work (plans, re-plans, reports, the handout) runs in the background workers; a form that changes
data answers with a redirect (POST-redirect-GET) to the new plan, at the meal it changed. Every new
plan is stored with what made it in words (:func:`mealplan.workbench.history.describe`).
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from mealplan.errors import ConfigError, InputError, MealplanError
from mealplan.web.base import (
    NOTICES,
    PageError,
    Web,
    cached_page,
    checked_form,
    client_of,
    error_page,
    number,
    page,
    plan_number,
    plan_of,
    record_of,
    render,
    trusted,
)
from mealplan.web.client_pages import see
from mealplan.web.jobs import EXPECTED_S
from mealplan.web.security import page_csp

JOB_WAIT_S = 1.5  # a job page waits this long for the plan before it shows progress and refreshes


def _web(request: Request) -> Web:
    return request.app.state.web


def _pid(request: Request) -> int:
    return plan_number(request.path_params["pid"])


def store_result(web: Web, cid: str, *, parent_id: int | None, action: str, profile=None, label: str | None = None):
    """What a finished job does in the web process: store the plan with what made it in words, keep its
    report; the new id."""
    from mealplan.plan import Plan
    from mealplan.workbench.history import add_labelled_plan, describe

    def stored(result: dict[str, Any]) -> int:
        plan = Plan.model_validate_json(result["plan"])
        with web.store() as store:
            parent = store.plan(parent_id) if parent_id is not None else None
            words = label or describe(action, plan, parent)
            plan_id = add_labelled_plan(store, cid, plan, words, profile=profile, parent_id=parent_id, action=action)
        web.keep_report(plan_id, result["html"])
        return plan_id

    return stored


async def start_plan(request: Request) -> Response:
    """Plan a day or a week with the client's latest profile, in the background."""
    form = await checked_form(request)
    return await run_in_threadpool(_start_plan, request, request.path_params["cid"], form.get("days", "7"))


def _start_plan(request: Request, cid: str, days_text: str, parent_id: int | None = None) -> Response:
    from mealplan.workbench.clients import stored_profile

    days = 1 if days_text.strip() == "1" else 7
    web = _web(request)
    with web.store() as store:
        client_of(store, cid)
        try:
            profile, version = stored_profile(store, cid)
        except MealplanError as exc:
            return error_page(request, 422, "The profile needs a change first", str(exc))
    task = {"kind": "plan", "profile": profile.model_dump_json(), "days": days, "time_limit": 30.0}
    span = "week" if days == 7 else "day"
    what = f"a {span} for {cid}" + (f" (again, after plan {parent_id})" if parent_id else "")
    label = f"{span} planned" + (f" again with profile version {version}" if parent_id else "")
    job = web.jobs.submit(
        cid,
        what,
        task,
        EXPECTED_S[days],
        store_result(web, cid, parent_id=parent_id, action="plan", profile=profile, label=label),
    )
    return see(f"/jobs/{job.id}")


async def job_page(request: Request) -> Response:
    """A job: waits a moment for it, then shows progress and refreshes itself until the plan is stored."""
    jid = request.path_params["jid"]
    job = _web(request).jobs.job(jid) if re.fullmatch(r"[0-9a-f]{1,32}", jid) else None
    if job is None:
        return error_page(
            request,
            404,
            "No such job",
            "This job is not known: the server may have restarted. The client's page lists every stored plan.",
        )
    waited = 0.0
    while not job.done.is_set() and waited < JOB_WAIT_S:
        await asyncio.sleep(0.05)
        waited += 0.05
    if job.state == "done":
        return see(f"/plans/{job.plan_id}?done=planned#changed")
    return page(
        request,
        "job.html.j2",
        status=200,
        title="Planning" if job.state == "running" else "Plan failed",
        job=job,
        refresh=0 if job.state == "running" else None,
    )


def plan_view(plan) -> list[dict[str, Any]]:
    """The plan as the controls show it: days, meals (locked or not) and their foods."""
    from mealplan.report import SLOT_LABELS

    locked = {(m.day, m.slot) for m in plan.locked}
    days = []
    for d in plan.days:
        meals = []
        for s in d.slots:
            label = SLOT_LABELS.get(s.name, s.name.replace("snack", "snack ").strip().capitalize())
            meals.append(
                {
                    "slot": s.name,
                    "label": label,
                    "title": s.title,
                    "dish_id": s.dish_id,
                    "locked": (d.index, s.name) in locked,
                    "kcal": s.energy_kcal,
                    "foods": s.items,
                }
            )
        days.append({"day": d.index, "meals": meals, "kcal": d.energy_kcal})
    return days


def _report(web: Web, plan_id: int, plan) -> str:
    html = web.reports.get(plan_id)
    if html is None:
        html = web.run({"kind": "render", "plan": plan.model_dump_json(), "format": "html"}, "Cannot show the report")[
            "text"
        ]
        web.keep_report(plan_id, html)
    return html


def previous_of(plans: list, record) -> int | None:
    """The plan to compare with: the parent, else the client's plan before this one."""
    if record.parent_id is not None:
        return record.parent_id
    earlier = [p.id for p in plans if p.id < record.id]
    return earlier[-1] if earlier else None


def changed_summary(before, plan) -> dict[str, Any]:
    """A few lines on what changed from ``before`` to ``plan``: meals, targets met or lost, shortfalls."""
    from mealplan.workbench.diff import diff_plans

    d = diff_plans(before, plan, "before", "now")
    meals = []
    for m in d.meals[:6]:
        if m.change == "replaced":
            meals.append(f"Day {m.day} {m.slot}: {m.title_a} → {m.title_b}")
        elif m.change == "changed":
            parts = [
                f"{'+' if i.grams_a is None else '−' if i.grams_b is None else '~'} {i.name.split(',')[0]}"
                for i in m.items[:4]
            ]
            meals.append(f"Day {m.day} {m.slot} ({m.title_b}): " + ", ".join(parts))
        else:
            meals.append(f"Day {m.day} {m.slot}: {m.change}")
    if len(d.meals) > 6:
        meals.append(f"and {len(d.meals) - 6} more meals")
    met = [n.name for n in d.nutrients if n.met_b and not n.met_a]
    lost = [n.name for n in d.nutrients if n.met_a and not n.met_b]
    return {
        "meals": meals,
        "met": met,
        "lost": lost,
        "short_a": len(d.shortfalls_a),
        "short_b": len(d.shortfalls_b),
        "same": d.meals_same,
    }


def plan_page(request: Request) -> Response:
    """A stored plan: red flags, what changed, the controls, status and note, downloads, then the report."""
    from mealplan.workbench.history import labels, note_of

    pid = _pid(request)
    web = _web(request)
    with web.store() as store:
        record = record_of(store, pid)
        if record.household_version is not None:
            from mealplan.web.household_pages import household_plan_page

            return household_plan_page(request, web, record)
        client = client_of(store, record.client_id)
        plans = store.plans(record.client_id)
        note = note_of(store, pid)
        label = labels(store, record.client_id, [record])[pid]
    message = NOTICES.get(request.query_params.get("done", ""))
    newest = plans[-1].id if plans else pid
    units = "metric"

    def build() -> str:
        with web.store() as store:
            plan = plan_of(web, store, pid)
            parent = plan_of(web, store, record.parent_id) if record.parent_id is not None else None
            profile = store.latest_profile(record.client_id).profile
        body = _report(web, pid, plan).split("<main>", 1)[-1].rsplit("</main>", 1)[0]
        body = body.replace("<h1", "<h2").replace("</h1>", "</h2>")  # one h1 a page: the plan's own
        return render(
            "plan.html.j2",
            title=f"Plan {pid} · {client.name or client.id}",
            client=client,
            record=record,
            plan=plan,
            days=plan_view(plan),
            flags=plan.red_flags,
            report=trusted(body),
            previous=previous_of(plans, record),
            newest=newest,
            message=message,
            note=note,
            label=label,
            changed=changed_summary(parent, plan) if parent is not None else None,
            units=profile.get("units", units),
            plans=plans,
        )

    key = ("plan", pid, client.name, newest, message, note.status, note.note, label)
    return cached_page(request, key, build)


async def lock(request: Request) -> Response:
    """Lock (or unlock) one meal: a new plan in the history, with the meal kept by re-plans."""
    form = await checked_form(request)
    return await run_in_threadpool(_lock, request, _pid(request), form)


def _lock(request: Request, pid: int, form: dict[str, str]) -> Response:
    from mealplan.workbench.history import add_labelled_plan, describe
    from mealplan.workbench.replan import lock_meals

    web = _web(request)
    unlock = form.get("unlock") == "1"
    action = "unlock" if unlock else "lock"
    with web.store() as store:
        record = record_of(store, pid)
        plan = plan_of(web, store, pid)
        day = number(form.get("day"))
        try:
            if day is None:
                raise InputError(f"day {form.get('day', '')!r}: give a day number of the plan (1-{len(plan.days)}).")
            result = lock_meals(plan, [(day, form.get("meal", ""))], unlock=unlock)
        except InputError as exc:
            raise PageError(422, "Cannot lock that meal", str(exc)) from None
        result = result.model_copy(update={"parent_id": str(pid)})
        new = add_labelled_plan(
            store, record.client_id, result, describe(action, result, plan), parent_id=pid, action=action
        )
    if pid in web.reports:  # a lock changes no meal: the report reads the same
        web.keep_report(new, web.reports[pid])
    return see(f"/plans/{new}?done={action}ed#meal-{day}-{form.get('meal', '')}")


async def replan(request: Request) -> Response:
    """Re-plan one day or one meal of the plan in the background, keeping everything else."""
    form = await checked_form(request)
    return await run_in_threadpool(_replan, request, _pid(request), form)


def _forbid_profile(store, record, forbid: str):
    from mealplan.targets.profile_files import profile_from_dict

    base = store.latest_profile(record.client_id).profile
    forbidden = list(dict.fromkeys([*base.get("forbid", []), forbid]))
    try:
        return profile_from_dict({**base, "forbid": forbidden}, source=f"client {record.client_id}")
    except ConfigError as exc:
        raise PageError(422, "Cannot forbid that", str(exc)) from None


def _locked_serving(plan, item: str) -> list[tuple[int, str]]:
    """The locked meals that serve food or dish ``item`` (a forbid would leave it there)."""
    locked = {(m.day, m.slot) for m in plan.locked}
    return [
        (d.index, s.name)
        for d in plan.days
        for s in d.slots
        if (d.index, s.name) in locked and (s.dish_id == item or any(i.food_id == item for i in s.items))
    ]


def _replan(request: Request, pid: int, form: dict[str, str], forbid: str | None = None) -> Response:
    from mealplan.optimizer.replan import days_serving
    from mealplan.workbench.clients import stored_profile
    from mealplan.workbench.replan import lock_meals

    web = _web(request)
    with web.store() as store:
        record = record_of(store, pid)
        plan = plan_of(web, store, pid)
        if forbid:
            held = _locked_serving(plan, forbid)
            if held and form.get("unlock") != "1":
                return page(
                    request,
                    "forbid_locked.html.j2",
                    title="Forbid in a locked meal",
                    record=record,
                    item=forbid,
                    held=held,
                    client=client_of(store, record.client_id),
                )
            days = days_serving(plan, forbid)
            if not days:
                raise PageError(
                    422,
                    "Not in this plan",
                    f"{forbid!r} is in none of this plan's meals; forbid it in "
                    "the client's profile (Forbid rows) to keep it out of new plans.",
                )
            profile = _forbid_profile(store, record, forbid)
            store.save_profile(record.client_id, profile)
            plan = lock_meals(plan, held, unlock=True) if held else plan
        else:
            try:
                profile, _ = stored_profile(store, record.client_id)
            except MealplanError:
                profile = None  # the plan's own rules are used; the profile gives only its price table
    meal = form.get("meal", "").strip() or None
    if forbid:
        what, action, meal = f"forbid {forbid} and re-plan day {', '.join(map(str, days))}", "forbid", None
    else:
        day = number(form.get("day"))
        if day is None or not 1 <= day <= len(plan.days):
            raise PageError(
                422, "Cannot re-plan that", f"day {form.get('day', '')!r}: give a day of the plan (1-{len(plan.days)})."
            )
        days, action = [day], "replan"
        what = f"re-plan day {day}" + (f" {meal}" if meal else "")
    task = {
        "kind": "replan",
        "plan": plan.model_dump_json(),
        "days": days,
        "meal": meal,
        "parent": str(pid),
        "forbid": [forbid] if forbid else [],
        "time_limit": 30.0,
        "profile": profile.model_dump_json() if profile is not None else None,
    }
    job = web.jobs.submit(
        record.client_id,
        what,
        task,
        EXPECTED_S[1] * len(days),
        store_result(web, record.client_id, parent_id=pid, action=action),
    )
    return see(f"/jobs/{job.id}")


async def forbid(request: Request) -> Response:
    """Forbid a food or dish: a new profile version, then the days that served it re-planned (a locked
    meal that serves it is named first, and unlocked only when the dietitian says so)."""
    form = await checked_form(request)
    item = form.get("item", "").strip()
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}", item):
        raise PageError(
            422, "Cannot forbid that", f"item {item[:80]!r}: give a food id (e.g. 09040) or a dish id from this plan."
        )
    return await run_in_threadpool(_replan, request, _pid(request), form, item)


async def plan_again(request: Request) -> Response:
    """Plan the whole day or week again with the client's latest profile (after a profile change)."""
    form = await checked_form(request)
    pid = _pid(request)

    def run() -> Response:
        with _web(request).store() as store:
            record = record_of(store, pid)
        days = str(record.figures.get("days", 7))
        return _start_plan(request, record.client_id, form.get("days", days), parent_id=pid)

    return await run_in_threadpool(run)


DOWNLOADS = {  # name -> (what is rendered, media type)
    "handout.pdf": ("handout", "application/pdf"),
    "handout.html": ("handout.html", "text/html; charset=utf-8"),
    "report.html": ("html", "text/html; charset=utf-8"),
    "report.md": ("md", "text/markdown; charset=utf-8"),
    "shopping.csv": ("shopping.csv", "text/csv; charset=utf-8"),
    "shopping.md": ("shopping.md", "text/markdown; charset=utf-8"),
    "plan.json": ("json", "application/json"),
    "changes.md": ("diff", "text/markdown; charset=utf-8"),
}


def _against(request: Request, store, record) -> int | None:
    """The plan a changes download compares with: ``?against=N`` (a plan of the same client), else the previous."""
    text = request.query_params.get("against")
    if not text:
        return previous_of(store.plans(record.client_id), record)
    against = number(text)
    if against is None or record_of(store, against).client_id != record.client_id:
        raise PageError(422, "Cannot compare", f"against {text[:40]!r}: give a plan number from the client's history.")
    return against


def _handout_task(request: Request, store, record, plan, html: bool) -> dict[str, Any]:
    from mealplan.workbench.history import note_of

    client = client_of(store, record.client_id)
    profile = store.latest_profile(record.client_id).profile
    units = request.query_params.get("units") or profile.get("units") or "metric"
    if units not in ("metric", "us"):
        raise PageError(422, "Cannot make the handout", f"units {units[:20]!r}: allowed metric or us.")
    return {
        "kind": "handout",
        "plan": plan.model_dump_json(),
        "html": html,
        "name": client.name or profile.get("name") or client.id,
        "note": note_of(store, record.id).note,
        "units": units,
        "appendix": request.query_params.get("appendix") == "1",
    }


def download(request: Request) -> Response:
    """A plan's handout (PDF), report (HTML, Markdown), shopping list (CSV, Markdown), JSON, or changes."""
    pid, name = _pid(request), request.path_params["name"]
    if name not in DOWNLOADS:
        raise PageError(404, "No such download", f"{name[:60]!r}: the downloads are {', '.join(DOWNLOADS)}.")
    fmt, media = DOWNLOADS[name]
    web = _web(request)
    with web.store() as store:
        record = record_of(store, pid)
        if record.household_version is not None:
            from mealplan.web.household_pages import household_download

            return household_download(web, record, name)
        plan = plan_of(web, store, pid)
        previous = _against(request, store, record) if fmt == "diff" else None
        other = plan_of(web, store, previous) if previous is not None else None
        task = _handout_task(request, store, record, plan, fmt == "handout.html") if fmt.startswith("handout") else None
    if fmt == "json":
        body: str | bytes = plan.model_dump_json()
    elif fmt == "html":
        body = _report(web, pid, plan)
    elif fmt == "diff":
        from mealplan.workbench.diff import diff_plans
        from mealplan.workbench.render import diff_markdown

        if other is None:
            raise PageError(404, "Nothing to compare with", f"Plan {pid} is the client's first plan.")
        body = diff_markdown(diff_plans(other, plan, f"plan {previous}", f"plan {pid}"))
    elif task is not None:
        result = web.run(task, "Cannot make the handout")
        body = result.get("pdf") or result["text"]
    else:
        body = web.run({"kind": "render", "plan": plan.model_dump_json(), "format": fmt}, "Cannot render that")["text"]
    filename = f"{record.client_id}-plan-{pid}-{name}"
    disposition = "inline" if fmt == "handout.html" else "attachment"
    headers = {"content-disposition": f'{disposition}; filename="{filename}"'}
    if isinstance(body, str) and media.startswith("text/html"):
        headers["content-security-policy"] = page_csp(body)
    return Response(body, media_type=media, headers=headers)


def report_css(request: Request) -> Response:
    """The report's stylesheet (the pages share its look)."""
    from mealplan.report.html import stylesheet

    return PlainTextResponse(str(stylesheet()), media_type="text/css", headers={"cache-control": "max-age=3600"})

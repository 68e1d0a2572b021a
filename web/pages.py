"""What each page shows and what each form does; every change is stored in the client's history.

Handlers call the library (the workbench :class:`~mealplan.workbench.store.Store`, ``lock_meals``,
``diff_plans``, the triage, the profile model) and hand heavy work (plans, re-plans, reports) to
the background jobs. A form that changes data answers with a redirect (POST-redirect-GET); a plan
or re-plan answers with its job page, which refreshes itself until the plan is stored.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from mealplan.errors import ConfigError, InputError, MealplanError
from mealplan.web import forms
from mealplan.web.base import Web, cached_page, checked_form, error_page, page, render, respond, trusted
from mealplan.web.jobs import EXPECTED_S

JOB_WAIT_S = 1.5  # a job page waits this long for the plan before it shows progress and refreshes
NOTICES = {  # what a redirect's ?done= says (fixed texts: nothing from the address is shown)
    "added": "Client added (profile version 1). Plan a day or a week below.",
    "saved": "Profile saved as a new version. Plans made from now on use it.",
    "unchanged": "The profile is unchanged: no new version stored.",
    "locked": "Meal locked: re-plans keep it as it is. Stored as a new plan in the history.",
    "unlocked": "Meal unlocked. Stored as a new plan in the history.",
}


def _web(request: Request) -> Web:
    return request.app.state.web


def _see(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _no_client(request: Request, cid: str) -> Response:
    return error_page(request, 404, "No such client",
                      f"There is no client {cid!r} in this database. The list of clients shows the ones there are; "
                      "add a client there.")  # fmt: skip


def _no_plan(request: Request, pid: int) -> Response:
    return error_page(request, 404, "No such plan",
                      f"There is no plan {pid} in this database. A client's page lists their plans.")  # fmt: skip


# --- clients --------------------------------------------------------------------------------------


def index(request: Request) -> Response:
    """The client list and the form that adds a client."""
    return _index(request)


def _index(request: Request, values: dict | None = None, errors: dict | None = None, status: int = 200) -> Response:
    with _web(request).store() as store:
        clients = store.clients()

    def build() -> str:
        blank = {**forms.blank_values(), "client_id": "", "notes": ""}
        return render("index.html.j2", title="Clients", clients=clients, sections=forms.SECTIONS,
                      choices=forms.choices, values=values or blank, errors=errors or {})  # fmt: skip

    if values is None and errors is None:
        return cached_page(request, ("index", *((c.id, c.name, c.updated, c.plans) for c in clients)), build)
    return respond(request, build(), status)


async def add_client(request: Request) -> Response:
    """Add a client from the form: the profile validated by field, stored as version 1."""
    form = await checked_form(request)
    return await run_in_threadpool(_add_client, request, form)


def _add_client(request: Request, form: dict[str, str]) -> Response:
    from mealplan.workbench.clients import client_id_checked

    cid = form.get("client_id", "").strip()
    errors: dict[str, list[str]] = {}
    try:
        cid = client_id_checked(cid)
    except InputError:
        errors["client_id"] = [f"client id {cid!r}: 1-64 letters, digits, '_', '.' or '-', starting with a letter "
                               "or digit (it names the client in the address and in files)"]  # fmt: skip
    try:
        profile = forms.profile_from_form(form, {}, cid if not errors else "client")
    except ConfigError as exc:
        errors.update(forms.errors_by_field(exc, form))
    if not errors:
        try:
            with _web(request).store() as store:
                store.add_client(cid, profile, name=form.get("name", "").strip(), notes=form.get("notes", ""))
        except InputError as exc:
            errors["client_id"] = [str(exc).split(";")[0] + "; choose another id."]
    if errors:
        return _index(request, values=form, errors=errors, status=422)
    return _see(f"/clients/{cid}?done=added")


def _triage(profile) -> tuple[Any, str | None]:
    """The client's triage (red flags first) from their profile, or a message why there is none."""
    from mealplan.targets.compute import triage_input
    from mealplan.triage import run_triage

    try:
        inp = triage_input(profile)
        return (run_triage(inp) if inp is not None else None), None
    except MealplanError as exc:
        return None, str(exc)


def client_page(request: Request) -> Response:
    """One client: red flags and triage first, plan buttons, history, the profile form."""
    return _client_page(request, request.path_params["cid"])


def _client_page(request: Request, cid: str, values: dict | None = None, errors: dict | None = None,
                 status: int = 200) -> Response:  # fmt: skip
    with _web(request).store() as store:
        try:
            client = store.client(cid)
        except InputError:
            return _no_client(request, cid)
        versions = store.profile_versions(cid)
        plans = store.plans(cid)
    message = NOTICES.get(request.query_params.get("done", ""))
    if values is None and errors is None:
        key = ("client", cid, client.name, client.notes, client.updated, len(versions), len(plans), message)
        return cached_page(request, key, lambda: _client_html(client, versions, plans, None, None, message))
    return respond(request, _client_html(client, versions, plans, values, errors, message), status)


def _client_html(client, versions: list, plans: list, values: dict | None, errors: dict | None,
                 message: str | None) -> str:  # fmt: skip
    from mealplan.targets.profile_files import profile_from_dict

    cid = client.id
    latest = versions[-1]
    profile, problem = None, None
    try:  # validated again, as `stored_profile` does: the rules may have changed since it was stored
        profile = profile_from_dict(latest.profile, source=f"client {cid}, profile version {latest.version}")
    except MealplanError as exc:
        problem = str(exc)
    triage, triage_problem = _triage(profile) if profile is not None else (None, None)
    if values is None:
        values = {**forms.form_values(latest.profile), "notes": client.notes, "client_name": client.name}
    return render("client.html.j2", title=client.name or client.id, client=client, versions=versions,
                  plans=list(reversed(plans)), version=latest, problem=problem or triage_problem, triage=triage,
                  flags=triage.red_flags if triage else [], sections=forms.SECTIONS, choices=forms.choices,
                  values=values, errors=errors or {}, message=message)  # fmt: skip


async def save_profile(request: Request) -> Response:
    """Store the profile form as a new profile version (and the client's name and notes)."""
    form = await checked_form(request)
    return await run_in_threadpool(_save_profile, request, request.path_params["cid"], form)


def _save_profile(request: Request, cid: str, form: dict[str, str]) -> Response:
    with _web(request).store() as store:
        try:
            latest = store.latest_profile(cid)
        except InputError:
            return _no_client(request, cid)
        try:
            profile = forms.profile_from_form(form, latest.profile, cid)
        except ConfigError as exc:
            return _client_page(request, cid, values=form, errors=forms.errors_by_field(exc, form), status=422)
        before = latest.version
        client = store.edit_client(cid, name=form.get("client_name", "").strip(), notes=form.get("notes", ""),
                                   profile=profile)  # fmt: skip
    return _see(f"/clients/{cid}?done={'saved' if client.profile_versions > before else 'unchanged'}")


# --- plans and jobs -------------------------------------------------------------------------------


def _store_result(web: Web, cid: str, *, parent_id: int | None, action: str, profile=None):
    """What a finished job does in the web process: store the plan, keep its report; the new id."""
    from mealplan.plan import Plan

    def stored(result: dict[str, Any]) -> int:
        plan = Plan.model_validate_json(result["plan"])
        with web.store() as store:
            plan_id = store.add_plan(cid, plan, profile=profile, parent_id=parent_id, action=action)
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
        try:
            store.client(cid)
        except InputError:
            return _no_client(request, cid)
        try:
            profile, _ = stored_profile(store, cid)
        except MealplanError as exc:
            return error_page(request, 422, "The profile needs a change first", str(exc))
    task = {"kind": "plan", "profile": profile.model_dump_json(), "days": days, "time_limit": 30.0}
    what = f"a {'week' if days == 7 else 'day'} for {cid}" + (f" (again, after plan {parent_id})" if parent_id else "")
    job = web.jobs.submit(cid, what, task, EXPECTED_S[days],
                          _store_result(web, cid, parent_id=parent_id, action="plan", profile=profile))  # fmt: skip
    return _see(f"/jobs/{job.id}")


async def job_page(request: Request) -> Response:
    """A job: waits a moment for it, then shows progress and refreshes itself until the plan is stored."""
    job = _web(request).jobs.job(request.path_params["jid"])
    if job is None:
        return error_page(request, 404, "No such job",
                          "This job is not known: the server may have restarted. The client's page lists "
                          "every stored plan.")  # fmt: skip
    waited = 0.0
    while not job.done.is_set() and waited < JOB_WAIT_S:
        await asyncio.sleep(0.05)
        waited += 0.05
    if job.state == "done":
        return _see(f"/plans/{job.plan_id}")
    return page(request, "job.html.j2", status=200, title="Planning" if job.state == "running" else "Plan failed",
                job=job, refresh=0 if job.state == "running" else None)  # fmt: skip


def _plan_view(plan) -> list[dict[str, Any]]:
    """The plan as the controls show it: days, meals (locked or not) and their foods."""
    from mealplan.report import SLOT_LABELS

    locked = {(m.day, m.slot) for m in plan.locked}
    days = []
    for d in plan.days:
        meals = []
        for s in d.slots:
            label = SLOT_LABELS.get(s.name, s.name.replace("snack", "snack ").strip().capitalize())
            meals.append({"slot": s.name, "label": label, "title": s.title, "dish_id": s.dish_id,
                          "locked": (d.index, s.name) in locked, "kcal": s.energy_kcal, "foods": s.items})  # fmt: skip
        days.append({"day": d.index, "meals": meals})
    return days


def _report(web: Web, plan_id: int, plan_json: str) -> str:
    html = web.reports.get(plan_id)
    if html is None:
        result = web.jobs.run({"kind": "render", "plan": plan_json, "format": "html"})
        if "error" in result:
            raise InputError(result["error"])
        html = result["text"]
        web.keep_report(plan_id, html)
    return html


def _previous(plans: list, record) -> int | None:
    """The plan to compare with: the parent, else the client's plan before this one."""
    if record.parent_id is not None:
        return record.parent_id
    earlier = [p.id for p in plans if p.id < record.id]
    return earlier[-1] if earlier else None


def plan_page(request: Request) -> Response:
    """A stored plan: red flags, the controls (lock, forbid, re-plan), downloads, then the report."""

    pid = request.path_params["pid"]
    web = _web(request)
    with web.store() as store:
        try:
            record = store.plan_record(pid)
        except InputError:
            return _no_plan(request, pid)
        client = store.client(record.client_id)
        plans = store.plans(record.client_id)
    message = NOTICES.get(request.query_params.get("done", ""))
    newest = plans[-1].id if plans else pid

    def build() -> str:
        with web.store() as store:
            raw = store.plan_json(pid)
        plan = web.plan(pid, raw)
        body = _report(web, pid, raw).split("<main>", 1)[-1].rsplit("</main>", 1)[0]
        return render("plan.html.j2", title=f"Plan {pid} · {client.name or client.id}", client=client,
                      record=record, plan=plan, days=_plan_view(plan), flags=plan.red_flags, report=trusted(body),
                      previous=_previous(plans, record), newest=newest, message=message)  # fmt: skip

    return cached_page(request, ("plan", pid, client.name, newest, message), build)


def _form_int(form: dict[str, str], name: str) -> int | None:
    text = form.get(name, "").strip()
    return int(text) if text.isdigit() else None


async def lock(request: Request) -> Response:
    """Lock (or unlock) one meal: a new plan in the history, with the meal kept by re-plans."""
    form = await checked_form(request)
    return await run_in_threadpool(_lock, request, request.path_params["pid"], form)


def _lock(request: Request, pid: int, form: dict[str, str]) -> Response:
    from mealplan.workbench.replan import lock_meals

    web = _web(request)
    unlock = form.get("unlock") == "1"
    with web.store() as store:
        try:
            record = store.plan_record(pid)
        except InputError:
            return _no_plan(request, pid)
        plan = store.plan(pid)
        try:
            day = _form_int(form, "day")
            if day is None:
                raise InputError(f"day {form.get('day', '')!r}: give a day number of the plan (1-{len(plan.days)}).")
            result = lock_meals(plan, [(day, form.get("meal", ""))], unlock=unlock)
        except InputError as exc:
            return error_page(request, 422, "Cannot lock that meal", str(exc))
        result = result.model_copy(update={"parent_id": str(pid)})
        new = store.add_plan(record.client_id, result, parent_id=pid, action="unlock" if unlock else "lock")
    if pid in web.reports:  # a lock changes no meal: the report reads the same
        web.keep_report(new, web.reports[pid])
    return _see(f"/plans/{new}?done={'unlocked' if unlock else 'locked'}")


async def replan(request: Request) -> Response:
    """Re-plan one day or one meal of the plan in the background, keeping everything else."""
    form = await checked_form(request)
    return await run_in_threadpool(_replan, request, request.path_params["pid"], form)


def _replan(request: Request, pid: int, form: dict[str, str], forbid: str | None = None) -> Response:
    from mealplan.optimizer.replan import days_serving
    from mealplan.targets.profile_files import profile_from_dict
    from mealplan.workbench.clients import stored_profile

    web = _web(request)
    with web.store() as store:
        try:
            record = store.plan_record(pid)
        except InputError:
            return _no_plan(request, pid)
        plan = store.plan(pid)
        profile = None
        if forbid:
            base = store.latest_profile(record.client_id).profile
            forbidden = list(dict.fromkeys([*base.get("forbid", []), forbid]))
            try:
                profile = profile_from_dict({**base, "forbid": forbidden}, source=f"client {record.client_id}")
            except ConfigError as exc:
                return error_page(request, 422, "Cannot forbid that", str(exc))
            store.save_profile(record.client_id, profile)
        else:
            try:
                profile, _ = stored_profile(store, record.client_id)
            except MealplanError:
                profile = None  # the plan's own rules are used; the profile gives only its price table
    meal = form.get("meal", "").strip() or None
    if forbid:
        days = days_serving(plan, forbid)
        if not days:
            return error_page(request, 422, "Not in this plan", f"{forbid!r} is in none of this plan's meals; it is "
                              "forbidden in the client's profile from now on.")  # fmt: skip
        what, action, meal = f"forbid {forbid} and re-plan day {', '.join(map(str, days))}", "forbid", None
    else:
        day = _form_int(form, "day")
        if day is None or not 1 <= day <= len(plan.days):
            return error_page(request, 422, "Cannot re-plan that", f"day {form.get('day', '')!r}: give a day of the "
                              f"plan (1-{len(plan.days)}).")  # fmt: skip
        days, action = [day], "replan"
        what = f"re-plan day {day}" + (f" {meal}" if meal else "")
    task = {"kind": "replan", "plan": plan.model_dump_json(), "days": days, "meal": meal, "parent": str(pid),
            "forbid": [forbid] if forbid else [], "time_limit": 30.0,
            "profile": profile.model_dump_json() if profile is not None else None}  # fmt: skip
    job = web.jobs.submit(record.client_id, what, task, EXPECTED_S[1] * len(days),
                          _store_result(web, record.client_id, parent_id=pid, action=action))  # fmt: skip
    return _see(f"/jobs/{job.id}")


async def forbid(request: Request) -> Response:
    """Forbid a food or dish: a new profile version, then the days that served it re-planned."""
    form = await checked_form(request)
    item = form.get("item", "").strip()
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}", item):
        return error_page(request, 422, "Cannot forbid that",
                          f"item {item!r}: give a food id (e.g. 09040) or a dish id from this plan.")  # fmt: skip
    return await run_in_threadpool(_replan, request, request.path_params["pid"], form, item)


async def plan_again(request: Request) -> Response:
    """Plan the whole day or week again with the client's latest profile (after a profile change)."""
    form = await checked_form(request)
    pid = request.path_params["pid"]

    def run() -> Response:
        with _web(request).store() as store:
            try:
                record = store.plan_record(pid)
            except InputError:
                return _no_plan(request, pid)
        days = str(record.figures.get("days", 7))
        return _start_plan(request, record.client_id, form.get("days", days), parent_id=pid)

    return await run_in_threadpool(run)


def diff_page(request: Request) -> Response:
    """What changed between this plan and another (the previous one by default)."""
    from mealplan.workbench.diff import diff_plans

    pid = request.path_params["pid"]
    web = _web(request)
    with web.store() as store:
        try:
            record = store.plan_record(pid)
        except InputError:
            return _no_plan(request, pid)
        plans = store.plans(record.client_id)
        against_text = request.query_params.get("against", "")
        if against_text and not against_text.isdigit():
            return error_page(request, 422, "Cannot compare",
                              f"against {against_text!r}: give a plan number from the client's history.")  # fmt: skip
        against = int(against_text) if against_text else _previous(plans, record)
        if against is None:
            return error_page(
                request,
                404,
                "Nothing to compare with",
                f"Plan {pid} is the client's first plan; plan again or re-plan a day, then compare.",
            )
        try:
            other = store.plan(against)
        except InputError:
            return _no_plan(request, against)
        plan = store.plan(pid)
        client = store.client(record.client_id)
    diff = diff_plans(other, plan, f"plan {against}", f"plan {pid}")
    return page(request, "diff.html.j2", title=f"Plan {against} → plan {pid}", client=client, record=record,
                against=against, d=diff, flags=diff.red_flags, plans=plans)  # fmt: skip


DOWNLOADS = {  # name -> (what is rendered, media type)
    "report.html": ("html", "text/html; charset=utf-8"),
    "report.md": ("md", "text/markdown; charset=utf-8"),
    "shopping.csv": ("shopping.csv", "text/csv; charset=utf-8"),
    "shopping.md": ("shopping.md", "text/markdown; charset=utf-8"),
    "plan.json": ("json", "application/json"),
    "changes.md": ("diff", "text/markdown; charset=utf-8"),
}


def download(request: Request) -> Response:
    """A plan's report (HTML, Markdown), shopping list (CSV, Markdown), JSON, or changes (Markdown)."""
    pid, name = request.path_params["pid"], request.path_params["name"]
    if name not in DOWNLOADS:
        return error_page(request, 404, "No such download",
                          f"{name!r}: the downloads are {', '.join(DOWNLOADS)}.")  # fmt: skip
    fmt, media = DOWNLOADS[name]
    web = _web(request)
    with web.store() as store:
        try:
            record = store.plan_record(pid)
        except InputError:
            return _no_plan(request, pid)
        raw = store.plan_json(pid)
        previous = _previous(store.plans(record.client_id), record) if fmt == "diff" else None
        other = store.plan(previous) if previous is not None else None
    if fmt == "json":
        text = raw
    elif fmt == "html":
        text = _report(web, pid, raw)
    elif fmt == "diff":
        from mealplan.plan import Plan
        from mealplan.workbench.diff import diff_plans
        from mealplan.workbench.render import diff_markdown

        if other is None:
            return error_page(request, 404, "Nothing to compare with", f"Plan {pid} is the client's first plan.")
        text = diff_markdown(diff_plans(other, Plan.model_validate_json(raw), f"plan {previous}", f"plan {pid}"))
    else:
        result = web.jobs.run({"kind": "render", "plan": raw, "format": fmt})
        if "error" in result:
            return error_page(request, 422, "Cannot render that", result["error"])
        text = result["text"]
    filename = f"{record.client_id}-plan-{pid}-{name}"
    return Response(text, media_type=media, headers={"content-disposition": f'attachment; filename="{filename}"'})


def report_css(request: Request) -> Response:
    """The report's stylesheet (the pages share its look)."""
    from mealplan.report.html import stylesheet

    return PlainTextResponse(str(stylesheet()), media_type="text/css", headers={"cache-control": "max-age=3600"})

"""A household's page (members linked to their client pages, shared meals, pantry, plans), its plan form
and a household plan's page.

A household is planned as a client is: the form (CSRF-checked, as every POST) starts a background job
whose worker plans the household document with its stored pantry
(:func:`mealplan.workbench.households.plan_document`, the path ``mealplan households plan`` takes); the
web process stores the plan in the household's history and keeps its page, rendered by the one household
renderer (:func:`mealplan.report.household.household_html`).
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from mealplan.errors import DamagedRecordError, InputError, MealplanError
from mealplan.web.base import NOTICES, PageError, Web, cached_page, checked_form, damaged, error_page, render, trusted
from mealplan.web.client_pages import see
from mealplan.web.jobs import EXPECTED_S

SECONDS_PER_MEMBER = 30.0  # the household planner's default time a week, a member


def _web(request: Request) -> Web:
    return request.app.state.web


def household_of(store, hid: str):
    """A household's record.

    Raises:
        PageError: no such household (404) or a damaged row (422).
    """
    from mealplan.workbench import household_store as hs

    try:
        return hs.household(store, hid)
    except (DamagedRecordError, ValueError) as exc:
        raise damaged(f"Household {hid!r}", exc) from None
    except InputError as exc:
        text = f"{exc} The list of clients shows the households there are."
        raise PageError(404, "No such household", text) from None


def household_page(request: Request) -> Response:
    """One household: its members (links to their client pages), shared meals, pantry, plan form and plans."""
    from mealplan.workbench import household_store as hs

    hid = request.path_params["hid"]
    with _web(request).store() as store:
        record = household_of(store, hid)
        try:
            version = hs.latest_household(store, hid)
            pantry = hs.pantry_items(store, hid)
            plans = store.plans(hid)
        except (DamagedRecordError, ValueError) as exc:
            raise damaged(f"Household {hid!r}", exc) from None
        except InputError as exc:
            raise PageError(422, "The household needs a stored version", str(exc)) from None
        clients = {c.id for c in store.clients()}
    message = NOTICES.get(request.query_params.get("done", ""))
    doc = version.household
    members = [_member(m, clients) for m in doc.get("members", [])]

    def build() -> str:
        return render("household.html.j2", title=record.name or record.id, household=record, version=version,
                      doc=doc, members=members, pantry=pantry, plans=list(reversed(plans)),
                      message=message)  # fmt: skip

    key = ("household", hid, record.updated, record.name, len(plans), message)
    return cached_page(request, key, build)


def _member(entry: dict[str, Any], clients: set[str]) -> dict[str, Any]:
    """A member as the page lists it: a stored client (linked when still stored) or an inline profile."""
    if "client" in entry:
        cid = str(entry["client"])
        return {"id": cid, "client": cid in clients, "name": "", "inline": False}
    profile = entry.get("profile") or {}
    return {"id": str(profile.get("id", "?")), "client": False, "name": profile.get("name") or "", "inline": True}


async def start_household_plan(request: Request) -> Response:
    """Plan the household for a day or a week, in the background."""
    form = await checked_form(request)
    return await run_in_threadpool(_start, request, request.path_params["hid"], form.get("days", "7"))


def _start(request: Request, hid: str, days_text: str) -> Response:
    from mealplan.workbench import household_store as hs
    from mealplan.workbench.households import planning_document

    days = 1 if days_text.strip() == "1" else 7
    web = _web(request)
    with web.store() as store:
        household_of(store, hid)
        try:
            document = planning_document(store, hid)
            pantry = [i.model_dump(mode="json") for i in hs.pantry_items(store, hid)]
        except MealplanError as exc:
            return error_page(request, 422, "The household needs a change first", str(exc))
    members = len(document.get("members", []))
    task = {"kind": "household", "household": document, "pantry": pantry, "days": days,
            "time_limit": SECONDS_PER_MEMBER * members, "source": f"household {hid}"}  # fmt: skip
    span = "week" if days == 7 else "day"

    def stored(result: dict[str, Any]) -> int:
        from mealplan.household_plan import HouseholdPlan
        from mealplan.workbench.history import set_label

        plan = HouseholdPlan.model_validate_json(result["plan"])
        with web.store() as store:
            plan_id = hs.add_household_plan(store, hid, plan)
            set_label(store, plan_id, f"household {span} planned")
        web.keep_report(plan_id, result["html"])
        return plan_id

    job = web.jobs.submit(hid, f"a {span} for household {hid}", task, EXPECTED_S[days] * members, stored,
                          page=f"/households/{hid}")  # fmt: skip
    return see(f"/jobs/{job.id}")


def household_plan_page(request: Request, web: Web, record) -> Response:
    """A stored household plan: the household's report (every member's red flags first), made by the one
    household renderer."""
    from mealplan.workbench.history import labels

    pid = record.id
    with web.store() as store:
        household = household_of(store, record.client_id)
        newest = store.plans(record.client_id)[-1].id
        label = labels(store, record.client_id, [record])[pid]
    message = NOTICES.get(request.query_params.get("done", ""))

    def build() -> str:
        plan = _plan(web, pid)
        html = _report(web, pid, plan)
        body = html.split("<main>", 1)[-1].rsplit("</main>", 1)[0]
        body = body.replace("<h1", "<h2").replace("</h1>", "</h2>")  # one h1 a page: the plan's own
        return render("household_plan.html.j2", title=f"Plan {pid} · {household.name or household.id}",
                      household=household, record=record, label=label, newest=newest, report=trusted(body),
                      message=message, plan=plan,
                      flags=[f for m in plan.members for f in m.plan.red_flags])  # fmt: skip

    return cached_page(request, ("household-plan", pid, household.name, newest, message, label), build)


def _plan(web: Web, pid: int):
    from mealplan.workbench import household_store as hs

    with web.store() as store:
        try:
            return hs.household_plan(store, pid)
        except (DamagedRecordError, ValueError) as exc:
            raise damaged(f"Plan {pid}", exc) from None


def _report(web: Web, pid: int, plan) -> str:
    """The household plan's page (kept), rendered in a worker by ``household_html``."""
    html = web.reports.get(pid)
    if html is None:
        html = web.run({"kind": "household_render", "plan": plan.model_dump_json()}, "Cannot show the plan")["text"]
        web.keep_report(pid, html)
    return html


HOUSEHOLD_DOWNLOADS = ("report.html", "plan.json")


def household_download(web: Web, record, name: str) -> Response:
    """A household plan's page (HTML) or its JSON (``mealplan verify`` and ``shopping`` read it)."""
    from mealplan.web.security import page_csp

    if name not in HOUSEHOLD_DOWNLOADS:
        raise PageError(404, "No such download", f"{name[:60]!r}: a household plan's downloads are "
                        f"{', '.join(HOUSEHOLD_DOWNLOADS)}.")  # fmt: skip
    plan = _plan(web, record.id)
    headers = {"content-disposition": f'attachment; filename="{record.client_id}-plan-{record.id}-{name}"'}
    if name == "plan.json":
        return Response(plan.model_dump_json(), media_type="application/json", headers=headers)
    body = _report(web, record.id, plan)
    headers["content-security-policy"] = page_csp(body)
    return Response(body, media_type="text/html; charset=utf-8", headers=headers)

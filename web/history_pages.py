"""A client's history as a practice uses it: compare any two plans, a plan's status and note, undo.

- ``GET /plans/N/diff?against=M``: what changed from plan M (the parent, or the plan before, by
  default) to plan N, with a picker of any two of the client's plans (a plain GET form);
  ``GET /clients/ID/compare?a=M&b=N`` is the client page's picker, which opens that page.
- ``POST /plans/N/status``: the plan's status (draft, approved, sent) and note.
- ``POST /plans/N/undo``: the plan before the change stored again as the newest plan (and, after a
  forbid, the profile as it was): :func:`mealplan.workbench.history.undo`.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from mealplan.errors import InputError
from mealplan.web.base import (
    PageError,
    Web,
    checked_form,
    client_of,
    number,
    page,
    plan_number,
    plan_of,
    record_of,
)
from mealplan.web.client_pages import see
from mealplan.web.plan_pages import previous_of


def _web(request: Request) -> Web:
    return request.app.state.web


def diff_page(request: Request) -> Response:
    """What changed between this plan and another (the previous one by default), with a picker."""
    from mealplan.workbench.diff import diff_plans
    from mealplan.workbench.history import labels

    pid = plan_number(request.path_params["pid"])
    web = _web(request)
    with web.store() as store:
        record = record_of(store, pid)
        plans = store.plans(record.client_id)
        against_text = request.query_params.get("against", "")
        against = number(against_text) if against_text else previous_of(plans, record)
        if against_text and against is None:
            raise PageError(
                422, "Cannot compare", f"against {against_text[:40]!r}: give a plan number from the client's history."
            )
        if against is None:
            raise PageError(
                404,
                "Nothing to compare with",
                f"Plan {pid} is the client's first plan; plan again or re-plan a day, then compare.",
            )
        other_record = record_of(store, against)
        if other_record.client_id != record.client_id:
            raise PageError(
                422,
                "Cannot compare",
                f"plan {against} belongs to another client; compare plans of "
                f"{record.client_id} (the picker lists them).",
            )
        other, plan = plan_of(web, store, against), plan_of(web, store, pid)
        client = client_of(store, record.client_id)
        words = labels(store, record.client_id, plans)
    diff = diff_plans(other, plan, f"plan {against}", f"plan {pid}")
    return page(
        request,
        "diff.html.j2",
        title=f"Plan {against} → plan {pid}",
        client=client,
        record=record,
        against=against,
        d=diff,
        flags=diff.red_flags,
        plans=list(reversed(plans)),
        words=words,
    )


def compare(request: Request) -> Response:
    """The client page's picker: any two plans of the client, compared."""
    cid = request.path_params["cid"]
    with _web(request).store() as store:
        client_of(store, cid)
        ids = {p.id for p in store.plans(cid)}
    a, b = number(request.query_params.get("a")), number(request.query_params.get("b"))
    bad = [f"{k} {request.query_params.get(k, '')[:20]!r}" for k, v in (("a", a), ("b", b)) if v not in ids]
    if bad:
        raise PageError(422, "Cannot compare", f"{' and '.join(bad)}: choose two plans of {cid} from the lists.")
    return see(f"/plans/{b}/diff?against={a}")


async def set_status(request: Request) -> Response:
    """A plan's status (draft, approved, sent) and note."""
    form = await checked_form(request)
    pid = plan_number(request.path_params["pid"])

    def run() -> Response:
        from mealplan.workbench.history import set_status as store_status

        with _web(request).store() as store:
            record_of(store, pid)
            try:
                store_status(store, pid, status=form.get("status"), note=form.get("note", ""))
            except InputError as exc:
                raise PageError(422, "Cannot save that", str(exc)) from None
        return see(f"/plans/{pid}?done=status#status")

    return await run_in_threadpool(run)


async def undo(request: Request) -> Response:
    """Undo the change that made this plan: its parent stored again as the newest plan."""
    await checked_form(request)
    pid = plan_number(request.path_params["pid"])

    def run() -> Response:
        from mealplan.workbench.history import undo as undo_plan

        web = _web(request)
        with web.store() as store:
            record = record_of(store, pid)
            try:
                new, _ = undo_plan(store, pid)
            except InputError as exc:
                raise PageError(422, "Nothing to undo", str(exc)) from None
        if record.parent_id in web.reports:  # the plan restored reads as its report did
            web.keep_report(new, web.reports[record.parent_id])
        return see(f"/plans/{new}?done=undone#changed")

    return await run_in_threadpool(run)

"""The client list, a client's page (triage, plan buttons, history, profile form) and their forms.

The profile form's Require and Forbid are rows (:mod:`.constraints`): names are resolved to ids on
the way in, and every problem is shown next to its field and listed, with a link, in a summary at the
top. "Add a row" sends the form back with one more empty row and stores nothing.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from mealplan.errors import ConfigError, DamagedRecordError, InputError, MealplanError
from mealplan.web import constraints, forms
from mealplan.web.base import (
    NOTICES,
    Web,
    cached_page,
    checked_form_lists,
    client_of,
    damaged,
    render,
    respond,
)


def _web(request: Request) -> Web:
    return request.app.state.web


def see(url: str) -> RedirectResponse:
    """POST-redirect-GET."""
    return RedirectResponse(url, status_code=303)


def _form_context(values: dict, errors: dict, rows: constraints.Rows, choices: dict | None = None) -> dict[str, Any]:
    return {
        "sections": forms.SECTIONS,
        "choices": forms.choices,
        "values": values,
        "errors": errors,
        "summary": forms.error_summary(errors),
        "rows": rows,
        "row_choices": choices or {},
        "days": constraints.DAYS,
        "meals": constraints.MEALS,
    }


# --- the client list --------------------------------------------------------------------------------


def index(request: Request) -> Response:
    """The client list and the form that adds a client."""
    return _index(request)


def _index(
    request: Request,
    values: dict | None = None,
    errors: dict | None = None,
    status: int = 200,
    rows: constraints.Rows | None = None,
    choices: dict | None = None,
) -> Response:
    from mealplan.workbench.household_store import households as stored_households

    with _web(request).store() as store:
        try:
            clients = store.clients()
            households = stored_households(store)
        except (DamagedRecordError, ValueError) as exc:
            raise damaged("The list of clients", exc) from None

    def build() -> str:
        blank = {**forms.blank_values(), "client_id": "", "notes": ""}
        context = _form_context(values or blank, errors or {}, rows or constraints.Rows().with_blank(), choices)
        return render("index.html.j2", title="Clients", clients=clients, households=households, **context)

    if values is None and errors is None:
        seen = tuple((c.id, c.name, c.updated, c.plans) for c in [*clients, *households])
        return cached_page(request, ("index", *seen), build)
    return respond(request, build(), status)


def _checked_rows(request: Request, lists: dict[str, list[str]]) -> tuple[constraints.Rows, constraints.Checked]:
    rows = constraints.form_rows(lists)
    needs_names = any(r.get("food") for r in rows.require) or any(r.get("item") for r in rows.forbid)
    return rows, constraints.check_rows(rows, _web(request).names() if needs_names else None)


def _more_rows(form: dict[str, str], rows: constraints.Rows) -> constraints.Rows | None:
    """The rows with one more empty one when the form's "Add a row" button sent it, else None."""
    kind = form.get("add_row")
    if kind not in ("require", "forbid"):
        return None
    return rows.with_blank(require=2 if kind == "require" else 1, forbid=2 if kind == "forbid" else 1)


async def add_client(request: Request) -> Response:
    """Add a client from the form: the profile validated by field, stored as version 1."""
    form, lists = await checked_form_lists(request)
    return await run_in_threadpool(_add_client, request, form, lists)


def _add_client(request: Request, form: dict[str, str], lists: dict[str, list[str]]) -> Response:
    from mealplan.workbench.clients import client_id_checked

    rows, checked = _checked_rows(request, lists)
    more = _more_rows(form, rows)
    if more is not None:
        return _index(request, values=form, errors={}, rows=more, choices=checked.choices)
    cid = form.get("client_id", "").strip()
    errors: dict[str, list[str]] = dict(checked.errors)
    try:
        cid = client_id_checked(cid)
    except InputError:
        errors["client_id"] = [
            f"client id {cid!r}: 1-64 letters, digits, '_', '.' or '-', starting with a letter "
            "or digit (it names the client in the address and in files)"
        ]
    try:
        profile = forms.profile_from_form(
            form,
            {},
            cid if "client_id" not in errors else "client",
            {"require": checked.require, "forbid": checked.forbid},
        )
    except ConfigError as exc:
        for k, v in forms.errors_by_field(exc, form, checked.require_rows).items():
            errors.setdefault(k, []).extend(v)
    if not errors:
        try:
            with _web(request).store() as store:
                store.add_client(cid, profile, name=form.get("name", "").strip(), notes=form.get("notes", "")[:4000])
        except InputError as exc:
            errors["client_id"] = [str(exc).split(";")[0] + "; choose another id."]
    if errors:
        return _index(request, values=form, errors=errors, status=422, rows=rows.with_blank(), choices=checked.choices)
    return see(f"/clients/{cid}?done=added")


# --- a client ---------------------------------------------------------------------------------------


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


def _history(store, cid: str) -> tuple[list, list, dict, dict]:
    """A client's profile versions, plans, each plan's label and note (damaged rows: a clear page)."""
    from mealplan.workbench.history import labels, notes_of

    try:
        versions = store.profile_versions(cid)
        plans = store.plans(cid)
        return versions, plans, labels(store, cid, plans), notes_of(store, cid)
    except (DamagedRecordError, ValueError) as exc:
        raise damaged(f"The history of client {cid!r}", exc) from None


def _client_page(
    request: Request,
    cid: str,
    values: dict | None = None,
    errors: dict | None = None,
    status: int = 200,
    rows: constraints.Rows | None = None,
    choices: dict | None = None,
) -> Response:
    with _web(request).store() as store:
        client = client_of(store, cid)
        versions, plans, words, notes = _history(store, cid)
    message = NOTICES.get(request.query_params.get("done", ""))
    if values is None and errors is None:
        seen = tuple((n.status, n.note, n.label) for n in notes.values())
        key = ("client", cid, client.name, client.notes, client.updated, len(versions), len(plans), message, seen)
        build = lambda: _client_html(client, versions, plans, words, notes, None, None, message)  # noqa: E731
        return cached_page(request, key, build)
    return respond(
        request, _client_html(client, versions, plans, words, notes, values, errors, message, rows, choices), status
    )


def _client_html(
    client,
    versions: list,
    plans: list,
    words: dict,
    notes: dict,
    values: dict | None,
    errors: dict | None,
    message: str | None,
    rows: constraints.Rows | None = None,
    choices: dict | None = None,
) -> str:
    from mealplan.targets.profile_files import profile_from_dict

    cid = client.id
    if not versions:
        raise damaged(f"Client {cid!r}", ValueError("no profile version stored"))
    latest = versions[-1]
    profile, problem = None, None
    try:  # validated again, as `stored_profile` does: the rules may have changed since it was stored
        profile = profile_from_dict(latest.profile, source=f"client {cid}, profile version {latest.version}")
    except MealplanError as exc:
        problem = str(exc)
    triage, triage_problem = _triage(profile) if profile is not None else (None, None)
    if values is None:
        values = {**forms.form_values(latest.profile), "notes": client.notes, "client_name": client.name}
    if rows is None:
        rows = constraints.stored_rows(latest.profile).with_blank()
    context = _form_context(values, errors or {}, rows, choices)
    newest = plans[-1].id if plans else None
    return render(
        "client.html.j2",
        title=client.name or client.id,
        client=client,
        versions=versions,
        plans=list(reversed(plans)),
        words=words,
        notes=notes,
        version=latest,
        newest=newest,
        previous=plans[-2].id if len(plans) > 1 else newest,
        problem=problem or triage_problem,
        triage=triage,
        flags=triage.red_flags if triage else [],
        message=message,
        **context,
    )


async def save_profile(request: Request) -> Response:
    """Store the profile form as a new profile version (and the client's name and notes)."""
    form, lists = await checked_form_lists(request)
    return await run_in_threadpool(_save_profile, request, request.path_params["cid"], form, lists)


def _save_profile(request: Request, cid: str, form: dict[str, str], lists: dict[str, list[str]]) -> Response:
    with _web(request).store() as store:
        client_of(store, cid)
        try:
            latest = store.latest_profile(cid)
        except (InputError, IndexError, ValueError) as exc:
            raise damaged(f"Client {cid!r}'s profile", exc) from None
        rows, checked = _checked_rows(request, lists)
        more = _more_rows(form, rows)
        if more is not None:
            return _client_page(request, cid, values=form, errors={}, rows=more, choices=checked.choices)
        errors: dict[str, list[str]] = dict(checked.errors)
        try:
            profile = forms.profile_from_form(
                form, latest.profile, cid, {"require": checked.require, "forbid": checked.forbid}
            )
        except ConfigError as exc:
            for k, v in forms.errors_by_field(exc, form, checked.require_rows).items():
                errors.setdefault(k, []).extend(v)
        if errors:
            return _client_page(
                request, cid, values=form, errors=errors, status=422, rows=rows.with_blank(), choices=checked.choices
            )
        before = latest.version
        client = store.edit_client(
            cid, name=form.get("client_name", "").strip()[:200], notes=form.get("notes", "")[:4000], profile=profile
        )
    return see(f"/clients/{cid}?done={'saved' if client.profile_versions > before else 'unchanged'}#profile")

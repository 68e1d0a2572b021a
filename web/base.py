"""What every page shares: the templates, the app's state, a page with the disclaimer and the CSRF
token, error pages, and the CSRF check on a submitted form."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse

from mealplan.errors import DamagedRecordError, InputError
from mealplan.triage import DISCLAIMER, nutrient_name
from mealplan.web import security
from mealplan.web.jobs import JobRunner

HERE = Path(__file__).resolve().parent


@cache
def templates() -> Environment:
    """The page templates (package data), autoescaped."""
    from mealplan.food_data.names import short_name

    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
    )
    env.filters["short_name"] = lru_cache(maxsize=8192)(short_name)  # a week's page names ~300 foods
    env.filters["nutrient_name"] = nutrient_name
    return env


class Web:
    """What the handlers share: the database path, the token, the background jobs, rendered reports."""

    def __init__(self, db: Path | str | None, token: str | None, jobs: JobRunner, debug: bool = False) -> None:
        self.db = db
        self.token = token
        self.jobs = jobs
        self.debug = debug
        self.keys = security.Keys()  # this server's secret: CSRF signatures, the login cookie
        self.throttle = security.Throttle()
        self._names = None
        self._names_lock = threading.Lock()
        self.reports: dict[int, str] = {}  # plan id -> its HTML report (stored plans never change)
        self.plans: dict[int, object] = {}  # plan id -> the Plan, parsed once
        self.pages: dict[tuple, str] = {}  # rendered pages by what they show (see cached_page)

    def store(self):
        """The workbench database (one connection per request).

        Raises:
            PageError: the database cannot be opened (locked, unreadable, damaged): a page that says so.
        """
        from mealplan.workbench.store import Store

        try:
            return Store.open(self.db)
        except InputError as exc:
            raise PageError(503, "The database cannot be opened", str(exc)) from None
        except (ValueError, TypeError) as exc:  # e.g. a schema_version row that is not a number
            raise damaged("The database's schema version", exc) from None

    def plan(self, plan_id: int, raw: str):
        """A stored plan parsed from its JSON ``raw``, once (the newest 64 are kept)."""
        from mealplan.plan import Plan

        if plan_id not in self.plans:
            self.plans[plan_id] = Plan.model_validate_json(raw)
            while len(self.plans) > 64:
                self.plans.pop(next(iter(self.plans)))
        return self.plans[plan_id]

    def names(self):
        """The name index of the foods and dishes (from a worker, once), for searches and name rows."""
        with self._names_lock:
            if self._names is None:
                result = self.jobs.run({"kind": "names"})
                if "error" in result:
                    raise PageError(503, "Search not ready", result["error"])
                self._names = result["index"]
            return self._names

    def names_soon(self) -> None:
        """Build the name index in the background now (the first search then need not wait)."""

        def warm() -> None:
            try:
                self.names()
            except Exception:  # noqa: BLE001 - a search made later asks again and shows the problem
                logging.getLogger(__name__).warning("the search index could not be built", exc_info=True)

        threading.Thread(target=warm, daemon=True, name="mealplan-names").start()

    def run(self, task: dict, heading: str = "Cannot do that") -> dict:
        """A worker task the page waits for; a library refusal is a page that says why (422)."""
        result = self.jobs.run(task)
        if "error" in result:
            raise PageError(422, heading, result["error"])
        return result

    def keep_report(self, plan_id: int, html: str) -> None:
        """Keep a plan's rendered report (the newest 64)."""
        self.reports[plan_id] = html
        while len(self.reports) > 64:
            self.reports.pop(next(iter(self.reports)))


NOTICES = {  # what a redirect's ?done= says (fixed texts: nothing from the address is shown)
    "added": "Client added (profile version 1). Plan a day or a week below.",
    "saved": "Profile saved as a new version. Plans made from now on use it.",
    "unchanged": "The profile is unchanged: no new version stored.",
    "locked": "Meal locked: re-plans keep it as it is. Stored as a new plan in the history.",
    "unlocked": "Meal unlocked. Stored as a new plan in the history.",
    "edited": "Meal changed, rescored and verified. Stored as a new plan in the history.",
    "status": "Status and note saved.",
    "undone": "The change is undone: the plan before it is stored again as the newest plan.",
    "planned": "The plan is ready.",
}

# Where each form's hidden CSRF input goes: pages are rendered (and kept) with this mark, and each
# response puts the browser's own token there. User text is escaped, so it can never write the mark.
CSRF_MARK = "<!--csrf-->"


def render(template: str, **values) -> str:
    """A page's HTML with what every page has (the disclaimer, the title), CSRF inputs still marked."""
    values.setdefault("title", "mealplan")
    values.setdefault("flags", [])
    values.setdefault("message", None)
    return templates().get_template(template).render(disclaimer=DISCLAIMER, csrf_input=Markup(CSRF_MARK), **values)


def respond(request: Request, html: str, status: int = 200) -> HTMLResponse:
    """The response for a rendered page: the browser's CSRF token in every form, the cookie set, and the
    page's CSP (with the hashes of its own style attributes)."""
    token = security.csrf_token(request, request.app.state.web.keys)
    hidden = str(Markup('<input type="hidden" name="{}" value="{}">').format(security.CSRF_FIELD, token))
    response = HTMLResponse(html.replace(CSRF_MARK, hidden), status_code=status)
    response.headers["content-security-policy"] = security.page_csp(html)
    security.set_csrf_cookie(request, response)
    return response


def page(request: Request, template: str, status: int = 200, **values) -> HTMLResponse:
    """A page from ``template`` with what every page has: the disclaimer, the CSRF token, the title."""
    return respond(request, render(template, **values), status)


def cached_page(request: Request, key: tuple, build: Callable[[], str]) -> HTMLResponse:
    """A page kept by ``key`` (everything it shows that can change), made by ``build`` when new."""
    web: Web = request.app.state.web
    html = web.pages.get(key)
    if html is None:
        html = build()
        web.pages[key] = html
        while len(web.pages) > 48:
            web.pages.pop(next(iter(web.pages)))
    return respond(request, html)


def error_page(request: Request, status: int, heading: str, message: str) -> HTMLResponse:
    """An error page: what went wrong and where to go next."""
    return page(request, "error.html.j2", status=status, title=heading, heading=heading, text=message)


class CsrfRefused(Exception):
    """A POST whose ``csrf`` field does not match the browser's CSRF cookie, or that came from another origin."""


class PageError(Exception):
    """What a handler could not do, as the error page says it (``status``, a heading, what to do next).

    Raised anywhere under a handler (also in a worker thread); the app turns it into the page, so a
    bad id, a deleted client or a damaged row is a page that says so, never HTTP 500.
    """

    def __init__(self, status: int, heading: str, text: str) -> None:
        super().__init__(text)
        self.status, self.heading, self.text = status, heading, text


MAX_FORM_FIELDS = 400
MAX_FIELD_CHARS = 100_000  # the YAML box's own limit is lower (forms.MORE_MAX_CHARS)


async def checked_form(request: Request) -> dict[str, str]:
    """A POST's form fields, after the CSRF check (every state-changing form goes through here).

    Raises:
        CsrfRefused: the ``csrf`` field is missing, does not match the cookie or was not signed by this
            server, or the browser says the form came from another origin (a 403 page).
        PageError: more fields, or a longer field, than any form of these pages sends.
    """
    form = await request.form(max_files=0, max_fields=MAX_FORM_FIELDS)
    token = form.get(security.CSRF_FIELD)  # text: the form takes no files
    if not security.csrf_ok(request, token if isinstance(token, str) else None, request.app.state.web.keys):
        raise CsrfRefused()
    fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
    long = [k for k, v in fields.items() if len(v) > MAX_FIELD_CHARS]
    if long:
        raise PageError(413, "Form too large", f"field {long[0][:40]!r} has more than {MAX_FIELD_CHARS:,} characters; "
                        "no field of these forms needs that many.")  # fmt: skip
    return fields


async def checked_form_lists(request: Request) -> tuple[dict[str, str], dict[str, list[str]]]:
    """:func:`checked_form`, and every field's values in order (for fields a form repeats: rows, checkboxes)."""
    fields = await checked_form(request)
    form = await request.form()  # parsed once: Starlette keeps it
    lists: dict[str, list[str]] = {}
    for k, v in form.multi_items():
        if isinstance(v, str):
            lists.setdefault(k, []).append(v)
    return fields, lists


# --- ids in addresses and forms -----------------------------------------------------------------------

MAX_ID = 2**63 - 1  # SQLite's largest integer
_DIGITS = re.compile(r"[0-9]{1,19}")  # ASCII digits only: '²'.isdigit() is True, int('²') fails


def number(text: str | None) -> int | None:
    """``text`` as a positive id or day number (ASCII digits, at most SQLite's largest integer), or None."""
    text = (text or "").strip()
    if not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


def plan_number(text: str) -> int:
    """A plan id from an address or a form.

    Raises:
        PageError: not a plan number (404), naming what was given.
    """
    value = number(text)
    if value is None:
        shown = text if len(text) <= 40 else text[:40] + "..."
        raise PageError(404, "No such plan", f"{shown!r} is not a plan number: plans are /plans/NUMBER, with the "
                        "numbers a client's history lists.")  # fmt: skip
    return value


def no_plan(pid: int) -> PageError:
    return PageError(404, "No such plan",
                     f"There is no plan {pid} in this database. A client's page lists their plans.")  # fmt: skip


def no_client(cid: str) -> PageError:
    return PageError(404, "No such client",
                     f"There is no client {cid!r} in this database. The list of clients shows the ones there are; "
                     "add a client there.")  # fmt: skip


def damaged(what: str, exc: Exception) -> PageError:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return PageError(422, "Damaged record",
                     f"{what} cannot be read from the database ({first[:300]}). The other plans and clients are "
                     "not affected; `mealplan history CLIENT` lists what is there.")  # fmt: skip


def record_of(store, pid: int):
    """A stored plan's record (with its client still in the database).

    Raises:
        PageError: no such plan (404), its row is damaged (422), or its client was deleted (404).
    """
    try:
        record = store.plan_record(pid)
    except (DamagedRecordError, ValueError) as exc:  # a damaged figures row
        raise damaged(f"Plan {pid}", exc) from None
    except InputError:
        raise no_plan(pid) from None
    try:
        gone = store.kind_of(record.client_id) is None  # neither a person's client nor a household
    except InputError:  # an id no client can have
        gone = True
    if gone:
        raise PageError(404, "Client no longer in the database",
                        f"Plan {pid} belongs to client {record.client_id!r}, who is no longer in this database, so "
                        "it cannot be shown or changed here. `mealplan history --export` can still write it "
                        "out.")  # fmt: skip
    return record


def plan_of(web: Web, store, pid: int):
    """A stored plan of one person (parsed once and kept).

    Raises:
        PageError: no such plan (404), its JSON is damaged (422), or it is a household's plan (422).
    """
    try:
        if store.plan_record(pid).household_version is not None:
            raise PageError(422, "A household's plan",
                            f"Plan {pid} is a household's plan: its page /plans/{pid} shows it. A household "
                            "plan's meals are not changed one by one here; plan the household again from its "
                            "page.")  # fmt: skip
        raw = store.plan_json(pid)
    except DamagedRecordError as exc:
        raise damaged(f"Plan {pid}", exc) from None
    except InputError:
        raise no_plan(pid) from None
    try:
        return web.plan(pid, raw)
    except (InputError, ValueError) as exc:
        raise damaged(f"Plan {pid}", exc) from None


def client_of(store, cid: str):
    """A client's record.

    Raises:
        PageError: no such client (404) or a damaged row (422).
    """
    try:
        return store.client(cid)
    except (DamagedRecordError, ValueError) as exc:
        raise damaged(f"Client {cid!r}", exc) from None
    except InputError:
        if store.kind_of(cid) == "household":
            raise PageError(404, "A household, not a client",
                            f"{cid!r} is a household: its page is /households/{cid}.") from None  # fmt: skip
        raise no_client(cid) from None


def trusted(html: str) -> Markup:
    """The report's own HTML (made by its autoescaped templates), embedded as it is."""
    return Markup(html)

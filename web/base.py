"""What every page shares: the templates, the app's state, a page with the disclaimer and the CSRF
token, error pages, and the CSRF check on a submitted form."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse

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
        self.reports: dict[int, str] = {}  # plan id -> its HTML report (stored plans never change)
        self.plans: dict[int, object] = {}  # plan id -> the Plan, parsed once
        self.pages: dict[tuple, str] = {}  # rendered pages by what they show (see cached_page)

    def store(self):
        """The workbench database (one connection per request)."""
        from mealplan.workbench.store import Store

        return Store.open(self.db)

    def plan(self, plan_id: int, raw: str):
        """A stored plan parsed from its JSON ``raw``, once (the newest 64 are kept)."""
        from mealplan.plan import Plan

        if plan_id not in self.plans:
            self.plans[plan_id] = Plan.model_validate_json(raw)
            while len(self.plans) > 64:
                self.plans.pop(next(iter(self.plans)))
        return self.plans[plan_id]

    def keep_report(self, plan_id: int, html: str) -> None:
        """Keep a plan's rendered report (the newest 64)."""
        self.reports[plan_id] = html
        while len(self.reports) > 64:
            self.reports.pop(next(iter(self.reports)))


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
    """The response for a rendered page: the browser's CSRF token in every form, the cookie set."""
    token = security.csrf_token(request)
    hidden = str(Markup('<input type="hidden" name="{}" value="{}">').format(security.CSRF_FIELD, token))
    response = HTMLResponse(html.replace(CSRF_MARK, hidden), status_code=status)
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
    """A POST whose ``csrf`` field does not match the browser's CSRF cookie."""


async def checked_form(request: Request) -> dict[str, str]:
    """A POST's form fields, after the CSRF check (every state-changing form goes through here).

    Raises:
        CsrfRefused: the ``csrf`` field is missing or does not match the cookie (a 403 page).
    """
    form = await request.form()
    if not security.csrf_ok(request, form.get(security.CSRF_FIELD)):
        raise CsrfRefused()
    return {k: v for k, v in form.multi_items() if isinstance(v, str)}


def trusted(html: str) -> Markup:
    """The report's own HTML (made by its autoescaped templates), embedded as it is."""
    return Markup(html)

"""The Starlette application: routes, access token and CSRF checks, security headers, error pages.

:func:`create_app` builds it for one database. Handlers live in the page modules (:mod:`.client_pages`,
:mod:`.household_pages`, :mod:`.plan_pages`, :mod:`.meal_pages`, :mod:`.history_pages`, :mod:`.search_pages`); this
module holds
what every request goes through: the security headers, the token (wrong guesses slowed down), the
loopback guard when there is no token, the CSRF check on every POST, and the error pages (a clear
message, never a traceback).
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from mealplan.errors import InputError
from mealplan.web import security
from mealplan.web.base import CsrfRefused, PageError, Web, error_page
from mealplan.web.jobs import JobRunner

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
LOOPBACK_NAMES = {"127.0.0.1", "localhost", "[::1]"}


def _address(request: Request) -> str:
    return request.client.host if request.client else "?"


class Guard(BaseHTTPMiddleware):
    """The token on every request, when the server has one; wrong ones are slowed down (POSTs check CSRF
    in `base.checked_form`)."""

    async def dispatch(self, request: Request, call_next) -> Response:
        web: Web = request.app.state.web
        if web.token:
            login = security.login_redirect(request, web.token, web.keys)
            if login is not None:
                web.throttle.right(_address(request))
                return login
            if not security.token_ok(request, web.token, web.keys):
                await web.throttle.wrong(_address(request))
                text = ("This mealplan server needs its access token: open the address it printed "
                        "(ending in ?token=...), or send the header 'Authorization: Bearer TOKEN'.")  # fmt: skip
                return error_page(request, 401, "Token needed", text)
        return await call_next(request)


async def _csrf_refused(request: Request, exc: Exception) -> Response:
    return error_page(request, 403, "Form expired",
                      "The form's security field is missing or does not match this browser's cookie "
                      "(the page was opened before the server restarted, or came from another site). "
                      "Go back, reload the page and send the form again.")  # fmt: skip


async def _page_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageError)
    return error_page(request, exc.status, exc.heading, exc.text)


def _host_name(header: str) -> str:
    """A Host header without its port (``[::1]:8000`` is ``[::1]``)."""
    if header.startswith("["):
        return header.split("]", 1)[0] + "]"
    return header.rsplit(":", 1)[0]


class LoopbackOnly:
    """Without a token, answer only requests addressed to this computer by name (``Host: 127.0.0.1``
    or ``localhost``): a web site whose name an attacker points at 127.0.0.1 (DNS rebinding) gets
    an error page, not the clients' data."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            request = Request(scope)
            host = _host_name(request.headers.get("host", ""))
            if host not in LOOPBACK_NAMES:
                response = error_page(request, 400, "Not this computer's address",
                                      f"Host {host!r}: without a token this page answers only at 127.0.0.1 or "
                                      "localhost (a guard against DNS rebinding); to serve other names, start "
                                      "mealplan serve with --host and --token.")  # fmt: skip
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


async def _not_found(request: Request, exc: Exception) -> Response:
    if isinstance(exc, HTTPException) and exc.status_code != 404:
        return error_page(request, exc.status_code, "Request refused", str(exc.detail))
    return error_page(request, 404, "Page not found",
                      f"There is no page at {request.url.path}: client pages are /clients/ID and plans "
                      "/plans/NUMBER. Start from the list of clients.")  # fmt: skip


async def _internal(request: Request, exc: Exception) -> Response:
    log.exception("error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_page(request, 500, "Internal error",
                      f"{type(exc).__name__}: {exc}. This is a bug in mealplan; the server's log has the "
                      "details (run `mealplan --debug serve`). Go back to the list of clients.")  # fmt: skip


def routes() -> list:
    """Every page and form of the site."""
    from mealplan.web import client_pages, history_pages, household_pages, meal_pages, plan_pages, search_pages

    return [
        Route("/", client_pages.index),
        Route("/clients", client_pages.add_client, methods=["POST"]),
        Route("/clients/{cid}", client_pages.client_page),
        Route("/clients/{cid}/profile", client_pages.save_profile, methods=["POST"]),
        Route("/clients/{cid}/plan", plan_pages.start_plan, methods=["POST"]),
        Route("/clients/{cid}/compare", history_pages.compare),
        Route("/households/{hid}", household_pages.household_page),
        Route("/households/{hid}/plan", household_pages.start_household_plan, methods=["POST"]),
        Route("/jobs/{jid}", plan_pages.job_page),
        Route("/plans/{pid}", plan_pages.plan_page),
        Route("/plans/{pid}/lock", plan_pages.lock, methods=["POST"]),
        Route("/plans/{pid}/replan", plan_pages.replan, methods=["POST"]),
        Route("/plans/{pid}/forbid", plan_pages.forbid, methods=["POST"]),
        Route("/plans/{pid}/again", plan_pages.plan_again, methods=["POST"]),
        Route("/plans/{pid}/download/{name}", plan_pages.download),
        Route("/plans/{pid}/diff", history_pages.diff_page),
        Route("/plans/{pid}/status", history_pages.set_status, methods=["POST"]),
        Route("/plans/{pid}/undo", history_pages.undo, methods=["POST"]),
        Route("/plans/{pid}/meal/{day}/{meal}", meal_pages.meal_page),
        Route("/plans/{pid}/edit", meal_pages.edit, methods=["POST"]),
        Route("/search", search_pages.search_page),
        Route("/search.json", search_pages.search_json),
        Route("/static/report.css", plan_pages.report_css),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]


def create_app(db: Path | str | None = None, *, token: str | None = None, jobs: JobRunner | None = None,
               debug: bool = False) -> Starlette:  # fmt: skip
    """The web application on the database ``db`` (the default database when None).

    Args:
        db: The workbench database file.
        token: The access token every request must carry (None: no token, for loopback); at least
            :data:`~mealplan.web.security.MIN_TOKEN_LEN` printable characters.
        jobs: Where plans solve (a pool of two worker processes when None).
        debug: Show tracebacks on error pages (the ``--debug`` flag).

    Raises:
        InputError: a token too short, blank or with spaces.
    """
    if token is not None and (problem := security.token_problem(token)):
        raise InputError(f"--token: {problem}.")
    runner = jobs or JobRunner()
    handlers = {HTTPException: _not_found, 404: _not_found, CsrfRefused: _csrf_refused, PageError: _page_error}
    if not debug:
        handlers[Exception] = _internal

    @asynccontextmanager
    async def lifespan(app: Starlette):
        yield
        if jobs is None:  # the workers this app started (a caller's runner is the caller's to stop)
            runner.shutdown()

    # The token check when there is a token; without one, only requests addressed to loopback by name.
    guard = Middleware(Guard) if token else Middleware(LoopbackOnly)
    middleware = [Middleware(security.SecurityHeaders), guard]
    app = Starlette(debug=debug, routes=routes(), middleware=middleware, exception_handlers=handlers,
                    lifespan=lifespan)  # fmt: skip
    app.state.web = Web(db, token, runner, debug)
    return app

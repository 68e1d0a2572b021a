"""Access token and CSRF protection for the web page.

- **Token.** On 127.0.0.1 the page needs none; bound to any other address it needs one
  (``--token`` or ``MEALPLAN_TOKEN``), checked on every request: an ``Authorization: Bearer``
  header, an ``X-Mealplan-Token`` header, or the cookie that a ``?token=`` login sets.
- **CSRF.** Every page sets a random ``mealplan_csrf`` cookie (SameSite=Strict) and every form
  carries its value as the hidden ``csrf`` field; a state-changing request (POST) whose field does
  not equal the cookie is refused (the double-submit pattern: another site can make the browser
  send the cookie but cannot read it to put it in the form).
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlencode

from starlette.datastructures import URL
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

TOKEN_COOKIE = "mealplan_token"
CSRF_COOKIE = "mealplan_csrf"
CSRF_FIELD = "csrf"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def needs_token(host: str) -> bool:
    """Whether binding to ``host`` needs an access token (every address but loopback)."""
    return host not in LOOPBACK


def _same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a).encode(), str(b).encode())


def token_ok(request: Request, token: str) -> bool:
    """The request carries ``token`` in a header or the login cookie."""
    auth = request.headers.get("authorization", "")
    bearer = auth[7:].strip() if auth.lower().startswith("bearer ") else None
    return any(
        _same(given, token)
        for given in (bearer, request.headers.get("x-mealplan-token"), request.cookies.get(TOKEN_COOKIE))
    )


def login_redirect(request: Request, token: str) -> Response | None:
    """A ``?token=`` login: the cookie set and the same page without the token in its address."""
    given = request.query_params.get("token")
    if not _same(given, token):
        return None
    query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "token"])
    url = URL(path=request.url.path, query=query)
    response = RedirectResponse(str(url), status_code=303)
    response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
    return response


def csrf_token(request: Request) -> str:
    """The request's CSRF token (the cookie's value, or a new one the response must set)."""
    current = request.cookies.get(CSRF_COOKIE)
    if current and len(current) >= 32:
        return current
    new = getattr(request.state, "csrf_new", None)
    if new is None:
        new = request.state.csrf_new = secrets.token_urlsafe(32)
    return new


def set_csrf_cookie(request: Request, response: Response) -> None:
    """Set the CSRF cookie on ``response`` when :func:`csrf_token` made a new one."""
    new = getattr(request.state, "csrf_new", None)
    if new:
        response.set_cookie(CSRF_COOKIE, new, httponly=True, samesite="strict")


def csrf_ok(request: Request, form_value: str | None) -> bool:
    """The form's ``csrf`` field equals the request's CSRF cookie."""
    return _same(form_value, request.cookies.get(CSRF_COOKIE))

"""Access token, CSRF protection, security headers and the slowdown after wrong tokens.

- **Token.** ``mealplan serve`` makes one (32 random characters) unless ``--token`` or
  ``MEALPLAN_TOKEN`` gives one of at least :data:`MIN_TOKEN_LEN` characters; ``--no-token`` serves
  without one, on loopback only. It is checked on every request: an ``Authorization: Bearer``
  header, an ``X-Mealplan-Token`` header, or the cookie a ``?token=`` login sets. The cookie holds
  an HMAC of the token under the server's secret, never the token itself.
- **Wrong guesses are slowed down** (:class:`Throttle`): after a few wrong tokens from one address,
  each further wrong one waits longer (doubling, up to :data:`Throttle.cap` seconds), one at a time.
- **CSRF.** Every page sets a ``mealplan_csrf_<port>`` cookie (SameSite=Strict, HttpOnly) whose value
  is a random nonce signed with a secret made when the server starts; every form repeats it as the
  hidden ``csrf`` field. A POST passes only when the field equals the cookie *and* the signature is
  this server's, so a cookie another app on 127.0.0.1 plants (cookies are shared by every port of a
  host) is refused; so is a POST whose ``Origin`` or ``Sec-Fetch-Site`` says it came from another
  origin (another port of 127.0.0.1 counts as another origin, though browsers call it same-site).
- **Headers** (:func:`security_headers`): a Content-Security-Policy without inline script,
  X-Frame-Options, Referrer-Policy, X-Content-Type-Options and no caching of pages with clients' data.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import html
import re
import secrets
import time
from collections import OrderedDict
from urllib.parse import urlencode

from starlette.datastructures import URL
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

CSRF_FIELD = "csrf"
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
MIN_TOKEN_LEN = 16
MAX_TOKEN_LEN = 256
_TOKEN_CHARS = re.compile(r"[\x21-\x7e]+")  # printable ASCII, no space: it travels in an address and a header


def needs_token(host: str) -> bool:
    """Whether binding to ``host`` needs an access token (every address but loopback)."""
    return host not in LOOPBACK


def new_token() -> str:
    """A fresh access token: 32 characters from ``secrets`` (URL-safe)."""
    return secrets.token_urlsafe(24)


def token_problem(token: str) -> str | None:
    """Why ``token`` cannot be an access token (None when it can): at least 16 printable characters."""
    if not token.strip():
        return "the token is empty or only spaces; give at least 16 characters, or leave it out to get one made"
    if not _TOKEN_CHARS.fullmatch(token):
        return "the token has spaces or characters outside printable ASCII; use letters, digits and punctuation"
    if len(token) < MIN_TOKEN_LEN:
        return (
            f"the token has {len(token)} character{'s' if len(token) != 1 else ''}; give at least "
            f"{MIN_TOKEN_LEN} (or leave it out to get a random one)"
        )
    if len(token) > MAX_TOKEN_LEN:
        return f"the token has {len(token)} characters; at most {MAX_TOKEN_LEN}"
    return None


def _same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a).encode(), str(b).encode())


def _port(request: Request) -> int:
    port = request.url.port
    return port if port is not None else (443 if request.url.scheme == "https" else 80)


def token_cookie(request: Request) -> str:
    """The login cookie's name: one per port, so two servers on one host keep apart."""
    return f"mealplan_token_{_port(request)}"


def csrf_cookie(request: Request) -> str:
    """The CSRF cookie's name: one per port (cookies are shared by every port of a host)."""
    return f"mealplan_csrf_{_port(request)}"


class Keys:
    """The server's secret (made at start, never stored) and what is derived from it."""

    def __init__(self, secret: bytes | None = None) -> None:
        self._secret = secret or secrets.token_bytes(32)

    def _mac(self, purpose: str, value: str) -> str:
        digest = hmac.new(self._secret, f"{purpose}:{value}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:24]).decode().rstrip("=")

    def session(self, token: str) -> str:
        """What the login cookie holds for ``token``: valid on this server, until it restarts."""
        return self._mac("session", token)

    def new_csrf(self) -> str:
        """A new CSRF value: a random nonce and its signature."""
        nonce = secrets.token_urlsafe(24)
        return f"{nonce}.{self._mac('csrf', nonce)}"

    def csrf_valid(self, value: str | None) -> bool:
        """Whether ``value`` is a CSRF value this server signed."""
        if not value or value.count(".") != 1 or len(value) > 200:
            return False
        nonce, sig = value.split(".")
        return bool(nonce) and _same(sig, self._mac("csrf", nonce))


def token_ok(request: Request, token: str, keys: Keys) -> bool:
    """The request carries ``token`` in a header, or this server's login cookie for it."""
    auth = request.headers.get("authorization", "")
    bearer = auth[7:].strip() if auth.lower().startswith("bearer ") else None
    if _same(bearer, token) or _same(request.headers.get("x-mealplan-token"), token):
        return True
    return _same(request.cookies.get(token_cookie(request)), keys.session(token))


def login_redirect(request: Request, token: str, keys: Keys) -> Response | None:
    """A ``?token=`` login: the cookie set and the same page without the token in its address."""
    given = request.query_params.get("token")
    if not _same(given, token):
        return None
    query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "token"])
    url = URL(path=request.url.path, query=query)
    response = RedirectResponse(str(url), status_code=303)
    response.set_cookie(token_cookie(request), keys.session(token), httponly=True, samesite="strict")
    return response


def csrf_token(request: Request, keys: Keys) -> str:
    """The request's CSRF token (the cookie's, when this server signed it; else a new one to set)."""
    current = request.cookies.get(csrf_cookie(request))
    if keys.csrf_valid(current):
        return str(current)
    new = getattr(request.state, "csrf_new", None)
    if new is None:
        new = request.state.csrf_new = keys.new_csrf()
    return new


def set_csrf_cookie(request: Request, response: Response) -> None:
    """Set the CSRF cookie on ``response`` when :func:`csrf_token` made a new one."""
    new = getattr(request.state, "csrf_new", None)
    if new:
        response.set_cookie(csrf_cookie(request), new, httponly=True, samesite="strict")


def same_origin(request: Request) -> bool:
    """False when the browser says the request came from another origin (``Origin``, ``Sec-Fetch-Site``).

    A request without these headers (a script, a test client) passes here; the CSRF token still holds.
    """
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    if origin is None:
        return True
    return origin == f"{request.url.scheme}://{request.headers.get('host', '')}"


def csrf_ok(request: Request, form_value: str | None, keys: Keys) -> bool:
    """The form's ``csrf`` field equals the CSRF cookie, this server signed it, and the browser sent it
    from this origin."""
    cookie = request.cookies.get(csrf_cookie(request))
    return same_origin(request) and _same(form_value, cookie) and keys.csrf_valid(cookie)


class Throttle:
    """Slow down wrong tokens: after ``free`` wrong ones from one address, each further one waits
    ``base`` seconds doubled for each (at most ``cap``), and one address's wrong guesses wait in turn.

    A right token is never slowed down and clears the address's count; counts older than ``window``
    seconds are forgotten, and at most ``keep`` addresses are remembered.
    """

    def __init__(
        self, free: int = 5, base: float = 0.25, cap: float = 8.0, window: float = 900.0, keep: int = 4096
    ) -> None:
        self.free, self.base, self.cap, self.window, self.keep = free, base, cap, window, keep
        self._wrong: OrderedDict[str, tuple[int, float]] = OrderedDict()
        self._locks: dict[str, asyncio.Lock] = {}

    def count(self, address: str) -> int:
        """Wrong tokens from ``address`` within the window."""
        n, last = self._wrong.get(address, (0, 0.0))
        return n if time.monotonic() - last < self.window else 0

    def delay(self, count: int) -> float:
        """Seconds the ``count``-th wrong token waits."""
        return 0.0 if count <= self.free else min(self.cap, self.base * 2 ** (count - self.free - 1))

    async def wrong(self, address: str) -> None:
        """Count a wrong token from ``address`` and wait as long as its count says (one at a time)."""
        n = self.count(address) + 1
        self._wrong[address] = (n, time.monotonic())
        self._wrong.move_to_end(address)
        while len(self._wrong) > self.keep:
            old, _ = self._wrong.popitem(last=False)
            self._locks.pop(old, None)
        wait = self.delay(n)
        if wait:
            lock = self._locks.setdefault(address, asyncio.Lock())
            async with lock:
                await asyncio.sleep(wait)

    def right(self, address: str) -> None:
        """A right token: the address starts again from nothing."""
        self._wrong.pop(address, None)


CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = {
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",  # "no-referrer" would make browsers send "Origin: null" on forms
    "x-content-type-options": "nosniff",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
_STYLE_ATTR = re.compile(r'\sstyle="([^"]*)"')


_STYLE_ELEMENT = re.compile(r"<style>(.*?)</style>", re.S)


def _hashes(values: set[str]) -> str:
    return " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(v.encode()).digest()).decode() + "'" for v in sorted(values)
    )


def page_csp(page: str) -> str:
    """The CSP of an HTML page: :data:`CSP`, plus the hashes of the page's own ``style`` attributes (the
    embedded report colours its charts with them) and ``<style>`` elements (a report or handout opened
    from the server), so no 'unsafe-inline' is needed for them either. Scripts stay 'self' only."""
    attrs = {html.unescape(v) for v in _STYLE_ATTR.findall(page)}
    elements = set(_STYLE_ELEMENT.findall(page))
    csp = CSP
    if elements:
        csp = csp.replace("style-src 'self'", f"style-src 'self' {_hashes(elements)}")
    if attrs:
        csp += f"; style-src-attr 'unsafe-hashes' {_hashes(attrs)}"
    return csp


class SecurityHeaders:
    """ASGI middleware: :data:`HEADERS` and a CSP on every response (a page may set its own CSP), and
    ``Cache-Control: no-store`` on pages (they show clients' health data)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                have = {k.decode().lower() for k, _ in headers}
                extra = dict(HEADERS)
                extra["content-security-policy"] = CSP
                content_type = next((v.decode() for k, v in headers if k.decode().lower() == "content-type"), "")
                if content_type.startswith("text/html"):
                    extra["cache-control"] = "no-store"
                headers += [(k.encode(), v.encode()) for k, v in extra.items() if k not in have]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)

"""The page's security: tokens of 16+ characters (made by `mealplan serve` when not given), the slowdown
after wrong tokens, CSRF tokens signed by this server (a planted cookie is refused), forms from another
origin refused, per-port cookie names, the security headers on every response, and the strict YAML box."""

from __future__ import annotations

import asyncio

import pytest
from click.testing import CliRunner

from mealplan.errors import InputError
from mealplan.web import security
from mealplan.web.app import create_app
from mealplan.workbench.store import Store
from tests.web.conftest import client_for, csrf_of

TOKEN = "a-token-of-thirty-two-characters"


# --- tokens -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "words"),
    [
        ("a", "the token has 1 character; give at least 16"),
        ("   ", "the token is empty or only spaces"),
        ("", "the token is empty or only spaces"),
        ("fifteen-chars-x", "the token has 15 characters; give at least 16"),
        ("sixteen chars ok", "spaces or characters outside printable ASCII"),
        ("ünïcödé-tøken-0123", "spaces or characters outside printable ASCII"),
        ("x" * 300, "at most 256"),
    ],
)
def test_weak_tokens_are_refused(db, jobs, token, words):
    assert words in security.token_problem(token)
    with pytest.raises(InputError, match="--token: "):
        create_app(db, token=token, jobs=jobs)


def test_a_good_token_passes_and_new_tokens_are_long_and_differ():
    assert security.token_problem(TOKEN) is None
    made = {security.new_token() for _ in range(20)}
    assert len(made) == 20 and all(len(t) >= 32 and security.token_problem(t) is None for t in made)


@pytest.mark.parametrize(
    ("args", "env", "words"),
    [
        (["--token", "a"], {}, "--token (or MEALPLAN_TOKEN): the token has 1 character; give at least 16"),
        ([], {"MEALPLAN_TOKEN": "   "}, "--token (or MEALPLAN_TOKEN): the token is empty or only spaces"),
        (["--host", "0.0.0.0", "--no-token"], {}, "--host 0.0.0.0 --no-token: any address but 127.0.0.1 needs a token"),
        (["--no-token", "--token", TOKEN], {}, "--no-token and --token (or MEALPLAN_TOKEN) say opposite things"),
    ],
)
def test_serve_refuses_weak_or_missing_tokens_before_starting(tmp_path, monkeypatch, args, env, words):
    from mealplan.cli.main import cli

    monkeypatch.delenv("MEALPLAN_TOKEN", raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "x.db"), "--port", "0", *args])
    assert result.exit_code == 2, result.output
    assert words in result.output
    assert not (tmp_path / "x.db").exists()


def test_serve_makes_a_token_when_none_is_given(tmp_path, monkeypatch):
    """The address printed carries a random token; the app gets it (uvicorn is not started here)."""
    from mealplan.cli import cmd_serve
    from mealplan.cli.main import cli

    seen = {}

    def fake_run(app, **kw):
        seen["token"] = app.state.web.token
        app.state.web.jobs.shutdown()

    monkeypatch.delenv("MEALPLAN_TOKEN", raising=False)
    monkeypatch.setattr("uvicorn.run", fake_run)
    monkeypatch.setattr(cmd_serve, "free_port", lambda host: 8123)
    monkeypatch.setattr("mealplan.web.base.Web.names_soon", lambda self: None)
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "x.db"), "--port", "0", "--workers", "1"])
    assert result.exit_code == 0, result.output
    token = seen["token"]
    assert token and len(token) >= 32 and f"http://127.0.0.1:8123/?token={token}" in result.output


def test_wrong_tokens_are_slowed_down_and_a_right_one_is_not(db, jobs, monkeypatch):
    waits: list[float] = []

    async def no_wait(seconds):
        waits.append(seconds)

    monkeypatch.setattr(security.asyncio, "sleep", no_wait)
    with client_for(db, jobs, token=TOKEN) as c:
        for _ in range(9):
            assert c.get("/", headers={"Authorization": "Bearer wrong-guess-0123456789"}).status_code == 401
        assert waits == [0.25, 0.5, 1.0, 2.0]  # five free, then doubling
        assert c.get("/", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
        assert len(waits) == 4  # the right token waited for nothing
        for _ in range(12):
            c.get(f"/?token=guess{_}")  # wrong logins count too
        assert waits[-1] == security.Throttle().cap and len(waits) == 4 + 12


def test_the_throttle_forgets_a_right_address_and_bounds_its_memory():
    t = security.Throttle(keep=3)
    for address in ("a", "b", "c", "d"):
        asyncio.run(t.wrong(address))
    assert t.count("a") == 0 and t.count("d") == 1  # the oldest address forgotten
    t.right("d")
    assert t.count("d") == 0
    assert [t.delay(n) for n in range(1, 12)] == [0, 0, 0, 0, 0, 0.25, 0.5, 1, 2, 4, 8]
    assert t.delay(40) == 8.0


def test_the_login_cookie_holds_no_token_and_is_this_servers(db, jobs):
    with client_for(db, jobs, token=TOKEN) as c:
        r = c.get("/?token=" + TOKEN, follow_redirects=False)
        assert r.status_code == 303
        cookie = c.cookies["mealplan_token_8000"]
        assert cookie != TOKEN and TOKEN not in cookie
        assert c.get("/").status_code == 200
    with client_for(db, jobs, token=TOKEN) as other:  # another server (restarted): another secret
        other.cookies.set("mealplan_token_8000", cookie)
        assert other.get("/").status_code == 401


# --- CSRF ---------------------------------------------------------------------------------------------


def test_a_planted_cookie_and_matching_field_are_refused(web, db):
    """Issue 28: any app on 127.0.0.1 can set ``mealplan_csrf=x``; the value is not this server's."""
    for name in ("mealplan_csrf", "mealplan_csrf_8000"):
        web.cookies.clear()
        web.cookies.set(name, "x")
        r = web.post("/clients", data={"client_id": "eve", "age": "30", "sex": "female", "csrf": "x"})
        assert r.status_code == 403, name
        forged = "a" * 32 + "." + "b" * 32
        web.cookies.set(name, forged)
        assert web.post("/clients", data={"client_id": "eve", "csrf": forged}).status_code == 403
    with Store.open(db) as store:
        assert [c.id for c in store.clients()] == ["vegan-twitching"]


def test_a_token_signed_by_another_server_is_refused(db, jobs):
    with client_for(db, jobs) as one:
        token = csrf_of(one.get("/").text)
    with client_for(db, jobs) as two:  # a new server: a new secret
        two.cookies.set("mealplan_csrf_8000", token)
        r = two.post("/plans/1/lock", data={"day": "1", "meal": "lunch", "csrf": token})
        assert r.status_code == 403
        fresh = csrf_of(two.get("/").text)
        assert fresh != token  # the browser gets this server's own token


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "http://127.0.0.1:9999"},  # another app on another loopback port
        {"origin": "http://evil.example"},
        {"origin": "null"},
        {"sec-fetch-site": "same-site"},
        {"sec-fetch-site": "cross-site"},
    ],
)
def test_a_form_from_another_origin_is_refused(web, db, headers):
    token = csrf_of(web.get("/").text)
    r = web.post("/plans/1/lock", data={"day": "2", "meal": "dinner", "csrf": token}, headers=headers)
    assert r.status_code == 403 and "Form expired" in r.text
    ok = web.post(
        "/plans/1/lock",
        data={"day": "2", "meal": "dinner", "csrf": token},
        headers={"origin": "http://127.0.0.1:8000", "sec-fetch-site": "same-origin"},
        follow_redirects=False,
    )
    assert ok.status_code == 303


def test_cookies_are_named_by_port(db, jobs):
    from starlette.testclient import TestClient

    app = create_app(db, jobs=jobs)
    with TestClient(app, base_url="http://127.0.0.1:8001") as c:
        c.get("/")
        assert "mealplan_csrf_8001" in c.cookies and "mealplan_csrf_8000" not in c.cookies


# --- headers ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/clients/vegan-twitching",
        "/plans/1",
        "/plans/99",
        "/nowhere",
        "/static/web.css",
        "/static/web.js",
        "/search.json?q=tofu",
    ],
)
def test_every_response_has_the_security_headers(web, path):
    r = web.get(path)
    csp = r.headers["content-security-policy"]
    assert "'unsafe-inline'" not in csp and "script-src 'self'" in csp and "default-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp and "form-action 'self'" in csp
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "same-origin"
    assert r.headers["x-content-type-options"] == "nosniff"
    if r.headers["content-type"].startswith("text/html"):
        assert r.headers["cache-control"] == "no-store"
        assert "<script>" not in r.text and " on" not in r.text.split("<body", 1)[1].split(">")[0]


def test_the_headers_hold_on_the_token_page_and_the_rebinding_page(db, jobs):
    with client_for(db, jobs, token=TOKEN) as c:
        assert c.get("/").headers["x-frame-options"] == "DENY"
    with client_for(db, jobs) as c:
        r = c.get("/", headers={"host": "evil.example"})
        assert r.status_code == 400 and "'unsafe-inline'" not in r.headers["content-security-policy"]


def test_the_reports_colours_are_allowed_by_hash_not_unsafe_inline(web):
    html = web.get("/plans/1").text
    csp = web.get("/plans/1").headers["content-security-policy"]
    assert 'style="background:' in html
    assert "style-src-attr 'unsafe-hashes' 'sha256-" in csp and "'unsafe-inline'" not in csp


# --- the YAML box -------------------------------------------------------------------------------------

BOMB = (
    "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
)


@pytest.mark.parametrize(
    ("more", "words"),
    [
        (BOMB, "more: not valid YAML (line 1: an anchor (&amp;a / *a) is not allowed"),
        ("budget: 5\nbudget: 6", "duplicate key"),
        ("[" * 20_000 + "]" * 20_000, "more: "),
        ("budget: 5\n" + "#" * 25_000, "more: 25,010 characters; the box holds at most 20,000"),
        ("? [a, b]\n: 1", "more: "),
        ("- 1\n- 2", "more: give fields as &#39;field: value&#39; lines (got list)"),
    ],
)
def test_the_more_fields_box_reads_yaml_strictly(web, db, more, words):
    html = web.get("/clients/vegan-twitching").text
    r = web.post(
        "/clients/vegan-twitching/profile", data={"csrf": csrf_of(html), "age": "30", "sex": "female", "more": more}
    )
    assert r.status_code == 422, r.text[-400:]
    assert words in r.text
    assert 'id="errors"' in r.text and 'href="#f-more"' in r.text  # the summary links to the box
    with Store.open(db) as store:
        assert len(store.profile_versions("vegan-twitching")) == 1


def test_no_yaml_safe_load_in_the_web_package():
    from pathlib import Path

    import mealplan.web

    folder = Path(mealplan.web.__file__).resolve().parent
    assert not [p.name for p in folder.glob("*.py") if "safe_load" in p.read_text(encoding="utf-8")]

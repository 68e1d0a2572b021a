"""``mealplan serve``: the local web page for dietitians, on the same database as the CLI."""

from __future__ import annotations

from pathlib import Path

import click

from mealplan.cli.db import db_option


@click.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; any but loopback needs --token.")  # fmt: skip
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port (0: any free one).")
@click.option("--token", envvar="MEALPLAN_TOKEN", default=None,
              help="Access token every request must carry: at least 16 characters (default: a random one, "
              "printed in the address).")  # fmt: skip
@click.option(
    "--no-token",
    "no_token",
    is_flag=True,
    help="Serve without a token (127.0.0.1 only): any program or user on this computer can open the page.",
)
@click.option("--workers", type=click.IntRange(1, 8), default=2, show_default=True,
              help="Worker processes for plans and reports.")  # fmt: skip
@click.pass_context
def serve(ctx: click.Context, db_path: Path | None, host: str, port: int, token: str | None, no_token: bool,
          workers: int) -> None:  # fmt: skip
    """Start the local web page: clients, plans, re-plans and changes in a browser.

    Binds 127.0.0.1 unless --host says otherwise. Every request needs the access token: --token or
    MEALPLAN_TOKEN (at least 16 characters), else a random one made now; open the address printed,
    which carries it (?token=...). --no-token serves without one, on 127.0.0.1 only. Needs the web
    extra: pip install -e ".[web]". Stop it with Ctrl-C.

    \b
    Example:
      mealplan serve --db clinic.db --port 8000
    """
    from mealplan.errors import InputError

    try:
        import uvicorn

        from mealplan.web.app import create_app
    except ImportError as exc:
        missing = f"mealplan serve needs the web extra ({exc.name} is missing): pip install 'mealplan[web]'."
        raise InputError(missing) from None
    from mealplan.web.security import needs_token, new_token, token_problem
    from mealplan.workbench.store import Store

    if no_token and token is not None:
        raise click.UsageError("--no-token and --token (or MEALPLAN_TOKEN) say opposite things: give one of them.")
    if no_token and needs_token(host):
        raise InputError(f"--host {host} --no-token: any address but 127.0.0.1 needs a token, so that only people "
                         "given it can open the page; leave out --no-token to get one made.")  # fmt: skip
    if token is not None and (problem := token_problem(token)):
        raise InputError(f"--token (or MEALPLAN_TOKEN): {problem}.")
    if token is None and not no_token:
        token = new_token()
    with Store.open(db_path) as store:  # a bad --db fails here, before the server starts
        db = store.path
    from mealplan.web.jobs import JobRunner

    jobs = JobRunner(workers=workers)
    jobs.warm_up()
    app = create_app(db, token=token, jobs=jobs, debug=bool((ctx.find_root().obj or {}).get("debug")))
    if port == 0:
        port = free_port(host)
    from urllib.parse import quote

    address = f"http://{host}:{port}/" + (f"?token={quote(token, safe='')}" if token else "")
    click.echo(f"mealplan serve: {address} (database {db}); Ctrl-C stops it.", err=True)
    app.state.web.names_soon()
    uvicorn.run(app, host=host, port=port, log_level="warning")


def free_port(host: str) -> int:
    """A port free on ``host`` now (``--port 0``), so the address printed is the one served."""
    import socket

    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])

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
              help="Access token every request must carry (needed off loopback).")  # fmt: skip
@click.option("--workers", type=click.IntRange(1, 8), default=2, show_default=True,
              help="Worker processes for plans and reports.")  # fmt: skip
@click.pass_context
def serve(ctx: click.Context, db_path: Path | None, host: str, port: int, token: str | None, workers: int) -> None:
    """Start the local web page: clients, plans, re-plans and changes in a browser.

    Binds 127.0.0.1 unless --host says otherwise; another address needs an access token (--token or
    MEALPLAN_TOKEN), and the address printed carries it (?token=...). Needs the web extra:
    pip install -e ".[web]". Stop it with Ctrl-C.

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
    from mealplan.web.security import needs_token
    from mealplan.workbench.store import Store

    if needs_token(host) and not token:
        raise InputError(f"--host {host}: any address but 127.0.0.1 needs --token TOKEN (or MEALPLAN_TOKEN), so "
                         "that only people given the token can open the page.")  # fmt: skip
    with Store.open(db_path) as store:  # a bad --db fails here, before the server starts
        db = store.path
    from mealplan.web.jobs import JobRunner

    jobs = JobRunner(workers=workers)
    jobs.warm_up()
    app = create_app(db, token=token, jobs=jobs, debug=bool((ctx.find_root().obj or {}).get("debug")))
    if port == 0:
        port = free_port(host)
    address = f"http://{host}:{port}/" + (f"?token={token}" if token else "")
    click.echo(f"mealplan serve: {address} (database {db}); Ctrl-C stops it.", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def free_port(host: str) -> int:
    """A port free on ``host`` now (``--port 0``), so the address printed is the one served."""
    import socket

    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])

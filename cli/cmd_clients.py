"""``mealplan clients``: a dietitian's clients, each with profile versions and plans, in the database."""

from __future__ import annotations

from pathlib import Path

import click

from mealplan.cli.common import PROFILE_HELP, emit, format_option, output_option, show
from mealplan.cli.db import db_option, open_store
from mealplan.textsafe import term_text


@click.group("clients")
def clients() -> None:
    """Keep clients and their profile versions in the database (add, list, show, edit).

    \b
    Example:
      mealplan clients add --profile examples/profiles/vegan_twitching.yaml --name "Ana"
      mealplan plan --client vegan-twitching --days 7
      mealplan history vegan-twitching
    """


@clients.command("add")
@click.option("--profile", "profile_path", required=True, type=click.Path(allow_dash=True, path_type=Path),
              help=PROFILE_HELP)  # fmt: skip
@click.option("--id", "client_id", metavar="ID", help="The client's id (default: the profile's id).")
@click.option("--name", default=None, help="The client's name (default: the profile's name).")
@click.option("--notes", default="", help="Free-text notes.")
@db_option
def add(profile_path: Path, client_id: str | None, name: str | None, notes: str, db_path: Path | None) -> None:
    """Add a client from a profile file (its first profile version).

    \b
    Example:
      mealplan clients add --profile examples/profiles/older_diuretics.yaml --id mr-b --notes "on furosemide"
    """
    from mealplan.cli.common import load_profile_arg
    from mealplan.workbench.clients import client_id_checked

    profile = load_profile_arg(profile_path)
    cid = client_id_checked(client_id or profile.id)
    with open_store(db_path) as store:
        client = store.add_client(cid, profile, name=name if name is not None else profile.name or "", notes=notes)
    emit(f"added client {client.id} (profile version 1) to {store.path}\n", None)


@clients.command("list")
@db_option
@format_option(("table", "json"))
@output_option
def list_(db_path: Path | None, fmt: str, output: Path | None) -> None:
    """List the clients with their numbers of profile versions and plans.

    \b
    Example:
      mealplan clients list --format json
    """
    from rich.table import Table

    with open_store(db_path) as store:
        rows = store.clients()
    if fmt == "json":
        import json

        emit(json.dumps({"clients": [c.model_dump() for c in rows]}, indent=2) + "\n", output)
        return
    table = Table("id", "name", "profile versions", "plans", "updated", title=f"{len(rows)} clients",
                  title_justify="left")  # fmt: skip
    for c in rows:
        table.add_row(c.id, term_text(c.name or ""), str(c.profile_versions), str(c.plans), c.updated)
    show([table], output)


@clients.command("show")
@click.argument("client_id", metavar="ID")
@db_option
@format_option(("table", "json"))
@output_option
def show_(client_id: str, db_path: Path | None, fmt: str, output: Path | None) -> None:
    """Show one client: notes, profile versions, latest profile and plans.

    \b
    Example:
      mealplan clients show vegan-twitching
    """
    from mealplan.workbench.render import client_renderables

    with open_store(db_path) as store:
        client = store.client(client_id)
        versions = store.profile_versions(client_id)
        plans = store.plans(client_id)
    if fmt == "json":
        import json

        data = {"client": client.model_dump(), "versions": [v.model_dump() for v in versions],
                "plans": [p.model_dump() for p in plans]}  # fmt: skip
        emit(json.dumps(data, indent=2) + "\n", output)
        return
    show(client_renderables(client, versions, plans), output)


@clients.command("edit")
@click.argument("client_id", metavar="ID")
@click.option("--profile", "profile_path", type=click.Path(allow_dash=True, path_type=Path),
              help="A new profile file: stored as the next profile version.")  # fmt: skip
@click.option("--set", "changes", multiple=True, metavar="FIELD=VALUE",
              help="Change one profile field (YAML value: --set 'exclude=[liver]'); a new profile version. "
              "Repeatable.")  # fmt: skip
@click.option("--name", default=None, help="A new name.")
@click.option("--notes", default=None, help="New notes.")
@db_option
def edit(client_id: str, profile_path, changes, name, notes, db_path: Path | None) -> None:
    """Change a client's name or notes, or store a new profile version.

    \b
    Example:
      mealplan clients edit vegan-twitching --set 'exclude=[peanut]' --notes "reacts to peanuts"
    """
    from mealplan.cli.common import load_profile_arg
    from mealplan.workbench.clients import changed_profile

    with open_store(db_path) as store:
        profile = load_profile_arg(profile_path) if profile_path else None
        if changes:
            base = profile.model_dump(mode="json") if profile else store.latest_profile(client_id).profile
            profile = changed_profile(base, changes, source=f"client {client_id}")
        before = store.client(client_id).profile_versions
        client = store.edit_client(client_id, name=name, notes=notes, profile=profile)
    what = (
        f"profile version {client.profile_versions}" if client.profile_versions > before else "no new profile version"
    )
    emit(f"edited client {client.id} ({what})\n", None)


@clients.command("export")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@db_option
def export(folder: Path, db_path: Path | None) -> None:
    """Write every client's latest profile into FOLDER for a batch.

    Each file is <client>.json, its id the client's, so the batch names each plan after its client;
    `mealplan clients import` then stores the batch's plans in the clients' histories.

    \b
    Example:
      mealplan clients export clinic/
      mealplan batch clinic/ -o plans/ --days 7
      mealplan clients import plans/
    """
    from mealplan.cli.common import note
    from mealplan.workbench.batch import export_profiles

    with open_store(db_path) as store:
        written, skipped = export_profiles(store, folder)
    for reason in skipped:
        note(f"left out {reason}")
    emit(f"wrote {len(written)} profiles to {folder}; plan them with `mealplan batch {folder} -o plans/`\n", None)
    if skipped:
        click.get_current_context().exit(1)  # some work failed: the clients left out are named above


@clients.command("import")
@click.argument("folder", type=click.Path(path_type=Path))
@db_option
def import_plans(folder: Path, db_path: Path | None) -> None:
    """Store a batch's plans from FOLDER in their clients' histories.

    Plan files whose profile is not a client, and files that are not plans, are listed and left out.

    \b
    Example:
      mealplan clients import plans/
    """
    from mealplan.cli.common import note
    from mealplan.workbench.batch import import_plans as import_batch

    with open_store(db_path) as store:
        stored, skipped = import_batch(store, folder)
    for reason in skipped:
        note(f"left out {reason}")
    emit(f"stored {len(stored)} plans: {', '.join(f'{c} (plan {i})' for c, i in stored) or 'none'}\n", None)

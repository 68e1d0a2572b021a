"""``mealplan init``: write the shipped examples into a folder, so every ``--help`` example runs.

A wheel installs the examples as package data (``mealplan.examples``); this copies them out.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

# The example folders copied, and what each is for.
PARTS = {
    "profiles": "profiles for plan and targets",
    "batch": "a batch folder of 12 profiles",
    "basket": "a food table and targets for basket",
    "foods": "a table of your own foods for --foods",
}


def _files() -> list[tuple[str, Traversable]]:
    """(path under examples/, resource) for every shipped example file."""
    from importlib.resources import files

    root = files("mealplan.examples")
    out = []
    for part in PARTS:
        folder = root / part
        if not folder.is_dir():
            continue
        for item in sorted(folder.iterdir(), key=lambda r: r.name):
            if item.is_file() and not item.name.startswith((".", "__")):
                out.append((f"{part}/{item.name}", item))
    return out


@click.command("init")
@click.argument("directory", default=".", metavar="[DIR]", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite example files that already exist.")
def init(directory: Path, force: bool) -> None:
    """Copy the example profiles, batch folder and basket table into DIR/examples.

    DIR defaults to the current folder. Existing files are left alone (and nothing is written)
    unless --force is given. Afterwards the examples in every command's --help run from DIR.

    \b
    Example:
      mealplan init
      mealplan init my-clinic --force
    """
    from mealplan.errors import InputError
    from mealplan.fileio import write_atomic

    files = _files()
    if not files:
        raise InputError("this installation of mealplan has no example files (mealplan.examples is empty)")
    target = directory / "examples"
    existing = [name for name, _ in files if (target / name).exists()]
    if existing and not force:
        shown = ", ".join(existing[:3]) + (f" and {len(existing) - 3} more" if len(existing) > 3 else "")
        raise InputError(
            f"{target} already has {shown}; nothing was written. Use --force to overwrite them, "
            "or give another folder (mealplan init DIR)"
        )
    for name, resource in files:
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, resource.read_bytes())
    counts = {part: sum(1 for name, _ in files if name.startswith(part + "/")) for part in PARTS}
    click.echo(f"Wrote {len(files)} example files into {target}:")
    for part, what in PARTS.items():
        if counts[part]:
            click.echo(f"  {target / part}/  {counts[part]} file{'s' * (counts[part] != 1)}: {what}")
    here = "" if directory.resolve() == Path.cwd().resolve() else f"cd {directory} && "
    click.echo("Next, try:")
    click.echo(f"  {here}mealplan plan --profile examples/profiles/vegan_twitching.yaml --days 7")
    click.echo("  mealplan triage --symptom muscle-twitching --factor vegan")
    click.echo("  mealplan batch examples/batch/ -o plans/ --days 7 --jobs 2")

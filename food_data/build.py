"""Reproducible build of the bundled USDA SR24 table from Debian's ``cronometer`` package.

Usage::

    python -m mealplan.food_data.build                      # apt-get download cronometer, then build
    python -m mealplan.food_data.build --source cronometer_0.9.9+dfsg1-1_all.deb
    python -m mealplan.food_data.build --source usda_sr24.jar --out food_data/data

The .deb is an ``ar`` archive holding ``data.tar.*``; inside it ``usda_sr24.jar`` is a zip with one
XML file per food (``usda_sr24/09040.xml``). No Java and no dpkg are needed. The output is two
gzip-compressed CSV files written deterministically (sorted rows, fixed float format, gzip mtime 0),
so re-running the build reproduces them byte for byte.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import logging
import math
import subprocess
import sys
import tarfile
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mealplan.food_data.groups import group_name
from mealplan.food_data.nutrients import BUILT_NUTRIENTS, BY_SR24_NAME, derive_vitamin_a_rae
from mealplan.food_data.table import DATA_DIR, FOODS_FILE, MEASURES_FILE

log = logging.getLogger(__name__)

JAR_MEMBER = "usda_sr24.jar"


@dataclass
class FoodRecord:
    """One parsed SR24 food: id, name, nutrients per 100 g (canonical units), measures."""

    id: str
    name: str
    nutrients: dict[str, float] = field(default_factory=dict)
    measures: list[tuple[float, str, float]] = field(default_factory=list)
    deprecated: bool = False


def parse_food_xml(data: bytes | str) -> FoodRecord:
    """Parse one cronometer SR24 ``<food>`` XML document.

    Values are converted to the registry's canonical units (vitamin D IU → µg) and vitamin A is
    derived in µg RAE. Nutrients absent from the record stay absent (missing, not zero).
    """
    root = ET.fromstring(data)
    rec = FoodRecord(id=root.attrib["uid"].zfill(5), name=root.attrib["name"].strip())
    for el in root:
        if el.tag == "measure":
            amount = float(el.attrib.get("amount", "1"))
            rec.measures.append((amount, el.attrib["name"].strip(), float(el.attrib["grams"])))
        elif el.tag == "nutrient":
            nut = BY_SR24_NAME.get(el.attrib["name"])
            if nut is None:
                log.warning("food %s: unknown nutrient %r skipped", rec.id, el.attrib["name"])
                continue
            rec.nutrients[nut.id] = float(el.attrib["amount"]) * nut.sr24_factor
    n = rec.nutrients
    rae = derive_vitamin_a_rae(
        *(n.get(k, math.nan) for k in ("retinol", "beta_carotene", "alpha_carotene", "beta_cryptoxanthin"))
    )
    if not math.isnan(rae):
        n["vitamin_a"] = rae
    return rec


def _fmt(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = format(value, ".6g")
    return "0" if text == "-0" else text


def _gzip_bytes(text: str) -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(text.encode("utf-8"))
    return buf.getvalue()


def render_tables(records: Iterable[FoodRecord]) -> tuple[str, str]:
    """Render the foods and measures CSV texts (sorted by id, fixed formatting)."""
    recs = sorted(records, key=lambda r: r.id)
    foods, measures = io.StringIO(), io.StringIO()
    fw = csv.writer(foods, lineterminator="\n")
    fw.writerow(["id", "name", "usda_group", "deprecated", *BUILT_NUTRIENTS])
    mw = csv.writer(measures, lineterminator="\n")
    mw.writerow(["id", "seq", "amount", "measure", "grams"])
    for r in recs:
        fw.writerow(
            [r.id, r.name, group_name(r.id), int(r.deprecated)]
            + [_fmt(r.nutrients.get(nid)) for nid in BUILT_NUTRIENTS]
        )
        for seq, (amount, name, grams) in enumerate(r.measures, start=1):
            mw.writerow([r.id, seq, _fmt(amount), name, _fmt(grams)])
    return foods.getvalue(), measures.getvalue()


def iter_jar_records(jar: zipfile.ZipFile) -> Iterator[FoodRecord]:
    """Yield every food in an opened ``usda_sr24.jar``, flagged when listed as deprecated."""
    names = jar.namelist()
    deprecated: set[str] = set()
    current: set[str] = set()
    for index, target in (("deprecated.index", deprecated), ("foods.index", current)):
        member = next((n for n in names if n.endswith(index)), None)
        if member:
            for line in jar.read(member).decode("utf-8", "replace").splitlines():
                if "|" in line:
                    target.add(line.split("|", 1)[0].strip().zfill(5))
    for name in sorted(n for n in names if n.endswith(".xml")):
        rec = parse_food_xml(jar.read(name))
        rec.deprecated = rec.id in deprecated and rec.id not in current
        yield rec


def _ar_members(data: bytes) -> Iterator[tuple[str, bytes]]:
    """Yield (name, content) of a Unix ``ar`` archive (the .deb container)."""
    if not data.startswith(b"!<arch>\n"):
        raise ValueError("not a .deb (ar) archive")
    pos = 8
    while pos + 60 <= len(data):
        header = data[pos : pos + 60]
        name = header[:16].decode().strip().rstrip("/")
        size = int(header[48:58].decode().strip())
        pos += 60
        yield name, data[pos : pos + size]
        pos += size + (size % 2)


def jar_bytes_from_deb(deb: Path) -> bytes:
    """Extract ``usda_sr24.jar`` from the cronometer .deb without dpkg or Java."""
    for name, content in _ar_members(deb.read_bytes()):
        if name.startswith("data.tar"):
            with tarfile.open(fileobj=io.BytesIO(content), mode="r:*") as tar:
                for member in tar.getmembers():
                    if member.name.endswith(JAR_MEMBER):
                        fh = tar.extractfile(member)
                        if fh is not None:
                            return fh.read()
    raise FileNotFoundError(f"{deb}: no {JAR_MEMBER} inside the package")


def download_deb(workdir: Path) -> Path:
    """Fetch the cronometer .deb with ``apt-get download`` into ``workdir``."""
    subprocess.run(["apt-get", "download", "cronometer"], cwd=workdir, check=True)
    debs = sorted(workdir.glob("cronometer_*.deb"))
    if not debs:
        raise FileNotFoundError("apt-get download cronometer produced no .deb")
    return debs[-1]


def build(source: Path | None, out_dir: Path) -> tuple[int, Path, Path]:
    """Build the bundled table from a .deb, a .jar, or (``None``) a fresh ``apt-get download``.

    Returns:
        The number of foods and the paths of the foods and measures files.
    """
    with tempfile.TemporaryDirectory() as tmp:
        if source is None:
            source = download_deb(Path(tmp))
        raw = source.read_bytes() if source.suffix == ".jar" else jar_bytes_from_deb(source)
    with zipfile.ZipFile(io.BytesIO(raw)) as jar:
        records = list(iter_jar_records(jar))
    foods_csv, measures_csv = render_tables(records)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for fname, text in ((FOODS_FILE, foods_csv), (MEASURES_FILE, measures_csv)):
        path = out_dir / fname
        tmp_path = path.with_suffix(path.suffix + ".tmp")
        tmp_path.write_bytes(_gzip_bytes(text))
        tmp_path.replace(path)
        paths.append(path)
    return len(records), paths[0], paths[1]


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: ``python -m mealplan.food_data.build``."""
    parser = argparse.ArgumentParser(prog="python -m mealplan.food_data.build", description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, help="cronometer .deb or usda_sr24.jar (default: apt-get download)")
    parser.add_argument("--out", type=Path, default=DATA_DIR, help=f"output folder (default {DATA_DIR})")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    count, foods, measures = build(args.source, args.out)
    sys.stdout.write(f"{count} foods -> {foods} ({foods.stat().st_size} bytes), {measures}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

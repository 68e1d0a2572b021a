"""Safe file I/O shared by every layer.

- :func:`write_atomic`: readers see the old file or the complete new one, never a partial write.
- :func:`read_user_text`: a file a user named, read once, with one message naming the file and what is
  allowed when it is missing, a folder, a FIFO or device, too large, unreadable or not UTF-8.
- :func:`load_user_yaml` and :func:`load_user_json`: the one parser of each for files people write:
  YAML without anchors, aliases or non-scalar keys (a "billion laughs" file is refused, not expanded)
  and without duplicate keys; JSON without duplicate keys, NaN or Infinity.
- :func:`load_data_file`: a data file shipped with mealplan, read and checked against its model, every
  problem in one error.
- :func:`read_csv_table` / :func:`parse_csv_table`: the one CSV reader for files people write; every line
  is a numbered row or a broken row (a stray quote never swallows the rows after it).
- :func:`id_path`: the one place an id (a profile's, a client's) becomes a file name.
"""

from __future__ import annotations

import csv
import errno
import io
import itertools
import json
import os
import re
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import yaml

from mealplan.errors import InputError, MealplanError

if TYPE_CHECKING:
    from pydantic import BaseModel

M = TypeVar("M", bound="BaseModel")

TEMP_SUFFIX = ".tmp"
# Every file a user names is read with a cap, whatever its size claims (a 20,000-food CSV is ~30 MB).
DEFAULT_MAX_BYTES = 256 * 1024 * 1024
_CHUNK = 1 << 20


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: Path | str, data: str | bytes, *, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` through a uniquely named temporary file in the same folder, then rename.

    Concurrent writers of the same path each rename a complete file (the last one wins); a process
    killed mid-write leaves only a ``.<name>.*.tmp`` file, never a partial ``path``.
    An existing file keeps its permission bits (a private 0600 file stays private); a new file gets
    the mode a plain ``open()`` would give it under the user's umask; ``mode`` sets it instead (``0o600``
    for a file only the user may read or change). A character device or FIFO (``-o /dev/null``) is
    written into, never replaced.

    Raises:
        OSError: With ``filename`` set to ``path`` (a full disk names the file being written).
    """
    path, new_mode = Path(path), mode
    try:
        st = os.stat(path)
        mode = stat.S_IMODE(st.st_mode)
    except OSError:
        st, mode = None, 0o666 & ~_umask()
    mode = mode if new_mode is None else new_mode
    if st is not None and (stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode)):
        # -o /dev/null, /dev/stdout or a named pipe: write into it; renaming over it would replace
        # the device or pipe with a regular file.
        with open(path, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        return
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
        # mkstemp makes the file private (0600); give it the existing file's mode, or open()'s.
        os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        if exc.filename is not None and exc.filename != tmp:
            raise  # names its own file (a parent folder that is a file)
        raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from exc
    except BaseException:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise


def read_user_text(
    path: Path | str,
    what: str,
    *,
    allowed: str = "",
    error: type[MealplanError] = InputError,
    max_bytes: int | None = None,
    name: str | None = None,
    encoding: str = "utf-8-sig",
) -> str:
    """The text of a file a user named, or one ``error`` that names the file and says what is allowed.

    The one place that turns a missing file, a folder, a FIFO, socket or device, an oversized or
    unreadable file and non-UTF-8 bytes into a message (``utf-8-sig``: spreadsheet exports often start
    with a byte-order mark). The file is opened without blocking and checked to be a regular file
    before any byte is read, and read with a byte cap (``max_bytes``, else :data:`DEFAULT_MAX_BYTES`)
    that does not trust the size the file system reports.

    Args:
        path: The file.
        what: What the file should be, as a noun ("profile file", "targets file", "plan").
        allowed: What the user may give instead, appended after ``; `` ("a YAML or JSON profile").
        error: The :class:`~mealplan.errors.MealplanError` subclass to raise.
        max_bytes: Refuse larger files (the message gives the size and the limit).
        name: How to name the file in messages (default: the path).
    """
    path = Path(path)
    name = name or str(path)
    hint = f"; {allowed}" if allowed else ""
    data = read_user_bytes(path, what, allowed=allowed, error=error, max_bytes=max_bytes, name=name)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise error(f"{name}: cannot read the {what}: it is not UTF-8 text; save it as UTF-8 text{hint}") from None


def read_user_bytes(
    path: Path | str,
    what: str,
    *,
    allowed: str = "",
    error: type[MealplanError] = InputError,
    max_bytes: int | None = None,
    name: str | None = None,
) -> bytes:
    """The bytes of a regular file a user named, read with a cap; see :func:`read_user_text`."""
    path = Path(path)
    name = name or str(path)
    hint = f"; {allowed}" if allowed else ""
    article = "an" if what[:1].lower() in "aeiou" else "a"
    cap = DEFAULT_MAX_BYTES if max_bytes is None else max_bytes

    def too_large(size: str) -> MealplanError:
        return error(f"{name}: the file is too large for {article} {what} ({size}; the limit is {_mb(cap)}){hint}")

    try:
        # O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise error(f"{name}: {what} not found{hint}") from None
    except IsADirectoryError:
        raise error(f"{name}: is a folder where {article} {what} is needed{hint}") from None
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a socket or a FIFO opened without a writer on some systems
            raise error(f"{name}: is not a regular file where {article} {what} is needed{hint}") from None
        raise error(f"{name}: cannot read the {what} ({exc.strerror or exc}){hint}") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise error(f"{name}: is a folder where {article} {what} is needed{hint}")
        if not stat.S_ISREG(st.st_mode):
            kind = _KINDS.get(stat.S_IFMT(st.st_mode), "a special file")
            raise error(f"{name}: is {kind}, not a regular file; give {article} {what} as a regular file{hint}")
        if st.st_size > cap:
            raise too_large(_mb(st.st_size))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        chunks: list[bytes] = []
        total = 0
        while True:
            block = os.read(fd, min(_CHUNK, cap + 1 - total))
            if not block:
                break
            chunks.append(block)
            total += len(block)
            if total > cap:
                raise too_large(f"more than {_mb(cap)}")
        return b"".join(chunks)
    except OSError as exc:
        raise error(f"{name}: cannot read the {what} ({exc.strerror or exc}){hint}") from None
    finally:
        os.close(fd)


_KINDS = {
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


def _mb(size: int) -> str:
    if size >= 2**20 and size % 2**20 == 0:
        return f"{size // 2**20} MB"
    return f"{size / 2**20:.1f} MB" if size >= 2**20 else f"{size:,} bytes"


# --- parsers for files people write ---------------------------------------------------------------


class _NoAliasError(yaml.MarkedYAMLError):
    pass


class _StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A safe loader whose mappings refuse non-scalar and duplicate keys."""


def _strict_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            kind = "list" if isinstance(key_node, yaml.SequenceNode) else "mapping"
            raise yaml.constructor.ConstructorError(
                None, None, f"a key is a {kind}; keys must be plain words or numbers", key_node.start_mark
            )
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first on line {seen[key]})", key_node.start_mark
            )
        seen[key] = key_node.start_mark.line + 1
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _strict_mapping)


def load_user_yaml(text: str) -> Any:
    """YAML a person wrote, parsed safely: like ``yaml.safe_load`` but refusing anchors and aliases
    (``&a`` / ``*a``: a few hundred bytes of nested aliases expand to gigabytes), keys that are
    lists or mappings (``? [a, b]``) and duplicate keys.

    Raises:
        yaml.YAMLError: A ``MarkedYAMLError`` whose ``problem`` and ``problem_mark`` give the reason
            and the line, as the parser's own syntax errors do.
        RecursionError: Lists or mappings nested too deeply.
    """
    loader_cls = _StrictLoader
    try:
        for event in yaml.parse(text, Loader=loader_cls):
            anchor = getattr(event, "anchor", None)
            if isinstance(event, yaml.AliasEvent) or anchor is not None:
                what = "an alias" if isinstance(event, yaml.AliasEvent) else "an anchor"
                mark: yaml.Mark | None = getattr(event, "start_mark", None)  # libyaml's Mark or PyYAML's
                raise _NoAliasError(
                    None,
                    None,
                    f"{what} (&{anchor} / *{anchor}) is not allowed; write the value out in full",
                    mark,
                )
        return yaml.load(text, Loader=loader_cls)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        # libyaml stops at a nesting limit where the pure-Python parser recurses: one signal for both.
        if "maximum nesting depth" in str(getattr(exc, "problem", "") or exc):
            raise RecursionError("nested too deeply") from None
        raise


def _json_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}; each key may appear once in an object")
        out[key] = value
    return out


def _json_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number here; give a finite number")


def load_user_json(text: str) -> Any:
    """JSON a person wrote: duplicate keys, ``NaN`` and ``Infinity`` are refused.

    Raises:
        json.JSONDecodeError: For syntax errors, duplicate keys and non-finite constants alike (with
            line and column), so callers need one ``except``.
    """
    try:
        return json.loads(text, object_pairs_hook=_json_pairs, parse_constant=_json_constant)
    except ValueError as exc:
        if isinstance(exc, json.JSONDecodeError):
            raise
        raise json.JSONDecodeError(str(exc), text, _json_error_pos(text, str(exc))) from None


def _json_error_pos(text: str, message: str) -> int:
    # The hook has no position; point at the key or constant it names, else the start.
    for token in ("NaN", "-Infinity", "Infinity"):
        if message.startswith(token) and token in text:
            return text.index(token)
    if "duplicate key" in message:
        key = message.split("'", 2)[1] if "'" in message else ""
        quoted = json.dumps(key)
        first = text.find(quoted)
        second = text.find(quoted, first + 1) if first >= 0 else -1
        return max(second, 0)
    return 0


def load_data_file(path: Path, model: type[M], what: str, *, error: type[MealplanError] = MealplanError) -> M:
    """A data file shipped with mealplan (YAML) read and checked against ``model``, once per caller.

    Args:
        path: The file.
        model: The pydantic model of its whole document (strict: unknown keys are errors).
        what: What the file holds, for messages ("target rules").
        error: The error raised (``FoodDataError`` for bundled data, ``ConfigError`` for settings).

    Raises:
        error: the file cannot be read or parsed, or one error listing every problem (field and message).
    """
    from pydantic import ValidationError  # (imported here: `mealplan --help` imports this module, not pydantic)

    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise error(f"{path}: cannot read the {what}: {exc}") from exc
    try:
        return model.model_validate(doc)
    except ValidationError as exc:
        problems = [f"{'.'.join(map(str, e['loc']))}: {e['msg'].removeprefix('Value error, ')}" for e in exc.errors()]
        raise error(f"{path}: the {what} have problems:", problems) from None


# --- ids that become file names -----------------------------------------------------------------------

# What an id that names a file may be: the profile id rule (1-64 letters, digits, '_', '.' or '-',
# starting with a letter or digit), so no id is a path ('../x', '/etc/x', 'a/b'), hidden ('.x') or
# empty, whatever stored it (a database edited by another program, a batch given through the API).
FILE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}")
_FILE_ID_RULE = "an id that names a file is 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit"


def id_path(folder: Path | str, ident: object, suffix: str, what: str = "id") -> Path:
    """``folder/<ident><suffix>``, for an id that is a plain file name; the one place an id becomes a path.

    Raises:
        InputError: naming ``what``, the id (shortened) and the rule, when the id would name a file
            outside ``folder`` or no file at all.
    """
    text = ident if isinstance(ident, str) else ""
    if not FILE_ID.fullmatch(text):
        shown = repr(ident)[:80] + ("..." if len(repr(ident)) > 80 else "")
        raise InputError(f"{what} {shown}: cannot name a file in {folder}; {_FILE_ID_RULE}")
    path = Path(folder) / f"{text}{suffix}"
    if path.parent != Path(folder) or path.name != f"{text}{suffix}":  # pragma: no cover - the rule forbids it
        raise InputError(f"{what} {text!r}: cannot name a file in {folder}; {_FILE_ID_RULE}")
    return path


# --- CSV files people write -------------------------------------------------------------------------

STRAY_QUOTE = (
    'runs over several lines: a stray double quote (") opens a quoted cell; remove the quote, '
    'or write it as two ("") inside a quoted cell'
)


@dataclass(frozen=True)
class CsvRow:
    """One data row: its number as a spreadsheet shows it (the header is row 1) and its cells."""

    row: int
    cells: list[str]


@dataclass(frozen=True)
class CsvBroken:
    """A row that is not cells: a stray quote opened a cell the line never closes, or the line holds a NUL.

    The rows after it are read on their own: a stray quote never swallows them.
    """

    row: int
    column: str  # the header's name of the cell where it breaks ("column 3" past the header)
    value: str  # that cell's text on its own line, shortened
    reason: str

    def message(self, source: str) -> str:
        return f"{source}: row {self.row}, column {self.column!r}: {self.value!r} {self.reason}"


@dataclass(frozen=True)
class CsvTable:
    """A CSV a person wrote: the header, every data row with its number, and the rows that are not rows.

    Every line of the file after the header is one entry of ``rows`` or ``broken``, or blank: nothing
    is dropped or folded into another row without a word.
    """

    header: list[str]
    rows: list[CsvRow]
    broken: list[CsvBroken]


def read_csv_table(
    path: Path | str,
    what: str,
    *,
    allowed: str = "",
    error: type[MealplanError] = InputError,
    max_bytes: int | None = None,
    name: str | None = None,
) -> CsvTable:
    """The one reader of CSV files people write (food tables, batch rows, price tables, basket targets).

    The file is read as :func:`read_user_bytes` reads it (regular files only, a byte cap); binary data
    and text that is neither UTF-8 nor Windows-1252 (what spreadsheets export) are refused, and a
    byte-order mark is dropped. Rows are split by :func:`parse_csv_table`: a stray double quote marks its
    own row broken, never the rows after it. An empty file gives an empty table (no header): the caller
    says what its header should be.

    Raises:
        ``error``: naming the file: missing, not a regular file, too large, binary or not text.
    """
    path = Path(path)
    label = name or str(path)
    data = read_user_bytes(path, what, allowed=allowed, error=error, max_bytes=max_bytes, name=label)
    why = "not a CSV file (it holds binary data)" if b"\x00" in data[:65536] else None
    text = ""
    if why is None:
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            why = "not a text CSV file (not UTF-8)"
    if why is not None:
        raise error(f"{label}: {why}; save the table as CSV (UTF-8)")
    return parse_csv_table(text)


def parse_csv_table(text: str) -> CsvTable:
    """Split CSV text into a header and numbered rows, reading past stray quotes.

    Python's ``csv`` module lets a quote that is never closed run on to the end of the file (or the
    next quote), folding every later line into one cell. Here a record that spans several lines, or a
    cell holding a line break, is reported as broken at its first line, and reading starts again at
    the next line, so each physical line is one row (numbered as a spreadsheet numbers it).
    """
    lines = io.StringIO(text.removeprefix("\ufeff"), newline="").readlines()
    header: list[str] | None = None
    rows: list[CsvRow] = []
    broken: list[CsvBroken] = []
    start = 0  # index of the line the reader (re)starts at
    while start < len(lines):
        reader = csv.reader(itertools.islice(lines, start, None))
        done = start  # lines consumed before the record being read
        try:
            for cells in reader:
                first, end = done + 1, start + reader.line_num  # 1-based first line, lines consumed
                if end > first or any("\n" in c or "\r" in c for c in cells):
                    broken.append(_broken(cells, first, header))
                    start = first  # read again from the line after the broken one
                    break
                done = end
                if header is None:
                    header = cells
                elif any(c.strip() for c in cells):
                    rows.append(CsvRow(first, cells))
            else:
                break
        except csv.Error as exc:  # a NUL byte, a cell beyond the csv module's size limit
            line = done + 1
            broken.append(CsvBroken(line, "column 1", lines[line - 1][:60].strip(), f"cannot be read as CSV ({exc})"))
            start = line
    if header is None and broken and broken[0].row == 1:
        header = []
    return CsvTable(header=header or [], rows=rows, broken=broken)


def _broken(cells: list[str], row: int, header: list[str] | None) -> CsvBroken:
    """The row of a record whose quoted cell runs over line breaks: that cell's column and its start."""
    i = next((k for k, c in enumerate(cells) if "\n" in c or "\r" in c), len(cells) - 1)
    column = header[i] if header is not None and i < len(header) else f"column {i + 1}"
    return CsvBroken(row, column, cells[i][:60] if cells else "", STRAY_QUOTE)

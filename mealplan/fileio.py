"""Safe file I/O shared by every layer.

- :func:`write_atomic`: readers see the old file or the complete new one, never a partial write.
- :func:`read_user_text`: a file a user named, read once, with one message naming the file and what is
  allowed when it is missing, a folder, a FIFO or device, too large, unreadable or not UTF-8.
- :func:`load_user_yaml` and :func:`load_user_json`: the one parser of each for files people write:
  YAML without anchors, aliases or non-scalar keys (a "billion laughs" file is refused, not expanded)
  and without duplicate keys; JSON without duplicate keys, NaN or Infinity.
- :func:`load_data_file`: a data file shipped with mealplan, read and checked against its model, every
  problem in one error.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import tempfile
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


def write_atomic(path: Path | str, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a uniquely named temporary file in the same folder, then rename.

    Concurrent writers of the same path each rename a complete file (the last one wins); a process
    killed mid-write leaves only a ``.<name>.*.tmp`` file, never a partial ``path``.
    An existing file keeps its permission bits (a private 0600 file stays private); a new file gets
    the mode a plain ``open()`` would give it under the user's umask. A character device or FIFO
    (``-o /dev/null``) is written into, never replaced.

    Raises:
        OSError: With ``filename`` set to ``path`` (a full disk names the file being written).
    """
    path = Path(path)
    try:
        st = os.stat(path)
        mode = stat.S_IMODE(st.st_mode)
    except OSError:
        st, mode = None, 0o666 & ~_umask()
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
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                what = "an alias" if isinstance(event, yaml.AliasEvent) else "an anchor"
                raise _NoAliasError(
                    None,
                    None,
                    f"{what} (&{event.anchor} / *{event.anchor}) is not allowed; write the value out in full",
                    event.start_mark,
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

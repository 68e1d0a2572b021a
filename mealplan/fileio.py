"""Safe file I/O shared by every layer.

- :func:`write_atomic`: readers see the old file or the complete new one, never a partial write.
- :func:`read_user_text`: a file a user named, read once, with one message naming the file and what is
  allowed when it is missing, a folder, too large, unreadable or not UTF-8.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from mealplan.errors import InputError, MealplanError

TEMP_SUFFIX = ".tmp"


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: Path | str, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a uniquely named temporary file in the same folder, then rename.

    Concurrent writers of the same path each rename a complete file (the last one wins); a process
    killed mid-write leaves only a ``.<name>.*.tmp`` file, never a partial ``path``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        # mkstemp makes the file private (0600); give it the permissions a plain open() would.
        os.chmod(tmp, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
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

    The one place that turns a missing file, a folder, an oversized or unreadable file and non-UTF-8
    bytes into a message (``utf-8-sig``: spreadsheet exports often start with a byte-order mark).

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
    article = "an" if what[:1].lower() in "aeiou" else "a"
    try:
        if max_bytes is not None and (size := path.stat().st_size) > max_bytes:
            raise error(
                f"{name}: the file is too large for {article} {what} ({size / 2**20:.1f} MB; the limit is "
                f"{max_bytes // 2**20} MB){hint}"
            )
        return path.read_text(encoding=encoding)
    except FileNotFoundError:
        raise error(f"{name}: {what} not found{hint}") from None
    except IsADirectoryError:
        raise error(f"{name}: is a folder where {article} {what} is needed{hint}") from None
    except OSError as exc:
        raise error(f"{name}: cannot read the {what} ({exc.strerror or exc}){hint}") from None
    except UnicodeDecodeError:
        raise error(f"{name}: cannot read the {what}: it is not UTF-8 text; save it as UTF-8 text{hint}") from None

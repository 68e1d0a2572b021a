"""HTML printed to PDF by headless Chromium (no Python PDF library, no network).

:func:`print_pdf` writes the page to a private temporary folder and runs the browser once
(``--headless --print-to-pdf``) with a throwaway profile; page size and orientation come from the
page's own ``@page`` rules (the handout prints its week grid on a landscape page). The browser is
found by :func:`find_chromium`: ``MEALPLAN_CHROMIUM`` when set, else ``chromium``, ``chromium-browser``,
``google-chrome``, ``google-chrome-stable`` or ``chrome`` on the ``PATH``. Without one, the error says
what to install. This needs no web extra: ``mealplan plan --format pdf`` works with the core install
and a browser.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from mealplan.errors import InputError, MealplanError

CHROMIUM_ENV = "MEALPLAN_CHROMIUM"
NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
TIMEOUT_S = 120.0
INSTALL = (
    "install Chromium (Debian/Ubuntu: apt-get install chromium; macOS: brew install --cask chromium) "
    f"or Google Chrome, or set {CHROMIUM_ENV} to the browser's program"
)


class PdfError(MealplanError):
    """The browser could not print the page (exit code 1; the message says what to do)."""


def find_chromium() -> str:
    """The Chromium or Chrome program to print with.

    Raises:
        InputError: none found (or ``MEALPLAN_CHROMIUM`` names no program); the message says what to install.
    """
    named = os.environ.get(CHROMIUM_ENV, "").strip()
    if named:
        found = shutil.which(named)
        if found is None:
            raise InputError(f"{CHROMIUM_ENV}={named!r} is not a program that can run; {INSTALL}.")
        return found
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise InputError(
        f"A PDF is printed by headless Chromium, and none was found on the PATH ({', '.join(NAMES)}): "
        f"{INSTALL}. Or write HTML (--format html) and print it from a browser."
    )


def print_pdf(html: str, *, timeout: float = TIMEOUT_S, browser: str | None = None) -> bytes:
    """``html`` (a complete, self-contained page) printed to PDF; the PDF's bytes.

    Raises:
        InputError: no browser (see :func:`find_chromium`).
        PdfError: the browser failed or took longer than ``timeout`` seconds.
    """
    program = browser or find_chromium()
    with tempfile.TemporaryDirectory(prefix="mealplan-pdf-") as tmp:
        folder = Path(tmp)
        page, out = folder / "handout.html", folder / "handout.pdf"
        page.write_text(html, encoding="utf-8")
        args = [
            program,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-extensions",
            "--no-first-run",
            "--disable-background-networking",
            "--no-pdf-header-footer",
            "--hide-scrollbars",
            f"--user-data-dir={folder / 'profile'}",
            f"--print-to-pdf={out}",
            page.as_uri(),
        ]
        try:
            done = subprocess.run(args, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL, check=False)
        except subprocess.TimeoutExpired:
            raise PdfError(
                f"{program} did not print the PDF within {timeout:g} s; try again, or write HTML "
                "(--format html) and print it from a browser."
            ) from None
        except OSError as exc:
            raise InputError(f"{program} cannot run ({exc.strerror}); {INSTALL}.") from None
        if not out.is_file() or out.stat().st_size == 0 or not out.read_bytes().startswith(b"%PDF"):
            tail = (done.stderr or b"").decode("utf-8", "replace").strip().splitlines()[-3:]
            raise PdfError(f"{program} printed no PDF (exit {done.returncode}): {' / '.join(tail)[:400]}")
        return out.read_bytes()

"""Hardening (issue #15): files a user names, and the YAML and JSON people write.

- Reading: FIFOs, character devices, sockets and folders are refused before a byte is read (no hang,
  no unbounded read); every read has a byte cap that does not trust ``st_size``.
- YAML: anchors and aliases (a "billion laughs" bomb), list or mapping keys and duplicate keys are
  refused with the line; JSON: duplicate keys and NaN/Infinity are refused.
- Writing: an existing file keeps its mode (health data in a 0600 file stays private); new files get
  the umask mode; a full disk names the file.
- Profiles: ``age: true`` / ``age: yes`` is not the number 1.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mealplan.errors import ConfigError, InputError
from mealplan.fileio import load_user_json, load_user_yaml, read_user_bytes, read_user_text, write_atomic
from mealplan.targets.profile_files import load_profile, profile_from_dict

PROFILE = "id: anna\nage: 34\nsex: female\n"
BOMB = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
    "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n"
)


# --- special files ------------------------------------------------------------------------------------


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "profile.yaml"
    os.mkfifo(path)
    return path


def test_a_fifo_is_refused_at_once_not_waited_on(fifo: Path):
    started = time.monotonic()
    with pytest.raises(ConfigError) as info:
        load_profile(fifo)
    assert time.monotonic() - started < 2
    assert str(info.value) == (
        f"{fifo}: is a FIFO (named pipe), not a regular file; give a profile file as a regular file; "
        "give a YAML, TOML or JSON profile (mealplan init writes one)"
    )


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_character_device_is_refused(device: str):
    if not os.path.exists(device):
        pytest.skip(f"{device} is not on this system")
    with pytest.raises(InputError, match=rf"^{device}: is a character device, not a regular file"):
        read_user_text(device, "food table")


def test_a_socket_is_refused(tmp_path: Path):
    path = tmp_path / "s.yaml"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        with pytest.raises(InputError, match="is not a regular file|is a socket"):
            read_user_text(path, "profile file")


def test_a_folder_is_refused(tmp_path: Path):
    with pytest.raises(InputError, match=rf"^{tmp_path}: is a folder where a plan is needed"):
        read_user_text(tmp_path, "plan")


def test_the_byte_cap_holds_even_when_the_size_is_not_known_up_front(tmp_path: Path, monkeypatch):
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * 5000)
    with pytest.raises(InputError, match=r"too large for a food table \(5,000 bytes; the limit is 1,000 bytes\)"):
        read_user_bytes(path, "food table", max_bytes=1000)
    # A file whose size the file system under-reports (a growing file, /proc): the read itself stops.
    import mealplan.fileio as fileio

    real = os.fstat

    class Zero:
        def __init__(self, st):
            self.st_mode, self.st_size = st.st_mode, 0

    monkeypatch.setattr(fileio.os, "fstat", lambda fd: Zero(real(fd)))
    with pytest.raises(InputError, match=r"more than 1,000 bytes; the limit is 1,000 bytes"):
        read_user_bytes(path, "food table", max_bytes=1000)
    assert read_user_bytes(path, "food table", max_bytes=5000) == b"x" * 5000


# --- YAML people write --------------------------------------------------------------------------------


def test_an_alias_bomb_is_refused_in_a_fraction_of_a_second(tmp_path: Path):
    path = tmp_path / "bomb.yaml"
    path.write_text(PROFILE + BOMB, encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(ConfigError) as info:
        load_profile(path)
    assert time.monotonic() - started < 1.0
    assert str(info.value) == (
        f"{path}: line 4, column 4: not valid YAML: an anchor (&a / *a) is not allowed; write the value out in full"
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("base: &b 30\nage: *b\n", "line 1, column 7: not valid YAML: an anchor (&b / *b) is not allowed"),
        ("? [a, b]\n: 1\n", "line 1, column 3: not valid YAML: a key is a list; keys must be plain words"),
        ("? {a: 1}\n: 1\n", "line 1, column 3: not valid YAML: a key is a mapping; keys must be plain words"),
        ("nutrients:\n  ? [magnesium]\n  : 300\n", "line 2, column 5: not valid YAML: a key is a list"),
        ("age: 30\nage: 31\n", "line 4, column 1: not valid YAML: duplicate key 'age' (first on line 3)"),
    ],
)
def test_yaml_anchors_complex_keys_and_duplicates_are_refused_with_the_line(tmp_path: Path, text: str, problem: str):
    path = tmp_path / "p.yaml"
    body = text if text.startswith(("base", "?")) else PROFILE.replace("age: 34\n", "") + text
    if text.startswith("nutrients"):
        body = PROFILE + text
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_profile(path)
    assert str(info.value).startswith(f"{path}: ")
    assert problem.split(": not valid")[1] in str(info.value)


def test_plain_yaml_still_loads():
    assert load_user_yaml("a: 1\nb: [x, y]\nc: {d: 2}\n1: one\n") == {"a": 1, "b": ["x", "y"], "c": {"d": 2}, 1: "one"}


_scalars = st.one_of(st.integers(-1000, 1000), st.text(max_size=8), st.booleans(), st.none())
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=10,
)


@settings(max_examples=60, deadline=None)
@given(value=_values)
def test_yaml_round_trips_anything_without_aliases(value):
    # yaml.safe_dump writes anchors only for shared objects; these trees share none.
    assert load_user_yaml(yaml.safe_dump(value)) == value


@settings(max_examples=60, deadline=None)
@given(value=_values, name=st.from_regex(r"[a-z]{1,6}", fullmatch=True))
def test_any_anchor_or_alias_is_refused(value, name):
    text = yaml.safe_dump({"x": value}) + f"y: &{name} 1\nz: *{name}\n"
    with pytest.raises(yaml.YAMLError, match="is not allowed"):
        load_user_yaml(text)


@settings(max_examples=40, deadline=None)
@given(
    key=st.one_of(
        st.lists(st.integers(0, 9), max_size=3),
        st.dictionaries(st.text("ab", max_size=2), st.integers(), max_size=2),
    )
)
def test_any_complex_key_is_refused(key):
    text = f"? {json.dumps(key)}\n: 1\n"
    with pytest.raises(yaml.YAMLError, match="keys must be plain words or numbers"):
        load_user_yaml(text)


# --- JSON people write --------------------------------------------------------------------------------


def test_a_json_profile_with_a_duplicate_key_is_refused(tmp_path: Path):
    path = tmp_path / "p.json"
    path.write_text('{"id": "anna", "age": 34, "sex": "female", "age": 80}', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_profile(path)
    assert str(info.value) == (
        f"{path}: line 1, column 44: not valid JSON: duplicate key 'age'; each key may appear once in an object"
    )


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_json_nan_and_infinity_are_refused(constant: str):
    with pytest.raises(json.JSONDecodeError, match=f"{constant} is not a number here"):
        load_user_json(f'{{"age": {constant}}}')


# --- numbers that are not numbers ---------------------------------------------------------------------


@pytest.mark.parametrize("word", ["true", "yes", "on", "false", "no"])
def test_age_true_or_yes_is_not_a_number(tmp_path: Path, word: str):
    path = tmp_path / "p.yaml"
    path.write_text(f"id: anna\nage: {word}\nsex: female\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_profile(path)
    bool_word = "true" if word in ("true", "yes", "on") else "false"
    assert f"age: a number is needed, not {bool_word} (yes/no/true/false are not numbers)" in str(info.value)


@pytest.mark.parametrize(
    "fields",
    [
        {"weight_kg": True},
        {"energy_kcal": True},
        {"dish_max_per_week": True},
        {"nutrients": {"magnesium": {"min": True}}},
        {"require": [{"food": "09040", "grams": True}]},
    ],
)
def test_no_number_field_takes_a_boolean(fields: dict):
    with pytest.raises(ConfigError, match="a number is needed, not true"):
        profile_from_dict({"id": "anna", "age": 34, "sex": "female", **fields})


def test_numbers_as_text_still_load_for_batch_rows():
    assert profile_from_dict({"id": "anna", "age": "34", "sex": "female", "weight_kg": "60"}).age == 34


# --- writing ------------------------------------------------------------------------------------------


def test_rewriting_a_private_file_keeps_it_private(tmp_path: Path):
    path = tmp_path / "week.json"
    path.write_text("{}", encoding="utf-8")
    path.chmod(0o600)
    write_atomic(path, '{"plan": 1}')
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text(encoding="utf-8") == '{"plan": 1}'


def test_a_new_file_gets_the_umask_mode(tmp_path: Path):
    old = os.umask(0o077)
    try:
        write_atomic(tmp_path / "new.json", "{}")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o600


def test_a_full_disk_names_the_file(tmp_path: Path, monkeypatch):
    import mealplan.fileio as fileio

    def full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fileio.os, "fsync", full)
    with pytest.raises(OSError) as info:
        write_atomic(tmp_path / "summary.csv", "x")
    assert info.value.filename == str(tmp_path / "summary.csv")
    assert str(info.value) == f"[Errno 28] No space left on device: '{tmp_path / 'summary.csv'}'"


# --- every YAML file a user names goes through the strict parser ----------------------------------------


def test_an_alias_bomb_in_a_basket_targets_file_is_refused(tmp_path: Path):
    from mealplan.optimizer.basket_targets import load_basket_targets

    path = tmp_path / "targets.yaml"
    path.write_text("protein: {min: 50}\n" + BOMB, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"line 2, column 4: not valid YAML/JSON: an anchor \(&a / \*a\)"):
        load_basket_targets(path)


def test_an_alias_in_a_dish_file_is_refused(tmp_path: Path):
    from mealplan.food_data.dishes import load_dishes
    from mealplan.food_data.loading import load_tables
    from tests.optimizer.test_properties import write_tiny_csv

    foods = load_tables([write_tiny_csv(tmp_path / "tiny.csv")], bundled=False)
    path = tmp_path / "mine.yaml"
    path.write_text("dishes:\n  - &d {id: x}\n  - *d\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_dishes([path], foods=foods)
    assert "mine.yaml: not valid YAML: an anchor (&d / *d) is not allowed" in str(info.value)


def test_a_client_change_with_an_alias_is_refused():
    from mealplan.workbench.clients import changed_profile

    with pytest.raises(ConfigError, match="--set 'exclude=&a \\[x\\]': the value is not valid YAML"):
        changed_profile({"id": "anna", "age": 34, "sex": "female"}, ["exclude=&a [x]"], "anna")


def test_writing_to_a_fifo_or_device_writes_into_it_and_never_replaces_it(tmp_path: Path):
    # -o /dev/null used to rename a regular file over the device (as root, /dev/null became a file).
    fifo = tmp_path / "out.pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    import threading

    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    write_atomic(fifo, "plan\n")
    reader.join(5)
    assert got == [b"plan\n"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    if os.path.exists("/dev/null") and stat.S_ISCHR(os.stat("/dev/null").st_mode):
        write_atomic("/dev/null", "x")
        assert stat.S_ISCHR(os.stat("/dev/null").st_mode)

"""The launcher's token secret is never readable by others, not even for a moment, and two
first starts agree on one secret (the secret was written 0644, then chmod-ed)."""

import os
import stat
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from shared.devtools.dev_secret import dev_secret
from shared.platform.auth_settings import AuthSettings

# An audit hook sees each OS call (open, chmod, link, remove...) just before it happens, so a
# test can look at the folder between any two steps of dev_secret. Hooks cannot be removed:
# this one does nothing unless a test is `auditing`.
_callbacks: list[Callable[[str, tuple[Any, ...]], None]] = []
_inside = threading.local()


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if not _callbacks or getattr(_inside, "hook", False):
        return
    _inside.hook = True  # the callback's own OS calls are not audited again
    try:
        _callbacks[0](event, args)
    finally:
        _inside.hook = False


sys.addaudithook(_audit)


@contextmanager
def auditing(callback: Callable[[str, tuple[Any, ...]], None]) -> Iterator[None]:
    _callbacks.append(callback)
    try:
        yield
    finally:
        _callbacks.clear()


@pytest.fixture(autouse=True)
def no_secret_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EDUCLUSTER_JWT_SECRET", raising=False)
    monkeypatch.delenv("EDUCLUSTER_JWT_SECRET_FILE", raising=False)


@pytest.fixture
def umask_zero() -> Iterator[None]:
    # The widest umask: whatever dev_secret creates gets exactly the mode it asks for.
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_first_start_writes_a_secret_only_its_owner_can_read_at_every_moment(
    tmp_path: Path, umask_zero: None
) -> None:
    folder = tmp_path / "var"
    modes_seen: set[int] = set()

    def look(_event: str, _args: tuple[Any, ...]) -> None:
        if folder.is_dir():
            modes_seen.update(mode(entry) for entry in folder.iterdir() if entry.is_file())

    with auditing(look):
        secret = dev_secret(folder, create=True)
    assert secret and AuthSettings(secret=secret).secret == secret
    assert mode(folder / "jwt-secret") == 0o600
    assert modes_seen == {0o600}  # never wider, between any two steps
    assert mode(folder) == 0o700
    assert [p.name for p in folder.iterdir()] == ["jwt-secret"]  # no temporary file left
    assert dev_secret(folder, create=True) == secret  # later starts read the same one


def test_an_existing_data_folder_is_left_as_it_is(tmp_path: Path, umask_zero: None) -> None:
    folder = tmp_path / "var"
    folder.mkdir(mode=0o750)
    assert dev_secret(folder, create=True)
    assert mode(folder) == 0o750
    assert mode(folder / "jwt-secret") == 0o600


def test_two_first_starts_at_once_agree_on_one_secret(tmp_path: Path) -> None:
    # The rival starts when the first one is about to create its file, and finishes first.
    folder = tmp_path / "var"
    rival: list[str | None] = []
    started: list[threading.Thread] = []

    def race(event: str, args: tuple[Any, ...]) -> None:
        creating = (
            event == "open" and isinstance(args[0], str | os.PathLike) and args[2] & os.O_CREAT
        )
        if creating and not started and Path(args[0]).parent == folder:
            started.append(
                threading.Thread(target=lambda: rival.append(dev_secret(folder, create=True)))
            )
            started[0].start()
            started[0].join()

    with auditing(race):
        first = dev_secret(folder, create=True)
    assert rival == [first]
    assert (folder / "jwt-secret").read_text().strip() == first


def test_the_secret_file_variable_names_where_the_secret_lives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "secrets" / "jwt-secret"
    monkeypatch.setenv("EDUCLUSTER_JWT_SECRET_FILE", str(path))
    assert dev_secret(tmp_path / "var", create=False) is None
    secret = dev_secret(tmp_path / "var", create=True)
    assert secret == path.read_text().strip()
    assert not (tmp_path / "var").exists()
    assert mode(path) == 0o600


def test_the_environment_secret_wins_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDUCLUSTER_JWT_SECRET", "from-the-environment")
    assert dev_secret(tmp_path / "var", create=True) == "from-the-environment"
    assert not (tmp_path / "var").exists()

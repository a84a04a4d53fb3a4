"""The Makefile's Python handling, with fake interpreters in a temporary copy: a clear message naming what to
install when the interpreter is too old or missing, and a rebuild of .venv when its Python is too old."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _fake_python(path: Path, version: str) -> Path:
    """A script that answers any question with ``version`` (as an old interpreter would print its version)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\necho {version}\n")
    path.chmod(0o755)
    return path


@pytest.fixture
def checkout(tmp_path) -> Path:
    for name in ("Makefile", "pyproject.toml", "requirements.lock", "requirements-bootstrap.txt"):
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def _make(checkout: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    return subprocess.run(["make", "--no-print-directory", *args], cwd=checkout, capture_output=True, text=True, env=env,
                          timeout=60)


def test_too_old_python_stops_with_what_to_install(checkout):
    old = _fake_python(checkout / "bin" / "python3", "3.9.18")
    result = _make(checkout, "env", f"PYTHON={old}")
    assert result.returncode != 0
    assert "needs Python 3.11 or newer" in result.stderr and "Python 3.9.18" in result.stderr
    assert "Install Python 3.11 or newer" in result.stderr and "PYTHON=python3.11" in result.stderr
    assert not (checkout / ".venv").exists()


def test_missing_python_stops_with_what_to_install(checkout):
    result = _make(checkout, "env", f"PYTHON={checkout / 'no-such-python'}")
    assert result.returncode != 0 and "cannot run" in result.stderr and "Install Python 3.11" in result.stderr


def test_venv_with_an_old_python_is_rebuilt(checkout):
    _fake_python(checkout / ".venv" / "bin" / "python", "3.10.12")
    (checkout / ".venv" / ".installed").touch()
    old = _fake_python(checkout / "bin" / "python3", "3.9.18")
    result = _make(checkout, "env", f"PYTHON={old}")
    assert "has Python '3.10.12'" in result.stdout and "rebuilding it" in result.stdout
    assert not (checkout / ".venv").exists()  # removed; the old PYTHON then refuses to create a new one
    assert result.returncode != 0 and "Python 3.9.18" in result.stderr


def test_up_to_date_venv_with_a_recent_python_is_kept(checkout):
    _fake_python(checkout / ".venv" / "bin" / "python", "3.12.4")
    stamp = checkout / ".venv" / ".installed"
    stamp.touch()
    os.utime(stamp, (os.path.getmtime(checkout / "Makefile") + 10,) * 2)
    result = _make(checkout, "-n", "env")
    assert result.returncode == 0 and "venv" not in result.stdout.replace("Nothing to be done", ""), result.stdout

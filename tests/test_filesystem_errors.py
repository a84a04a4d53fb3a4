"""Sentences instead of tracebacks (issue 20): each file system failure the issue lists ends the command with one
message naming the cause and the fix, exit status 2 (1 for an update, whose version in use stays), and no traceback.

Read-only folders are real: the command runs as an unprivileged user (``setpriv``, when the tests run as root, who may
write anywhere) or with the folder's write permission removed. A full disk cannot be made in a test, so the file system's
refusal is simulated at the system-call boundary (``deny``: ``os.open``, ``os.mkdir`` and ``open`` for writing under a
folder raise the ``OSError`` the kernel would).
"""

from __future__ import annotations

import builtins
import errno
import io
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from helpers import cli

ROOT = Path(__file__).resolve().parents[1]
NOBODY = 65534


def deny(monkeypatch, folder: Path, code: int, *, folders_too: bool = True) -> None:
    """Make writes under ``folder`` fail with ``code`` (ENOSPC, EACCES, ...) as the file system would (creating
    folders too, unless ``folders_too`` is false)."""
    folder = str(Path(folder).resolve())

    def inside(path) -> bool:
        try:
            return str(Path(os.fsdecode(path)).resolve()).startswith(folder)
        except (TypeError, ValueError):
            return False

    def refuse(path):
        raise OSError(code, os.strerror(code), os.fsdecode(path))

    real_os_open, real_mkdir, real_open = os.open, os.mkdir, builtins.open

    def os_open(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT) and inside(path):
            refuse(path)
        return real_os_open(path, flags, *args, **kwargs)

    def mkdir(path, *args, **kwargs):
        if folders_too and inside(path):
            refuse(path)
        return real_mkdir(path, *args, **kwargs)

    def open_(file, mode="r", *args, **kwargs):
        if any(m in mode for m in "wax+") and isinstance(file, (str, bytes, os.PathLike)) and inside(file):
            refuse(file)
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(os, "open", os_open)
    monkeypatch.setattr(os, "mkdir", mkdir)
    monkeypatch.setattr(builtins, "open", open_)
    monkeypatch.setattr(io, "open", open_)


def _one_sentence(text: str) -> None:
    assert "Traceback" not in text and text.count("Fix:") == 1, text


# ---------------------------------------------------------------- real read-only folders, unprivileged user

@pytest.fixture
def scratch():
    """A project home that an unprivileged user can read: the real raw files, notebooks and reports.yml."""
    home = Path(tempfile.mkdtemp(prefix="rd-fs-", dir="/tmp"))
    (home / "data").mkdir()
    shutil.copytree(ROOT / "data/reference", home / "data/reference")
    for name in ("sources.yml", "sources.lock.yml"):
        shutil.copy(ROOT / "data" / name, home / "data" / name)
    (home / "data/raw").symlink_to(ROOT / "data/raw")
    shutil.copytree(ROOT / "notebooks", home / "notebooks")
    shutil.copy(ROOT / "reports.yml", home / "reports.yml")
    (home / "user").mkdir()
    for folder in [home, *home.rglob("*")]:
        if not folder.is_symlink():
            folder.chmod(0o755 if folder.is_dir() else 0o644)
    (home / "user").chmod(0o777)
    yield home
    shutil.rmtree(home, ignore_errors=True)


def _run_unprivileged(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "REGIONAL_DIVIDE_HOME": str(home), "HOME": str(home / "user"), "TMPDIR": str(home / "user")}
    env.pop("REGIONAL_DIVIDE_DATA_MIRROR", None)
    command = [sys.executable, "-m", "helpers.cli", *args]
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv: a read-only folder cannot be made")
        command = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *command]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)


def test_read_only_reports_folder_even_with_nothing_to_run(scratch):
    (scratch / "reports").mkdir()
    (scratch / "reports").chmod(0o555)
    result = _run_unprivileged(scratch, "report")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "no permission to write in" in result.stderr and "reports" in result.stderr
    _one_sentence(result.stderr)


def test_read_only_processed_folder(scratch):
    (scratch / "data/processed").mkdir()
    (scratch / "data/processed").chmod(0o555)
    result = _run_unprivileged(scratch, "data")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "no permission to write in" in result.stderr and "data/processed" in result.stderr
    _one_sentence(result.stderr)


# ---------------------------------------------------------------- simulated refusals, in process

def test_full_processed_folder(scratch, monkeypatch, capsys):
    monkeypatch.setenv("REGIONAL_DIVIDE_HOME", str(scratch))
    monkeypatch.delenv("REGIONAL_DIVIDE_DATA_MIRROR", raising=False)
    (scratch / "data/processed").mkdir()
    deny(monkeypatch, scratch / "data/processed", errno.ENOSPC)
    assert cli.main(["data"]) == 2
    err = capsys.readouterr().err
    assert "the disk is full" in err and "free disk space" in err
    _one_sentence(err)
    assert not list((scratch / "data/processed").iterdir())


@pytest.mark.parametrize("folders_too", [False, True], ids=["writing-the-download", "making-the-folder"])
def test_full_temporary_folder_during_an_update_is_not_blamed_on_the_network(project, monkeypatch, capsys, folders_too):
    import local_server
    import yaml
    from local_server import Route

    from helpers.data import tracking

    base, httpd = local_server.start()
    try:
        project.add_source("indeed_postings_regions", "job_adverts/regions.csv", b"date,region,indeed_job_postings_index\n")
        project.entries[-1]["tracking"] = {"latest_url": f"{base}/latest.csv"}
        (project.home / "data/sources.yml").write_text(yaml.safe_dump({"sources": project.entries}, sort_keys=False))
        tracking.write_lock({})
        local_server.Handler.routes = {"/latest.csv": Route(b"date,region,indeed_job_postings_index\n2020-02-01,London,100\n")}
        deny(monkeypatch, Path(tempfile.gettempdir()), errno.ENOSPC, folders_too=folders_too)
        status = cli.main(["sources", "update", "indeed_postings_regions"])
    finally:
        httpd.shutdown()
        httpd.server_close()
    captured = capsys.readouterr()
    out = captured.out + captured.err
    assert status == (2 if folders_too else 1)  # no folder: the command stops; a failed download: this source is rejected
    assert "temporary folder" in out and "it is full" in out and "TMPDIR" in out and "network" not in out, out
    _one_sentence(out)


def test_mirror_entry_that_is_a_folder(project, capsys):
    project.add_source("x", "folder/x.csv", b"a\n1\n", in_mirror=False)
    (project.mirror / "folder/x.csv").mkdir(parents=True)
    assert cli.main(["fetch", "x"]) == 2
    err = capsys.readouterr().err
    assert "is a folder, not the file" in err and "is not in the mirror" not in err
    _one_sentence(err)


def test_folder_where_a_raw_file_should_be(project, capsys):
    project.add_source("x", "folder/x.csv", b"a\n1\n")
    (project.raw / "folder/x.csv").mkdir(parents=True)
    assert cli.main(["fetch", "x"]) == 2
    err = capsys.readouterr().err
    assert "is a folder, where its raw file should be" in err
    _one_sentence(err)

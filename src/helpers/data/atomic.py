"""Atomic file writes: write to a temporary file beside the target, then rename.

A crash or an exception mid-write leaves the previous file (if any) untouched and no partial file behind; a process
killed mid-write leaves ``.<name>.<random>.<pid>.part``, which the next command removes once that process is gone
(``helpers.processes.sweep``). A write that fails on the file system (read-only, full, a folder in the way) raises
``WriteError``: an ``OSError`` (callers that keep going on a failed write still catch it) whose message is one
sentence naming the file, the cause and the fix.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from helpers.errors import WriteError

# Errors of writing a file (not of reading another one inside the block): turned into WriteError.
WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM, errno.EISDIR,
                errno.ENOTDIR}


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path in ``target``'s folder; rename it onto ``target`` if the block succeeds."""
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=f".{os.getpid()}.part", dir=target.parent)
        os.close(fd)
    except OSError as exc:
        raise WriteError.about(target, exc) from exc
    tmp = Path(tmp_name)
    try:
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; outputs are meant to be read and published
        try:
            yield tmp
        except WriteError:
            raise
        except OSError as exc:
            if exc.errno not in WRITE_ERRNOS or exc.filename not in (None, str(tmp), tmp):
                raise  # not a write of this file (reading another one, say): the caller's own error
            raise WriteError.about(target, exc) from exc
        try:
            os.replace(tmp, target)
        except OSError as exc:
            raise WriteError.about(target, exc) from exc
    finally:
        tmp.unlink(missing_ok=True)


def write_text_atomic(target: Path, text: str) -> None:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


def sha256_file(path: Path, chunk_size: int = 1 << 20) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(chunk_size), b""):
            digest.update(block)
    return digest.hexdigest()

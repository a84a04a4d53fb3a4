"""Errors that name the cause and the fix. Every one derives from RegionalDivideError,
which the command line prints as a single message (no traceback)."""

from __future__ import annotations


class RegionalDivideError(Exception):
    """Base class for errors the user can act on."""


class UnknownSourceError(RegionalDivideError, KeyError):
    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0]


class UnknownDatasetError(RegionalDivideError, KeyError):
    def __str__(self) -> str:
        return self.args[0]


class ChecksumMismatchError(RegionalDivideError):
    """A file's sha256 differs from the manifest."""


class MirrorFileMissingError(RegionalDivideError):
    """REGIONAL_DIVIDE_DATA_MIRROR is set but the file is not in it."""


class DownloadError(RegionalDivideError):
    """A download failed after retries (HTTP error, refused or dropped connection, timeout)."""


class SourceFormatError(RegionalDivideError):
    """A raw file could not be parsed or no longer has the layout the loader expects."""


class UnknownRegionError(RegionalDivideError, KeyError):
    def __str__(self) -> str:
        return self.args[0]


class WriteError(RegionalDivideError, OSError):
    """A file could not be written (read-only or full file system, no permission, a folder in its place). An
    ``OSError`` too, so code that carries on after a failed write (keeping the last good output) still catches it."""

    def __str__(self) -> str:
        return self.args[0]

    @classmethod
    def about(cls, target, exc: OSError, *, doing: str = "write") -> WriteError:
        """The error for ``exc``, raised while trying to ``doing`` the file ``target``: the cause and the fix."""
        import errno
        from pathlib import Path

        target = Path(target)
        folder = target.parent
        code = exc.errno
        if code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            why, fix = "the disk is full", f"free disk space on the drive holding {folder}"
        elif code == errno.EROFS:
            why, fix = "the file system is read-only", "run from a writable copy of the checkout (or mount it read-write)"
        elif code in (errno.EACCES, errno.EPERM):
            why, fix = f"no permission to write in {folder}", f"make {folder} writable (chmod u+w), or run as its owner"
        elif code == errno.EISDIR:
            why, fix = "a folder is where the file should be", f"move or delete the folder {target}"
        elif code == errno.ENOTDIR:
            why, fix = f"a file is in the way of the folder {exc.filename or folder}", "move or delete that file"
        else:
            why, fix = exc.strerror or str(exc), f"check the disk and the permissions of {folder}"
        said = f" ({exc.strerror})" if exc.strerror and exc.strerror.lower() not in why.lower() else ""
        kept = " The previous version of the file, if any, is unchanged." if doing == "write" else ""
        error = cls(f"Could not {doing} {target}: {why}{said}.{kept} Fix: {fix}, then run the command again.")
        error.errno = code
        return error

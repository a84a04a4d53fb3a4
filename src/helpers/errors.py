"""Errors that name the cause and the fix. Every one derives from RegionalDivideError,
which the command line prints as a single message (no traceback)."""


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

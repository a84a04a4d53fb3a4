"""Bounded downloads of a tracking source's latest version (``sources check`` and ``sources update``).

The publisher's server is not trusted to behave. Every download here:

- goes to ``https`` only (plain ``http`` only on the loopback address, where the tests' servers listen), never to
  ``file://``; a redirect is followed by hand, at most ``MAX_REDIRECTS`` times, and only to the same host or a host the
  manifest entry allows (``tracking.allowed_hosts``); the final URL is returned, for the lock;
- stops at a byte cap, counted on the wire and again after decoding (``gzip``/``deflate``, inflated a block at a time,
  so a compressed bomb never sits in memory): ``tracking.max_bytes``, else ``CAP_FACTOR`` times the larger of the
  locked file and the publisher's file when it was last retrieved (at least ``MIN_CAP``);
- is refused when it is an HTML page (an error, login or moved page served with status 200);
- for a workbook, checks the uncompressed size of every member before anything opens it (``check_workbook``).

Errors are ``DownloadError`` (network, server, limits) and ``SourceFormatError`` (not the file expected), each one
sentence with the cause and the fix; a full temporary folder is named as such, not blamed on the network.
"""

from __future__ import annotations

import ipaddress
import zlib
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from helpers.config import MIRROR_ENV
from helpers.data.atomic import sha256_file
from helpers.data.sources import Source
from helpers.errors import DownloadError, SourceFormatError
from helpers.processes import temp_folder_error

TIMEOUT_S = 60  # per connection attempt and per read; tests make it small
RETRIES = 1
MAX_REDIRECTS = 5
CAP_FACTOR = 20  # a new version may be at most this many times the size of the version in use ...
MIN_CAP = 4 << 20  # ... but never capped below 4 MiB
UNZIP_FACTOR = 10  # a workbook's members may expand to this many times the download cap in all
MAX_ZIP_RATIO = 100  # and no member more than this many times its compressed size (xlsx XML: about 5-20)
BLOCK = 1 << 16
METADATA = {"etag": "ETag", "last_modified": "Last-Modified", "content_length": "Content-Length"}
FIX_URL = "if the publisher moved the file, update `tracking.latest_url` in data/sources.yml"


def latest_url(source: Source) -> str:
    return source.tracking["latest_url"]


def byte_cap(source: Source, upstream: dict | None = None) -> int:
    """The most bytes a download of ``source``'s latest version may have, on the wire and decoded."""
    if source.tracking.get("max_bytes"):
        return int(source.tracking["max_bytes"])
    known = max(int(source.bytes or 0), int((upstream or {}).get("bytes") or 0))
    return max(MIN_CAP, CAP_FACTOR * known)


def check_url(url: str, source: Source, *, origin: str | None = None) -> None:
    """Refuse a URL that is not ``https`` (plain ``http`` only on loopback) or, for a redirect, that leaves the
    host of ``origin`` for a host the manifest entry does not allow."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" and not (parts.scheme == "http" and _loopback(host)):
        where = f"redirected from {origin} to" if origin else "the address"
        raise DownloadError(
            f"Refused {where} {url} for {source.id!r}: only https is allowed (plain http only on this machine's "
            f"loopback address), so that the file cannot be changed on its way. Nothing was changed. Fix: use the "
            f"publisher's https address in `tracking.latest_url` in data/sources.yml.")
    if origin:
        allowed = {(urlsplit(origin).hostname or "").lower(), *(h.lower() for h in source.tracking.get("allowed_hosts", []))}
        if host not in allowed:
            raise DownloadError(
                f"Refused a redirect from {origin} to another host, {host} ({url}), for {source.id!r}. Nothing was "
                f"changed: the version in use stays. Fix: if the publisher really moved its files to {host}, add it to "
                f"`tracking.allowed_hosts` (or update `tracking.latest_url`) in data/sources.yml.")


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _open(session, url: str, source: Source, *, method: str, timeout: float):
    """The response for ``url`` after following (checked) redirects by hand, and the final URL."""
    current = url
    check_url(current, source)
    for _hop in range(MAX_REDIRECTS + 1):
        response = session.request(method, current, stream=True, allow_redirects=False, timeout=(timeout, timeout),
                                   headers={"Accept-Encoding": "gzip, deflate"})
        if not response.is_redirect:
            return response, current
        target = urljoin(current, response.headers["Location"])
        response.close()
        check_url(target, source, origin=current)
        current = target
    raise DownloadError(f"More than {MAX_REDIRECTS} redirects from {url} for {source.id!r} (a redirect loop). Nothing "
                        f"was changed. Fix: {FIX_URL}.")


def head_metadata(source: Source, *, timeout: float | None = None) -> dict:
    """ETag, Last-Modified and Content-Length of the latest version ({} if the server does not answer HEAD)."""
    import requests

    timeout = timeout or TIMEOUT_S
    with requests.Session() as session:
        try:
            response, final = _open(session, latest_url(source), source, method="HEAD", timeout=timeout)
        except requests.RequestException as exc:
            raise DownloadError(network_message(latest_url(source), exc, timeout, "check")) from exc
        with response:
            return metadata(response) | {"final_url": final} if response.ok else {}


def metadata(response) -> dict:
    meta = {key: response.headers.get(header) for key, header in METADATA.items()}
    if response.headers.get("Content-Encoding"):
        meta["content_length"] = None  # the compressed size, not the file's
    return {k: v for k, v in meta.items() if v}


def download(source: Source, target: Path, *, timeout: float | None = None, upstream: dict | None = None) -> dict:
    """Download ``source``'s latest version to ``target`` within the limits (retried once; a short read counts as a
    failure). Returns the upstream metadata: HTTP headers, ``sha256``, ``bytes`` and ``final_url``."""
    import requests
    import urllib3

    url, timeout, cap = latest_url(source), timeout or TIMEOUT_S, byte_cap(source, upstream)
    error: Exception | None = None
    for _attempt in range(RETRIES + 1):
        try:
            with requests.Session() as session:
                response, final = _open(session, url, source, method="GET", timeout=timeout)
                with response:
                    response.raise_for_status()
                    meta = metadata(response) | {"final_url": final}
                    _stream_to(response, target, source=source, cap=cap)
            break
        except (requests.RequestException, urllib3.exceptions.HTTPError, _Transient) as exc:
            error = exc
            target.unlink(missing_ok=True)
        except BaseException:
            target.unlink(missing_ok=True)
            raise
    else:
        raise DownloadError(network_message(url, error, timeout, "download"))
    _refuse_html_page(target, source, url)
    meta |= {"sha256": sha256_file(target), "bytes": target.stat().st_size}
    return meta


class _Transient(Exception):
    """A download cut short or empty: tried again."""


def _stream_to(response, target: Path, *, source: Source, cap: int) -> None:
    """Write the body to ``target``: read raw (undecoded) blocks, count them against ``cap``, inflate each by at
    most ``BLOCK`` bytes at a time and count the decoded bytes against ``cap`` too."""
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > cap:
        raise _too_big(source, f"declares {int(declared):,} bytes")
    inflate = _decoder(response.headers.get("Content-Encoding", ""), source)
    wire = written = 0
    try:
        with open(target, "wb") as handle:
            while block := response.raw.read(BLOCK, decode_content=False):
                wire += len(block)
                if wire > cap:
                    raise _too_big(source, f"sent more than {cap:,} bytes")
                for piece in inflate(block):
                    written += len(piece)
                    if written > cap:
                        raise _too_big(source, f"decodes to more than {cap:,} bytes")
                    handle.write(piece)
    except OSError as exc:
        raise temp_folder_error(exc, target.parent) from exc
    if declared and declared.isdigit() and int(declared) != wire:
        raise _Transient(f"truncated: received {wire} of {declared} bytes")
    if written == 0:
        raise _Transient("the server sent an empty file")


def _decoder(encoding: str, source: Source):
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return lambda block: (block,)
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise DownloadError(f"The server sent {source.id!r} with Content-Encoding {encoding!r}, which is not read here "
                            f"(only gzip and deflate were asked for). Nothing was changed. Fix: {FIX_URL}.")
    state = zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib header, detected

    def inflate(block: bytes):
        try:
            piece = state.decompress(block, BLOCK)
            yield piece
            while state.unconsumed_tail:
                yield state.decompress(state.unconsumed_tail, BLOCK)
        except zlib.error as exc:
            raise _Transient(f"the compressed body is damaged ({exc})") from exc

    return inflate


def _too_big(source: Source, what: str) -> DownloadError:
    return DownloadError(
        f"Stopped the download of {source.id!r} ({latest_url(source)}): it {what}, over the limit for this source "
        f"({CAP_FACTOR} times the version in use). Nothing was changed: the version in use stays. Fix: if the "
        f"publisher's file really grew that much, set `tracking.max_bytes` for {source.id!r} in data/sources.yml.")


def _refuse_html_page(target: Path, source: Source, url: str) -> None:
    with open(target, "rb") as handle:
        start = handle.read(512).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) and Path(source.path).suffix != ".html":
        raise SourceFormatError(
            f"The server answered {url} with an HTML page, not the {Path(source.path).suffix or 'data'} file of "
            f"{source.id!r} (an error, sign-in or moved page). Nothing was changed: the version in use stays. Fix: open "
            f"the address in a browser; {FIX_URL}.")


def check_workbook(path: Path, source: Source, cap: int) -> None:
    """Refuse a workbook whose members would expand past ``UNZIP_FACTOR`` x ``cap`` in all, or any member past
    ``MAX_ZIP_RATIO`` times its compressed size: read from the zip's directory, before anything is inflated."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as book:
            members = book.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceFormatError(f"The latest version of {source.id!r} ({latest_url(source)}) is not a readable "
                                f"workbook ({exc}). Nothing was changed. Fix: {FIX_URL}.") from exc
    total = sum(m.file_size for m in members)
    worst = max(members, key=lambda m: m.file_size / max(m.compress_size, 1), default=None)
    ratio = worst.file_size / max(worst.compress_size, 1) if worst else 0
    if total > UNZIP_FACTOR * cap or ratio > MAX_ZIP_RATIO:
        what = (f"expands to {total:,} bytes (limit {UNZIP_FACTOR * cap:,})" if total > UNZIP_FACTOR * cap else
                f"has a part, {worst.filename}, that expands {ratio:,.0f} times (limit {MAX_ZIP_RATIO})")
        raise SourceFormatError(
            f"Refused the latest workbook of {source.id!r} ({latest_url(source)}) without opening it: it {what}, as a "
            f"decompression bomb does. Nothing was changed: the version in use stays. Fix: if the publisher's workbook "
            f"really is that large, raise `tracking.max_bytes` for {source.id!r} in data/sources.yml.")


def network_message(url: str, exc: Exception | None, timeout: float, action: str) -> str:
    import requests

    if isinstance(exc, requests.Timeout) or "timed out" in str(exc).lower():
        reason = f"timed out: no answer within {timeout:g} s"
    elif isinstance(exc, requests.HTTPError) and exc.response is not None:
        reason = f"HTTP {exc.response.status_code} {exc.response.reason}"
    elif isinstance(exc, _Transient):
        reason = str(exc)
    else:
        text = str(exc)
        reason = f"{type(exc).__name__}: {text.split('Caused by ', 1)[-1].rstrip(')')}"
    attempts = f" after {RETRIES + 1} attempts" if action == "download" else ""
    return (f"Could not {action} {url}{attempts} ({reason}). Nothing was changed: the version in use stays. "
            f"Fix: check the network and that the publisher still serves this URL ({FIX_URL}); the next scheduled "
            f"run tries again. Offline, work from the versions in use ({MIRROR_ENV}).")

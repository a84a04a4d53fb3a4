"""Dates and durations in plain language for the site and the run cards ('23 Nov 2026', '3 min 5 s')."""

from __future__ import annotations

import datetime as dt


def plain_date(iso: str | None) -> str:
    """'23 Nov 2026' from an ISO timestamp (the text itself if it is not one; '' for none)."""
    if not iso:
        return ""
    try:
        return dt.datetime.fromisoformat(iso).strftime("%-d %b %Y")
    except ValueError:
        return iso


def plain_duration(seconds: float | None) -> str:
    """'under 1 s', '24 s', '3 min 5 s', '1 h 2 min'."""
    if seconds is None:
        return ""
    seconds = round(float(seconds))
    if seconds < 1:
        return "under 1 s"
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60} s" if seconds % 60 else f"{seconds // 60} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


def plain_time(iso: str) -> str:
    """'23 Nov 2026 at 15:40 UTC'."""
    return dt.datetime.fromisoformat(iso).strftime("%-d %b %Y at %H:%M UTC")


def now() -> str:
    """The current time, UTC, as recorded in state files and shown in the index."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")

"""What changed, said on the page: the findings a new release moved, against the last published ``findings.csv``.

``changed_findings(previous, current)`` compares two ``findings.csv`` tables (columns ``id, question, statement,
estimate, unit, lower, upper, interval_kind, verdict, checks_agreeing, checks_total, report, sources``) and lists, one
row each, the findings whose estimate now lies outside the previous interval [lower, upper], whose verdict changed,
and those new or gone. A finding without a previous interval is listed only if its verdict changed: a move cannot be
judged without one. ``changes_markdown`` (the workflow summary, the landing page) and ``changes_text`` (the command
line: ``regional-divide changes --since PATH``) say it in words.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from helpers.errors import RegionalDivideError
from helpers.findings.model import CSV_COLUMNS
from helpers.findings.numbers import fmt
from helpers.safe_text import markdown_text

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = CSV_COLUMNS
CHANGE_COLUMNS = ["id", "question", "statement", "report", "unit", "kind", "places", "change", "previous_estimate", "previous_lower",
                  "previous_upper", "previous_interval_kind", "estimate", "lower", "upper", "previous_verdict", "verdict"]
MOVED, VERDICT, NEW, GONE = ("moved outside its interval", "verdict changed", "new finding", "no longer reported")


def read_findings(path: Path) -> pd.DataFrame:
    """A ``findings.csv``; a missing file or missing columns are errors with the fix."""
    import pandas as pd

    try:
        table = pd.read_csv(path, dtype={"id": str, "verdict": str, "unit": str}, keep_default_na=True)
    except FileNotFoundError:
        raise RegionalDivideError(f"There is no findings table at {path}. Fix: give the findings.csv of the last "
                                  "published site (--since) and of this run (`make report` writes reports/findings.csv).") from None
    except (OSError, ValueError) as exc:
        raise RegionalDivideError(f"Could not read {path} as a findings table ({exc}). Fix: give a findings.csv written "
                                  "by `regional-divide report`.") from exc
    missing = [c for c in ("id", "estimate", "lower", "upper", "verdict") if c not in table.columns]
    if missing:
        raise RegionalDivideError(f"{path} lacks the column(s) {', '.join(missing)} of a findings table. Fix: give a "
                                  "findings.csv written by `regional-divide report`.")
    return table.reindex(columns=list(dict.fromkeys([*COLUMNS, *table.columns])))


def changed_findings(previous: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """One row per changed finding (``CHANGE_COLUMNS``; ``change`` names what changed, '; '-joined), in the order
    of ``current`` then the findings no longer reported."""
    import pandas as pd

    old = previous.drop_duplicates("id").set_index("id")
    rows = []
    for _, new in current.drop_duplicates("id").iterrows():
        if new["id"] not in old.index:
            rows.append(_row(new, None, [NEW]))
            continue
        before = old.loc[new["id"]]
        changes = []
        low, high, estimate = (pd.to_numeric(v, errors="coerce") for v in (before["lower"], before["upper"], new["estimate"]))
        if pd.notna(low) and pd.notna(high) and pd.notna(estimate) and not low <= estimate <= high:
            changes.append(MOVED)
        if _text(before["verdict"]) != _text(new["verdict"]):
            changes.append(VERDICT)
        if changes:
            rows.append(_row(new, before, changes))
    gone = [i for i in old.index if i not in set(current["id"])]
    rows += [_row(None, old.loc[i].rename(i), [GONE]) for i in gone]
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS)


def _text(value) -> str:
    return "" if value is None or value != value else str(value).strip()


def _row(new, before, changes: list[str]) -> dict:
    source = new if new is not None else before
    row = {"id": source["id"] if new is not None else source.name, "change": "; ".join(changes)}
    for column in ("question", "statement", "report", "unit", "kind"):
        row[column] = _text(source.get(column))
    row["places"] = source.get("places")
    for column in ("estimate", "lower", "upper", "verdict"):
        row[column] = new.get(column) if new is not None else None
        row[f"previous_{column}"] = before.get(column) if before is not None else None
    row["previous_interval_kind"] = _text(before.get("interval_kind")) if before is not None else ""
    return row


def _number(value, row, unit: str = "") -> str:
    """A figure of a finding written as the finding writes it (its ``kind`` and ``places`` in findings.csv; a table
    from before they were recorded: one decimal), with ``unit``."""
    import pandas as pd

    number = pd.to_numeric(value, errors="coerce")
    if pd.isna(number):
        return "n/a"
    places = pd.to_numeric(row.get("places"), errors="coerce")
    text = fmt(float(number), row.get("kind") or "number", 1 if pd.isna(places) else int(places))
    return f"{text} {unit}".strip()


def _before(row) -> str:
    if row["change"] == NEW:
        return "not reported"
    interval = ""
    if _number(row["previous_lower"], row) != "n/a" and _number(row["previous_upper"], row) != "n/a":
        kind = f" {row['previous_interval_kind']}" if row["previous_interval_kind"] else ""
        interval = f" [{_number(row['previous_lower'], row)} to {_number(row['previous_upper'], row)}{kind}]"
    verdict = f", {_text(row['previous_verdict'])}" if _text(row["previous_verdict"]) else ""
    return f"{_number(row['previous_estimate'], row, row['unit'])}{interval}{verdict}"


def _now(row) -> str:
    if row["change"] == GONE:
        return "not reported"
    verdict = f", {_text(row['verdict'])}" if _text(row["verdict"]) else ""
    return f"{_number(row['estimate'], row, row['unit'])}{verdict}"


def changes_markdown(table: pd.DataFrame, *, compared: int | None = None) -> str:
    """The changes as Markdown: a heading, one sentence, and a table (finding, report, before, now, what changed);
    every text from the findings escaped."""
    lines = ["## What changed since the last published findings", ""]
    if table.empty:
        of = f" ({compared} compared)" if compared is not None else ""
        lines.append(f"No finding's estimate left its previous interval and no verdict changed{of}.")
        return "\n".join(lines) + "\n"
    lines += [f"{len(table)} finding{'s' if len(table) != 1 else ''} changed: an estimate outside the previous interval, "
              "a changed verdict, or a finding added or dropped.", "",
              "| Finding | Report | Before | Now | What changed |", "|---|---|---|---|---|"]
    for _, row in table.iterrows():
        cells = [row["statement"] or row["id"], row["report"], _before(row), _now(row), row["change"]]
        lines.append("| " + " | ".join(markdown_text(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


def changes_text(table: pd.DataFrame) -> str:
    """The changes as plain text, one finding a line (for the terminal)."""
    if table.empty:
        return "No finding's estimate left its previous interval and no verdict changed."
    return "\n".join(f"{row['id']}: {row['change']}: {_before(row)} -> {_now(row)}" for _, row in table.iterrows())

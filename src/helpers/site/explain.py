"""``regional-divide explain FINDING_ID``: the path from a finding to the files behind it, in the order a reader
follows it: the finding as published (``reports/findings.csv``), the question package that declares and computes it
(its ``findings.yml``), the report that states it (``reports.yml``), the datasets it reads, their manifest entries
and the raw files with their checksums.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import yaml

from helpers.config import paths
from helpers.errors import RegionalDivideError
from helpers.findings.model import declarations
from helpers.findings.numbers import fmt
from helpers.site.landing import read_rows

PACKAGE = Path(__file__).resolve().parents[1]


def declaring_question(finding_id: str) -> str | None:
    """The question package whose ``findings.yml`` declares ``finding_id``."""
    for path in sorted((PACKAGE / "questions").glob("*/findings.yml")):
        if finding_id in (yaml.safe_load(path.read_text(encoding="utf-8")).get("findings") or {}):
            return path.parent.name
    return None


def explain(finding_id: str) -> str:
    """The path from ``finding_id`` to its raw files, as text (an unknown id: a sentence with the closest ids)."""
    from helpers.data.catalogue import DATASETS
    from helpers.data.sources import get_source, raw_path
    from helpers.site.config import load_reports

    rows = {r["id"]: r for r in read_rows(paths().reports / "findings.csv")}
    question = declaring_question(finding_id)
    if question is None:
        close = difflib.get_close_matches(finding_id, list(rows), n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise RegionalDivideError(f"No finding {finding_id!r} is declared in src/helpers/questions/*/findings.yml.{hint} "
                                  "The ids are the first column of reports/findings.csv.")
    row = rows.get(finding_id)
    lines = [f"finding   {finding_id}"]
    if row is None:
        lines.append("          not in reports/findings.csv yet: run `make report` to compute it")
        sources: list[str] = []
    else:
        spec = declarations(question)["findings"][finding_id]
        number = lambda value: fmt(float(value) if value else None, spec.get("kind", "number"), spec.get("places", 1))  # noqa: E731
        lines += [f"          {row['statement']}",
                  f"          estimate {number(row['estimate'])} {row['unit']}; interval {number(row['lower'])} to "
                  f"{number(row['upper'])} ({row['interval_kind']}); verdict {row['verdict']} ({row['checks_agreeing']} "
                  f"of {row['checks_total']} checks agree)",
                  f"report    reports/{row['report']}.html#finding-{finding_id}"]
        sources = row["sources"].split()
    lines += [f"question  src/helpers/questions/{question}/ (findings.yml, findings.py, wording.md.j2)"]
    report = next((r for r in load_reports() if row and row["report"].split("--")[0] == r.id), None)
    if report is not None:
        lines.append(f"notebook  notebooks/{report.notebook} (reports.yml: {report.id})")
    used = [name for name, d in DATASETS.items() if set(d.sources) & set(sources)]
    for name in used:
        lines.append(f"dataset   {name} (src/helpers/data/catalogue.yml; data/processed/{name}.parquet)")
        for source_id in [s for s in DATASETS[name].sources if s in sources]:
            source = get_source(source_id)
            present = "present" if raw_path(source).is_file() else "not fetched yet"
            lines += [f"  source  {source_id}: {source.publisher}, {source.title} ({source.release})",
                      f"          data/sources.yml -> {source.url}",
                      f"          data/raw/{source.path} ({present}) sha256 {source.sha256}"]
    return "\n".join(lines)

"""What changed, said on the page (issue 20): findings whose estimate left the previous interval or whose verdict
changed, against the last published findings.csv; small CSV fixtures, expectations read off them by hand."""

from __future__ import annotations

import pandas as pd

from helpers import cli
from helpers.site.changes import GONE, MOVED, NEW, VERDICT, changed_findings, changes_markdown, read_findings

HEADER = "id,question,statement,estimate,unit,lower,upper,interval_kind,verdict,checks_agreeing,checks_total,report,sources\n"
PREVIOUS = HEADER + (
    "gap,concentration,London's share of ICT output rose,30.0,%,28.0,32.0,95% CI,holds,3,3,concentration,gva\n"
    "ict,ict_finance,ICT grew faster than finance,2.0,pp a year,1.0,3.0,95% CI,holds,2,3,ict-vs-finance,gva\n"
    "prod,productivity,Productivity below the UK's,80,% of UK,,,,inconclusive,1,2,productivity,prod\n"
    "edge,x,On the edge,5,count,4,6,range,holds,1,1,x,gva\n"
    "old,x,A finding since dropped,1,count,0,2,range,holds,1,1,x,gva\n")
CURRENT = HEADER + (
    "gap,concentration,London's share of ICT output rose,33.5,%,31.0,36.0,95% CI,holds,3,3,concentration,gva\n"  # 33.5 > 32
    "ict,ict_finance,ICT grew faster than finance,2.9,pp a year,1.5,4.3,95% CI,contradicted,1,3,ict-vs-finance,gva\n"
    "prod,productivity,Productivity below the UK's,95,% of UK,,,,inconclusive,1,2,productivity,prod\n"  # no interval
    "edge,x,On the edge,6.0,count,5,7,range,holds,1,1,x,gva\n"  # on the previous upper bound: inside
    "fresh,x,A [new](javascript:alert(1)) finding,7,count,6,8,range,holds,1,1,x,gva\n")


def _tables(tmp_path):
    (tmp_path / "previous.csv").write_text(PREVIOUS)
    (tmp_path / "current.csv").write_text(CURRENT)
    return read_findings(tmp_path / "previous.csv"), read_findings(tmp_path / "current.csv")


def test_changed_findings(tmp_path):
    table = changed_findings(*_tables(tmp_path))
    assert table[["id", "change"]].values.tolist() == [["gap", MOVED], ["ict", VERDICT], ["fresh", NEW], ["old", GONE]]
    gap = table.set_index("id").loc["gap"]
    assert (gap["previous_estimate"], gap["previous_lower"], gap["previous_upper"], gap["estimate"]) == (30.0, 28.0, 32.0, 33.5)
    ict = table.set_index("id").loc["ict"]
    assert (ict["previous_verdict"], ict["verdict"]) == ("holds", "contradicted")


def test_both_kinds_of_change_on_one_finding():
    previous = pd.DataFrame({"id": ["a"], "estimate": [1.0], "lower": [0.5], "upper": [1.5], "verdict": ["holds"]})
    current = pd.DataFrame({"id": ["a"], "estimate": [2.0], "lower": [1.5], "upper": [2.5], "verdict": ["contradicted"]})
    assert changed_findings(previous, current)["change"].tolist() == [f"{MOVED}; {VERDICT}"]
    assert changed_findings(previous, previous).empty


def test_markdown_for_the_workflow_summary(tmp_path):
    previous, current = _tables(tmp_path)
    text = changes_markdown(changed_findings(previous, current), compared=len(current))
    assert text.startswith("## What changed since the last published findings")
    assert "4 findings changed" in text and "| Finding | Report | Before | Now | What changed |" in text
    assert "| London's share of ICT output rose | concentration | 30.0 % \\[28.0 to 32.0 95% CI\\], holds | 33.5 %, holds |" in text
    assert "\\[new\\]\\(javascript:alert\\(1\\)\\)" in text  # text from the table stays text
    none = changes_markdown(changed_findings(previous, previous), compared=len(previous))
    assert "No finding's estimate left its previous interval and no verdict changed (5 compared)." in none


def test_changes_command(tmp_path, capsys):
    _tables(tmp_path)
    assert cli.main(["changes", "--since", str(tmp_path / "previous.csv"), "--now", str(tmp_path / "current.csv")]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "gap: moved outside its interval: 30.0 % [28.0 to 32.0 95% CI], holds -> 33.5 %, holds"
    assert cli.main(["changes", "--since", str(tmp_path / "missing.csv"), "--now", str(tmp_path / "current.csv")]) == 2
    err = capsys.readouterr().err
    assert "There is no findings table at" in err and "Fix:" in err and "Traceback" not in err


def test_the_landing_page_says_what_changed_when_the_findings_change(project, monkeypatch):
    """``write_metrics`` keeps the findings as last published when new ones differ, and the landing page's section
    lists what moved against them; with nothing published before, there is no section."""
    import csv
    import io

    from helpers.site import index

    def rows(text):
        return list(csv.DictReader(io.StringIO(text)))

    states = {"run": {"metrics": [], "findings": rows(PREVIOUS)}}
    monkeypatch.setattr(index, "read_state", lambda name: states[name])
    run = type("Run", (), {"name": "run"})()
    (project.home / "reports" / "_state").mkdir(parents=True)
    index.write_metrics([run])
    assert index.changes_section() == ""  # first publication: nothing to compare with
    states["run"]["findings"] = rows(CURRENT)
    index.write_metrics([run])
    html = index.changes_section()
    assert "<h2>What changed since the last published findings</h2>" in html and "4 findings changed" in html
    assert "<td>London's share of ICT output rose</td>" in html.replace("&#x27;", "'")
    assert "<a " not in html  # "[new](javascript:...)" from the table stays text, never a link
    index.write_metrics([run])  # the same findings again: the last change stays on the page
    assert "4 findings changed" in index.changes_section()


def test_figures_are_written_as_their_findings_write_them(tmp_path):
    """findings.csv records how each estimate is written (kind, places): a count of regions is whole, a share keeps
    its per cent sign, as on the report pages."""
    header = HEADER.strip() + ",kind,places\n"
    (tmp_path / "previous.csv").write_text(header)
    (tmp_path / "current.csv").write_text(header + (
        "regions,ict_finance,Faster in most regions,11.0,regions,10.0,12.0,range,holds,2,2,ict,gva,count,0\n"
        "first,ecosystem,London first on most,71.42857,of the level indicators,60.0,71.42857,range,holds,2,2,ai,orgs,pct,1\n"))
    text = changes_markdown(changed_findings(*(read_findings(tmp_path / f) for f in ("previous.csv", "current.csv"))))
    assert "| 11 regions, holds |" in text and "| 71.4% of the level indicators, holds |" in text

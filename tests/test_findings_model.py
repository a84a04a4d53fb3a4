"""The findings model on constructed cases: the one verdict rule, intervals from checks, one check per grid
dimension, the declarations of a question, the one number formatter and the wording templates."""

from __future__ import annotations

import math

import pytest

from helpers.findings import numbers, wording
from helpers.findings.model import (
    BANDS,
    CONTRADICTED,
    HOLDS,
    INCONCLUSIVE,
    Check,
    Finding,
    declarations,
    declared,
    range_interval,
    summarise,
)


def finding(estimate, lower=math.nan, upper=math.nan, checks=(), *, threshold=0.0, direction=1, measure=""):
    return Finding("f", 1, "a claim", estimate, "points", lower, upper, "95% confidence interval", threshold,
                   direction, measure, tuple(Check(f"check {i}", "window", c) for i, c in enumerate(checks)))


@pytest.mark.parametrize(("case", "verdict"), [
    (finding(2.0, 1.0, 3.0, (1.5, 2.5)), HOLDS),  # beyond the threshold, interval clear of it, checks agree
    (finding(2.0, -1.0, 5.0, (1.5,)), INCONCLUSIVE),  # not significant: the interval includes the threshold
    (finding(2.0, 1.0, 3.0, (1.5, -0.5)), INCONCLUSIVE),  # a check disagrees
    (finding(0.2, 0.1, 0.3, measure="growth_gap"), INCONCLUSIVE),  # significant but inside the materiality band
    (finding(0.4, 0.3, 0.5, (0.2,), measure="growth_gap"), INCONCLUSIVE),  # a check inside the band
    (finding(0.4, 0.3, 0.5, (0.3,), measure="growth_gap"), HOLDS),
    (finding(-2.0, -3.0, -1.0, (-1.5,)), CONTRADICTED),  # clearly the other way
    (finding(-2.0, -3.0, 0.5, (-1.5,)), INCONCLUSIVE),  # the other way, but not significantly
    (finding(-2.0, -3.0, -1.0, (1.5,)), INCONCLUSIVE),  # the other way, but a check is on the claimed side
    (finding(0.5, 0.2, 0.9, threshold=1.0), CONTRADICTED),  # an LQ claimed above 1 that is clearly below
    (finding(1.4, 1.2, 1.6, threshold=1.0), HOLDS),
    (finding(-0.3, -0.5, -0.1, direction=-1), HOLDS),  # a claim that something fell
    (finding(2.0), HOLDS),  # no interval: judged on the point and its checks
    (finding(math.nan), INCONCLUSIVE),
])
def test_one_verdict_rule(case, verdict):
    assert case.verdict == verdict


def test_checks_agreeing_and_missing_checks():
    f = finding(2.0, 1.0, 3.0, (1.5, -0.5, math.nan))
    assert (f.checks_agreeing, f.checks_total) == (1, 2)  # a missing estimate is listed, not counted
    assert [c.name for c in f.disagreeing()] == ["check 1"]
    row = f.row()
    assert (row["verdict"], row["lower"], row["upper"], row["checks_total"]) == (INCONCLUSIVE, 1.0, 3.0, 2)
    assert BANDS["growth_gap"] == 0.25


def test_an_interval_without_a_model_is_the_range_over_the_checks():
    checks = [Check("a", "window", 1.0), Check("b", "release", math.nan), Check("c", "window", 5.0)]
    assert range_interval(3.0, checks) == (1.0, 5.0)
    assert all(math.isnan(x) for x in range_interval(math.nan, []))


def test_a_grid_dimension_is_one_check_the_least_favourable():
    check = summarise("growth method", "estimator", {"trend": 0.4, "smoothed": 0.1, "ons": 0.3})
    assert (check.estimate, check.lower, check.upper) == (0.1, 0.1, 0.4) and "smoothed" in check.name
    falling = summarise("window", "window", {"a": -0.4, "b": -0.1}, finding_direction=-1)
    assert falling.estimate == -0.1  # for a claimed fall the least favourable is the largest
    assert math.isnan(summarise("empty", "window", {"a": math.nan}).estimate)


def test_a_finding_is_built_from_its_declaration():
    spec = declarations("ict_finance")
    assert spec["question"] == 1 and "ict_outgrew_finance_real" in spec["findings"]
    f = declared("ict_finance", "ict_outgrew_finance_real", 8.0, checks=[Check("w", "window", 4.0)], sources=["x", "x"])
    assert (f.question, f.measure, f.lower, f.upper, f.interval_kind) == (1, "growth_gap", 4.0, 8.0,
                                                                          "range over windows and deflators")
    assert f.sources == ("x",) and f.verdict == HOLDS
    ci = declared("ict_finance", "ict_outgrew_finance_real", 8.0, interval=(-1.0, 9.0))
    assert ci.interval_kind == "95% confidence interval" and ci.verdict == INCONCLUSIVE
    regions = declared("ict_finance", "ict_excl_telecoms_ahead_in_most_regions_real", 7, threshold=6, regions=12)
    assert "12 ITL1 regions" in regions.statement and regions.threshold == 6


@pytest.mark.parametrize(("value", "kind", "places", "text"), [
    (4.2934, "pct", 1, "4.3%"), (-0.44, "pp", 1, "-0.4 points"), (0.2, "signed", 1, "+0.2"), (-0.04, "signed", 1, "-0.04"),
    (-0.0004, "number", 1, "-0.0004"), (-0.00001, "number", 4, "-0.00001"), (-0.04, "number", 0, "-0.04"), (-0.034, "number", 1, "-0.034"),
    (1.938, "ratio", 1, "1.94"), (78067.4, "count", 0, "78,067"), (2021.0, "year", 0, "2021"), (5e6, "money", 1, "£5.0m"),
    (2.82e10, "money", 1, "£28.2bn"), (24530, "pounds", 0, "£24,530"), (0.0004, "p_text", 1, "p < 0.001"),
    (0.0123, "p_text", 1, "p = 0.01"), (0.0049, "p", 1, "0.005"), (0.049, "p", 1, "0.049"), (0.34, "p", 1, "0.34"),
    (0.0, "signed", 1, "0.0"), (-0.01, "number", 1, "-0.01"), (float("nan"), "pct", 1, "–"), (None, "number", 1, "–"),
])
def test_one_number_formatter(value, kind, places, text):
    assert numbers.fmt(value, kind, places) == text


def test_no_negative_zero_and_release_names():
    assert numbers.fmt(-0.001, "number", 1) == "-0.001" and numbers.fmt(-1e-9, "number", 0) != "-0"
    assert numbers.release_name("2024-04-24") == "April 2024 release" and numbers.release_name("2021-01") == "January 2021 release"
    with pytest.raises(ValueError, match="unknown number kind"):
        numbers.fmt(1.0, "percent")


def test_wording_templates_fill_fields_and_refuse_missing_ones():
    f = finding(2.0, 1.0, 3.0, (1.5,))
    assert wording.line("common", "verdict_phrase", f=f) == "holds"
    assert wording.line("ict_finance", "indexed_title", sector="J", basis="chained_volume", start=1998, end=2021) == (
        "UK: J grew faster in chained volume, 1998-2021")
    with pytest.raises(Exception, match="not provided"):
        wording.line("ict_finance", "indexed_title", sector="J")
    with pytest.raises(KeyError, match="no macro"):
        wording.render("ict_finance", "no_such_macro")
    assert "&lt;b&gt;" in wording.render("ict_finance", "indexed_title", html=True, sector="<b>", basis="chained_volume",
                                         start=1, end=2)


def test_findings_reach_the_runner_as_valid_json():
    """A check without an interval (NaN bounds) is handed over as null, not NaN, which JSON does not have."""
    import json

    import numpy as np

    from helpers.show.records import json_safe

    payload = json_safe([{"lower": float("nan"), "upper": np.float64("inf"), "checks": [{"lower": np.nan, "x": 1.5}]}])
    assert json.loads(json.dumps(payload, allow_nan=False)) == [{"lower": None, "upper": None,
                                                                 "checks": [{"lower": None, "x": 1.5}]}]


def test_a_check_that_is_not_significant_does_not_agree():
    """Every check's estimate on the claimed side is not enough for "holds": a check whose own interval includes the
    threshold does not agree, so the finding is inconclusive; without that interval it agrees."""
    def with_checks(*checks):
        return Finding("f", 1, "a claim", 0.0055, "a year", 0.0026, 0.0097, "95% confidence interval", 0.0, 1, "",
                       checks)

    significant = Check("window", "window", 0.004, 0.001, 0.007)
    unsure = Check("start year", "window", 0.0037, -0.0024, 0.0069)
    assert with_checks(significant, Check("recent", "window", 0.0037)).verdict == HOLDS
    found = with_checks(significant, unsure)
    assert found.verdict == INCONCLUSIVE
    assert (found.checks_agreeing, found.checks_total) == (1, 2) and found.disagreeing() == (unsure,)

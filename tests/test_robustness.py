"""The 'What holds up' framework (helpers.stats.robustness)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers.stats.robustness import Estimate, Finding, check_details, holds, robustness_table, verdict


def test_same_sign_robust_sensitive_does_not_hold():
    robust = Finding("ICT outgrew finance", 1.2, {"current prices": 0.4, "2016-2021": 0.1}, unit="pp a year")
    sensitive = Finding("J excl. 61 outgrew K", 1.8, {"current prices": 0.2, "2016-2021": -1.0, "2024": 0.3})
    fails = Finding("gap", 0.5, {"a": -0.1, "b": -0.2, "c": 0.3})
    table = robustness_table([robust, sensitive, fails]).set_index("finding")
    assert table.columns[-1] == "verdict"
    assert table.verdict.tolist() == ["robust", "sensitive", "does not hold"]
    assert table.loc["J excl. 61 outgrew K", "changed_in"] == "2016-2021"
    assert table.loc["J excl. 61 outgrew K", "checks_held"] == "2 of 3"
    assert math.isnan(table.loc["ICT outgrew finance", "2024"])  # check not run for that finding
    assert table.loc["ICT outgrew finance", "unit"] == "pp a year"


def test_significance_rule_and_baseline_failure():
    significant = Finding("beta < 0", (-0.8, 0.01), {"HC3": (-0.7, 0.03), "wild bootstrap": Estimate(-0.7, 0.2)},
                          rule="same_sign_significant")
    baseline_fails = Finding("beta < 0 (n.s.)", (-0.2, 0.4), {"HC3": (-0.3, 0.01)}, rule="same_sign_significant")
    table = robustness_table([significant, baseline_fails]).set_index("finding")
    assert table.loc["beta < 0", "verdict"] == "sensitive"  # 1 of 2 changed: not more than half
    assert table.loc["beta < 0", "HC3"] == -0.7
    assert table.loc["beta < 0 (n.s.)", "verdict"] == "does not hold"


def test_threshold_rules_and_missing_checks():
    count = Finding("most regions", 11, {"cp": 8, "2016": 7, "missing": float("nan")}, rule="above", threshold=6)
    assert robustness_table([count]).verdict.iloc[0] == "robust"
    below = Finding("CV falls", -0.3, {"no London": 0.1, "per job": -0.2, "2019": 0.05}, rule="below", threshold=0)
    assert robustness_table([below]).verdict.iloc[0] == "does not hold"  # 2 of 3 changed
    assert holds(None, count) is None
    assert holds((0.3, None), Finding("x", (0.2, 0.01), rule="same_sign_significant")) is None


def test_check_details_long_form():
    details = check_details([Finding("f", 1.0, {"a": -1.0, "b": float("nan")})])
    assert details.check.tolist() == ["baseline", "a", "b"]
    assert details.holds.tolist()[:2] == [True, False] and pd.isna(details.holds.iloc[2])


def test_verdict_edge_cases_and_validation():
    assert verdict(True, []) == "robust"
    assert verdict(True, [True, False]) == "sensitive"
    assert verdict(True, [False, False, True]) == "does not hold"
    assert verdict(False, [True]) == "does not hold"
    assert holds(0.0, Finding("zero", 1.0)) is False
    with pytest.raises(ValueError):
        Finding("x", 1.0, rule="bigger")
    with pytest.raises(ValueError):
        holds((1, 2, 3), Finding("x", 1.0))

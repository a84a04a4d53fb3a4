"""'What holds up' tables: one row per headline finding, one column per check, and a plain verdict.

A finding has a baseline estimate and, for each check a referee would ask for (price basis, vintage, window,
definition, estimator, sample with/without London), the estimate under that alternative. A *rule* says when an
estimate supports the same conclusion as the baseline:

- ``same_sign``: the estimate has the baseline's sign (the conclusion is "positive" or "negative");
- ``same_sign_significant``: same sign and p-value below ``alpha`` (estimates given with a p-value);
- ``above`` / ``below``: the estimate is above / below ``threshold`` (e.g. a CAGR gap above 0, or a count of
  regions above 6 of 12).

Verdict (STYLE.md "Findings a referee accepts"):

- ``robust``: the baseline supports the conclusion and every check does;
- ``sensitive``: the baseline does, and the conclusion changes in some checks but holds in at least half;
- ``does not hold``: the baseline itself fails the rule, or the conclusion changes in more than half the checks.

Checks whose estimate is missing (NaN or None) are reported but not counted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

RULES = ("same_sign", "same_sign_significant", "above", "below")
VERDICTS = ("robust", "sensitive", "does not hold")


@dataclass(frozen=True)
class Estimate:
    """A point estimate with an optional p-value."""

    value: float
    p: float | None = None


def as_estimate(value) -> Estimate:
    """Accept a number, an ``Estimate``, a (value, p) pair or a dict with "value"/"estimate" and "p"."""
    if isinstance(value, Estimate):
        return value
    if isinstance(value, dict):
        number = value.get("value", value.get("estimate"))
        return Estimate(_float(number), _float(value.get("p")) if value.get("p") is not None else None)
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"an estimate pair must be (value, p), got {value!r}")
        return Estimate(_float(value[0]), _float(value[1]))
    return Estimate(_float(value))


def _float(value) -> float:
    return float("nan") if value is None else float(value)


@dataclass
class Finding:
    """A headline finding and its checks.

    label: the finding in words; baseline: the headline estimate; checks: check name -> estimate under that
    alternative (number, (value, p) or ``Estimate``); rule: one of ``RULES``; threshold: for above/below;
    alpha: significance level for ``same_sign_significant``; unit: the estimates' unit, for the table."""

    label: str
    baseline: object
    checks: dict[str, object] = field(default_factory=dict)
    rule: str = "same_sign"
    threshold: float = 0.0
    alpha: float = 0.05
    unit: str = ""

    def __post_init__(self) -> None:
        if self.rule not in RULES:
            raise ValueError(f"rule must be one of {RULES}, not {self.rule!r}")


def holds(estimate, finding: Finding, baseline: Estimate | None = None) -> bool | None:
    """Does ``estimate`` support the finding's conclusion under its rule? None when the estimate is missing
    (or, for ``same_sign_significant``, its p-value is)."""
    estimate = as_estimate(estimate)
    baseline = as_estimate(finding.baseline) if baseline is None else baseline
    if math.isnan(estimate.value):
        return None
    if finding.rule == "above":
        return estimate.value > finding.threshold
    if finding.rule == "below":
        return estimate.value < finding.threshold
    if math.isnan(baseline.value) or baseline.value == 0:
        return False
    same_sign = estimate.value != 0 and (estimate.value > 0) == (baseline.value > 0)
    if finding.rule == "same_sign":
        return same_sign
    if estimate.p is None or math.isnan(estimate.p):
        return None
    return same_sign and estimate.p < finding.alpha


def verdict(baseline_holds: bool | None, check_results: list[bool | None]) -> str:
    """'robust', 'sensitive' or 'does not hold' from the baseline's and the checks' results (see module doc)."""
    if not baseline_holds:
        return "does not hold"
    counted = [r for r in check_results if r is not None]
    changed = sum(not r for r in counted)
    if changed == 0:
        return "robust"
    return "does not hold" if changed > len(counted) / 2 else "sensitive"


def assess(finding: Finding) -> dict:
    """One finding's row: baseline, each check's estimate, checks held ("k of n"), the checks whose
    conclusion changed, and the verdict."""
    base = as_estimate(finding.baseline)
    base_holds = holds(base, finding, base)
    results = {name: holds(value, finding, base) for name, value in finding.checks.items()}
    counted = {name: r for name, r in results.items() if r is not None}
    row = {"finding": finding.label, "rule": _rule_text(finding), "unit": finding.unit, "baseline": base.value}
    row.update({name: as_estimate(value).value for name, value in finding.checks.items()})
    row["checks_held"] = f"{sum(counted.values())} of {len(counted)}"
    row["changed_in"] = ", ".join(name for name, r in counted.items() if not r)
    row["verdict"] = verdict(base_holds, list(results.values()))
    return row


def robustness_table(findings: list[Finding]) -> pd.DataFrame:
    """The 'What holds up' table: one row per finding; columns finding, rule, unit, baseline, one column per
    check (its estimate, in the finding's unit; empty where a finding has no such check), checks_held,
    changed_in and verdict (the last column). ``attrs["source_ids"]`` is left to the caller."""
    rows = [assess(f) for f in findings]
    checks = list(dict.fromkeys(name for f in findings for name in f.checks))
    columns = ["finding", "rule", "unit", "baseline", *checks, "checks_held", "changed_in", "verdict"]
    return pd.DataFrame(rows).reindex(columns=columns)


def check_details(findings: list[Finding]) -> pd.DataFrame:
    """Long form: one row per finding and check (baseline first) with estimate, p-value and whether the
    conclusion holds (True/False, <NA> when the estimate is missing)."""
    rows = []
    for finding in findings:
        base = as_estimate(finding.baseline)
        for name, value in [("baseline", base), *finding.checks.items()]:
            estimate = as_estimate(value)
            rows.append({"finding": finding.label, "check": name, "estimate": estimate.value,
                         "p_value": estimate.p, "holds": holds(estimate, finding, base)})
    out = pd.DataFrame(rows)
    out["holds"] = out["holds"].astype("boolean")
    return out


def _rule_text(finding: Finding) -> str:
    return {
        "same_sign": "same sign as baseline",
        "same_sign_significant": f"same sign and p < {finding.alpha:g}",
        "above": f"above {finding.threshold:g}",
        "below": f"below {finding.threshold:g}",
    }[finding.rule]

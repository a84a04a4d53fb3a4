"""A finding is an object: what is claimed, an estimate with its unit and interval, the checks a referee would ask
for (each with its own estimate and interval), the sources, and a verdict from one rule (``verdict``), stated here and
in ``docs/methods.md``.

The rule, on the *signed distance* of a value from the finding's threshold, ``d(x) = (x - threshold) x direction``
(direction +1 when the claim is "above", -1 when it is "below"), with the materiality band ``band`` of the finding's
measure (``BANDS``):

- **holds**: the estimate is beyond the band on the claimed side (``d > band``), the interval excludes the threshold on
  that side (``d(lower), d(upper) > 0``) and every check agrees: its estimate is beyond the band on the claimed side
  and, where the check has an interval of its own, that interval excludes the threshold on that side too (a check
  that is not significant does not agree);
- **contradicted**: the estimate is beyond the band on the other side (``d < -band``), the interval lies wholly on
  that side, and no check is beyond the band on the claimed side;
- **inconclusive**: anything else (not significant, inside the band, or checks disagreeing).

A finding without an interval is judged on its point estimate alone for the interval condition (its interval is the
point); ``interval_kind`` then says "none". Checks whose estimate is missing are listed but not counted.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field, replace
from pathlib import Path

HOLDS, INCONCLUSIVE, CONTRADICTED = "holds", "inconclusive", "contradicted"
VERDICTS = (HOLDS, INCONCLUSIVE, CONTRADICTED)
ALPHA = 0.05  # the significance level of every test and the coverage of every confidence interval (95%)
CI = "95% confidence interval"
PRE_COVID_END = 2019  # the last year of the window checks that stop before the COVID fall (2020) and rebound (2021)

# The materiality band of each measure, in the measure's unit: a difference within the band is "about the same". One
# band per measure; a measure without one here has a band of 0 (any difference in the right direction counts).
BANDS = {
    "growth_gap": 0.25,  # CAGR gap, percentage points a year: about 6% over 23 years, near one release's revision
}
CSV_COLUMNS = ["id", "question", "statement", "estimate", "unit", "lower", "upper", "interval_kind", "verdict",
               "checks_agreeing", "checks_total", "report", "sources", "kind", "places"]


def _number(value) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return math.nan
    return out


@dataclass(frozen=True)
class Check:
    """One robustness check: the finding recomputed under one alternative (``dimension``: window, release, price
    basis, deflator, definition, estimator, sample, ...), with its own interval where it has one."""

    name: str
    dimension: str
    estimate: float
    lower: float = math.nan
    upper: float = math.nan

    @property
    def counted(self) -> bool:
        return math.isfinite(_number(self.estimate))


@dataclass(frozen=True)
class Finding:
    """A headline finding (see the module docstring for the verdict rule).

    ``statement``: what is claimed, in words; ``estimate`` in ``unit``; ``lower``/``upper``: its interval, of kind
    ``interval_kind`` (``CI`` for a model's 95% confidence interval, otherwise the range it spans, named: "range over
    windows and releases"); ``threshold`` and ``direction`` (+1: the claim is that the estimate is above the
    threshold, -1: below); ``measure``: the key of its materiality band in ``BANDS``; ``checks``; ``sources``:
    manifest ids; ``p``: the estimate's p-value when a test gives one (shown, never used by the rule)."""

    id: str
    question: int
    statement: str
    estimate: float
    unit: str
    lower: float = math.nan
    upper: float = math.nan
    interval_kind: str = "none"
    threshold: float = 0.0
    direction: int = 1
    measure: str = ""
    checks: tuple[Check, ...] = ()
    sources: tuple[str, ...] = ()
    report: str = ""
    p: float = math.nan
    kind: str = "number"  # how its estimate is written (``helpers.findings.numbers.fmt``) ...
    places: int = 1  # ... and with how many decimals
    extra: dict = field(default_factory=dict, hash=False, compare=False)  # figures the wording quotes beside it

    def __post_init__(self) -> None:
        if self.direction not in (1, -1):
            raise ValueError(f"direction must be 1 (above) or -1 (below), not {self.direction!r}")

    @property
    def band(self) -> float:
        return BANDS.get(self.measure, 0.0)

    def distance(self, value: float) -> float:
        """Signed distance of ``value`` from the threshold, positive on the claimed side."""
        return (_number(value) - self.threshold) * self.direction

    @property
    def has_interval(self) -> bool:
        return math.isfinite(_number(self.lower)) and math.isfinite(_number(self.upper))

    @property
    def counted_checks(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.counted)

    def agrees(self, check: Check) -> bool:
        """A check agrees when its estimate is beyond the band on the claimed side and its own interval (where it has
        one) excludes the threshold on that side."""
        if not self.distance(check.estimate) > self.band:
            return False
        bounds = (_number(check.lower), _number(check.upper))
        return not all(math.isfinite(b) for b in bounds) or min(self.distance(b) for b in bounds) > 0

    @property
    def checks_agreeing(self) -> int:
        return sum(self.agrees(c) for c in self.counted_checks)

    @property
    def checks_total(self) -> int:
        return len(self.counted_checks)

    @property
    def verdict(self) -> str:
        return verdict(self)

    def disagreeing(self) -> tuple[Check, ...]:
        """The counted checks that do not agree (``agrees``)."""
        return tuple(c for c in self.counted_checks if not self.agrees(c))

    def with_report(self, report: str) -> Finding:
        return replace(self, report=report)

    def row(self) -> dict:
        """The finding as a row of ``reports/findings.csv`` (``CSV_COLUMNS``)."""
        return {"id": self.id, "question": self.question, "statement": self.statement, "estimate": self.estimate,
                "unit": self.unit, "lower": self.lower if self.has_interval else None,
                "upper": self.upper if self.has_interval else None, "interval_kind": self.interval_kind,
                "verdict": self.verdict, "checks_agreeing": self.checks_agreeing, "checks_total": self.checks_total,
                "report": self.report, "sources": " ".join(self.sources), "kind": self.kind, "places": self.places}


def verdict(finding: Finding) -> str:
    """holds / inconclusive / contradicted, by the rule of the module docstring."""
    d = finding.distance(finding.estimate)
    if not math.isfinite(d):
        return INCONCLUSIVE
    ends = ([finding.distance(finding.lower), finding.distance(finding.upper)] if finding.has_interval else [d])
    near, far = min(ends), max(ends)
    checks = [finding.distance(c.estimate) for c in finding.counted_checks]
    if d > finding.band and near > 0 and all(finding.agrees(c) for c in finding.counted_checks):
        return HOLDS
    if d < -finding.band and far < 0 and not any(x > finding.band for x in checks):
        return CONTRADICTED
    return INCONCLUSIVE


def range_interval(estimate: float, checks) -> tuple[float, float]:
    """(lowest, highest) of an estimate and its checks' estimates: the interval of a finding that has no model
    interval ("range over ..."). Missing estimates are left out."""
    values = [v for v in [_number(estimate), *(_number(c.estimate) for c in checks)] if math.isfinite(v)]
    return (min(values), max(values)) if values else (math.nan, math.nan)


def summarise(name: str, dimension: str, alternatives: dict[str, float], finding_direction: int = 1,
              threshold: float = 0.0) -> Check:
    """One check per dimension of a robustness grid: the least favourable of ``alternatives`` (the estimate nearest
    the threshold on the claimed side, or furthest on the other), with the range of all of them as its interval."""
    values = {k: _number(v) for k, v in alternatives.items() if math.isfinite(_number(v))}
    if not values:
        return Check(name, dimension, math.nan)
    worst = min(values, key=lambda k: (values[k] - threshold) * finding_direction)
    return Check(f"{name} (least favourable: {worst})" if len(values) > 1 else name, dimension, values[worst],
                 min(values.values()), max(values.values()))


@dataclass(frozen=True)
class Metric:
    """A headline figure of a report (``reports/metrics.csv``): id (unique within the report), value, unit, a
    description and the manifest ids of its sources. The value is kept to 6 significant digits."""

    id: str
    value: float
    unit: str
    description: str
    sources: tuple[str, ...] = ()

    def row(self) -> dict:
        value = _number(self.value)
        return {"id": self.id, "value": float(f"{value:.6g}") if math.isfinite(value) else None, "unit": self.unit,
                "description": self.description, "source_ids": " ".join(dict.fromkeys(self.sources))}


@functools.cache
def declarations(question: str) -> dict:
    """The findings a question declares in ``helpers/questions/<question>/findings.yml``: its number and, for each
    finding id, its statement (with ``{named}`` fields), unit, measure, threshold, direction, how its estimate is
    written (kind, places) and the kind of its interval when it has no model interval."""
    import yaml

    path = Path(__file__).resolve().parents[1] / "questions" / question / "findings.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def declared(question: str, finding_id: str, estimate: float, *, checks=(), sources=(), interval=None, p=math.nan,
             extra=None, threshold: float | None = None, **fields) -> Finding:
    """The finding ``finding_id`` of ``question`` as declared (``declarations``) with its estimate, checks and sources.
    ``interval``: (lower, upper) of a 95% confidence interval; without it, the interval is the range of the estimate
    and its checks, of the kind the declaration names. ``threshold`` replaces the declared one where it is computed
    (half the regions); ``fields`` fill the statement's ``{named}`` fields."""
    spec = declarations(question)["findings"][finding_id]
    checks = tuple(checks)
    if interval is not None:
        (lower, upper), kind = interval, CI
    elif checks:
        (lower, upper), kind = range_interval(estimate, checks), spec.get("interval", "range over the checks")
    else:
        lower, upper, kind = math.nan, math.nan, "none"
    return Finding(finding_id, declarations(question)["question"], spec["statement"].format(**fields), float(estimate),
                   spec["unit"].format(**fields), lower, upper, kind,
                   spec.get("threshold", 0.0) if threshold is None else threshold,
                   spec.get("direction", 1), spec.get("measure", ""), checks, tuple(dict.fromkeys(sources)),
                   p=p, kind=spec.get("kind", "number"), places=spec.get("places", 1), extra=extra or {})

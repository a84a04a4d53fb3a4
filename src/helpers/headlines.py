"""What notebooks call to hand results to the report runner: headline metrics for reports/metrics.csv.

``record_metric`` returns the metric and keeps it in an in-process list (``recorded()``); after a notebook ran,
the report runner reads that list back from the kernel. In JupyterLab the list is simply never read, so
notebooks run the same way there.
"""

from __future__ import annotations

import math

from helpers.data.sources import get_source

# The metrics recorded in this process since the last ``clear_recorded()``, in the order they were recorded.
_RECORDED: list[dict] = []


def record_metric(metric_id: str, value: float, unit: str, description: str, source_ids: list[str]) -> dict:
    """Record a headline figure (id unique within the report; value rounded to 6 significant digits)."""
    for source_id in source_ids:
        get_source(source_id)  # unknown ids fail here, not in the index
    value = float(value)
    metric = {
        "id": metric_id,
        "value": float(f"{value:.6g}") if math.isfinite(value) else None,
        "unit": unit,
        "description": description,
        "source_ids": " ".join(source_ids),
    }
    _RECORDED.append(metric)
    return metric


def recorded() -> list[dict]:
    """Copies of the metrics recorded in this process, in order."""
    return [dict(metric) for metric in _RECORDED]


def clear_recorded() -> None:
    _RECORDED.clear()

"""What notebooks call to hand results to the report runner: headline metrics for reports/metrics.csv.

Under the runner, ``REGIONAL_DIVIDE_METRICS_FILE`` names a JSON-lines file for this execution; in an
interactive session the metric is only returned, so notebooks run the same way in JupyterLab.
"""

from __future__ import annotations

import json
import math
import os

from helpers.pipeline.sources import get_source

METRICS_ENV = "REGIONAL_DIVIDE_METRICS_FILE"
USAGE_ENV = "REGIONAL_DIVIDE_USAGE_LOG"


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
    target = os.environ.get(METRICS_ENV)
    if target:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(metric) + "\n")
    return metric


def log_dataset_use(name: str) -> None:
    """Note that the running notebook loaded dataset ``name`` (the runner checks it was declared)."""
    target = os.environ.get(USAGE_ENV)
    if target:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(name + "\n")

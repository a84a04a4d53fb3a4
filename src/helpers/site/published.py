"""Executed and failed notebooks as they are published (``reports/_executed``, ``reports/_failed``, and the HTML
rendered from them): without the machine's directories.

papermill records the absolute input and output paths and the working directory in the notebook's metadata, and
tracebacks and warnings name files by absolute path. ``without_machine_paths`` rewrites every string of the
notebook: the project's root becomes a relative path, the Python environment ``<python>``, the temporary folder
``<tmp>`` and the home folder ``~``; papermill's output path (a temporary file) is dropped.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from helpers.config import PACKAGE_ROOT, paths


def replacements() -> list[tuple[str, str]]:
    """(absolute prefix, what it becomes), longest first (the environment may sit inside the project)."""
    pairs = {}
    for folder, label in ((Path.home(), "~/"), (Path(tempfile.gettempdir()), "<tmp>/"),
                          (Path(os.environ.get("TMPDIR") or tempfile.gettempdir()), "<tmp>/"),
                          (PACKAGE_ROOT, ""), (paths().root, ""),
                          (Path(sys.base_prefix), "<python>/"), (Path(sys.prefix), "<python>/")):
        for form in {str(folder), str(folder.resolve())}:
            if form not in ("/", ""):
                pairs[form.rstrip("/") + "/"] = label
    return sorted(pairs.items(), key=lambda pair: len(pair[0]), reverse=True)


def _rewrite(value, pairs: list[tuple[str, str]]):
    if isinstance(value, str):
        for prefix, label in pairs:
            if prefix in value:
                value = value.replace(prefix, label)
        return value
    if isinstance(value, list):
        return [_rewrite(item, pairs) for item in value]
    if isinstance(value, dict):
        return {key: _rewrite(item, pairs) for key, item in value.items()}
    return value


def without_machine_paths(notebook_text: str) -> str:
    """``notebook_text`` (an .ipynb document) with no absolute path of this machine in it."""
    document = json.loads(notebook_text)
    papermill = document.get("metadata", {}).get("papermill")
    if isinstance(papermill, dict):
        papermill.pop("output_path", None)
    document = _rewrite(document, replacements())
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"

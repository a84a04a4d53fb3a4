"""Which ``helpers`` modules a piece of code runs, found statically: the import statements of its source, followed
through the source of every ``helpers`` module they name. Deterministic (no module is imported), so it serves both
the datasets' fingerprints (a builder's module and what it imports) and the report runner's rerun keys (what a
notebook imports).
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterable
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # src/helpers


def code_files(modules: Iterable[str], *, with_packages: bool = True, package_dir: Path = PACKAGE_DIR,
               source: str | None = None) -> list[Path]:
    """The source files of the ``helpers`` modules in ``modules`` and of every ``helpers`` module they import,
    transitively, found by parsing the import statements (``import``/``from ... import``, at any depth: lazy
    imports inside functions count). ``source`` adds the imports of a piece of code (a notebook's cells).
    ``with_packages`` adds the ``__init__.py`` of each module's packages, which importing it executes.
    Imports built from strings at run time (``importlib``) are not seen: dataset builders are covered by the
    datasets' fingerprints. Sorted, so the same code gives the same list."""
    pending = list(modules) + (_imports(source, "__main__", package_dir) if source is not None else [])
    found: dict[str, Path] = {}
    while pending:
        module = pending.pop()
        if module in found:
            continue
        file = _module_file(module, package_dir)
        if file is None:
            continue
        found[module] = file
        pending += _imports(file.read_text(encoding="utf-8"), module, package_dir, is_package=file.name == "__init__.py")
        if with_packages:
            parts = module.split(".")
            pending += [".".join(parts[:i]) for i in range(1, len(parts))]
    return sorted(set(found.values()))


def _module_file(module: str, package_dir: Path) -> Path | None:
    parts = module.split(".")
    if parts[0] != "helpers":
        return None
    base = package_dir.joinpath(*parts[1:])
    for candidate in (base / "__init__.py", base.with_suffix(".py") if len(parts) > 1 else None):
        if candidate is not None and candidate.is_file():
            return candidate
    return None


def _imports(source: str, module: str, package_dir: Path, *, is_package: bool = False) -> list[str]:
    """The ``helpers`` modules that ``source`` (the code of ``module``) imports."""
    return list(_cached_imports(source, module, package_dir, is_package))


@functools.lru_cache(maxsize=1024)
def _cached_imports(source: str, module: str, package_dir: Path, is_package: bool) -> tuple[str, ...]:
    """``_imports``, parsed once per distinct source text in a process (the rerun keys of every report walk the
    same modules)."""
    tree = ast.parse(source)
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the module's package
                package = module.split(".") if is_package else module.split(".")[:-1]
                base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            for alias in node.names:  # "from package import module" imports the module
                submodule = f"{base}.{alias.name}"
                names.append(submodule if _module_file(submodule, package_dir) else base)
    return tuple(name for name in names if name == "helpers" or name.startswith("helpers."))

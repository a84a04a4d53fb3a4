"""Which ``helpers`` modules a dataset's builder runs, found statically: the import statements of its module, followed
through the source of every ``helpers`` module they name. Deterministic (no module is imported); the datasets'
fingerprints hash these files, so editing a loader rebuilds exactly the datasets it builds.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterable
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # src/helpers


def code_files(modules: Iterable[str], *, with_packages: bool = True, package_dir: Path = PACKAGE_DIR) -> list[Path]:
    """The source files of the ``helpers`` modules in ``modules`` and of every ``helpers`` module they import,
    transitively, found by parsing the import statements (``import``/``from ... import``, at any depth: lazy
    imports inside functions count). ``with_packages`` adds the ``__init__.py`` of each module's packages, which
    importing it executes. Sorted, so the same code gives the same list."""
    pending = list(modules)
    found: dict[str, Path] = {}
    while pending:
        module = pending.pop()
        if module in found:
            continue
        file = _module_file(module, package_dir)
        if file is None:
            continue
        found[module] = file
        pending += _resolve(imports(file.read_text(encoding="utf-8")), module, package_dir, file.name == "__init__.py")
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


@functools.lru_cache(maxsize=1024)
def imports(source: str) -> tuple[tuple, ...]:
    """The import statements of ``source`` as written: ``("import", name)`` or ``("from", level, module, names)``."""
    found: list[tuple] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [("import", alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append(("from", node.level, node.module or "", tuple(alias.name for alias in node.names)))
    return tuple(found)


def _resolve(statements: tuple[tuple, ...], module: str, package_dir: Path, is_package: bool) -> list[str]:
    """The ``helpers`` modules that ``statements`` (the imports of ``module``) name ("from package import name"
    names the submodule when there is one, else the package)."""
    names = []
    for statement in statements:
        if statement[0] == "import":
            names.append(statement[1])
            continue
        _, level, from_module, aliases = statement
        if level:  # relative: from the module's package
            package = module.split(".") if is_package else module.split(".")[:-1]
            base = ".".join(package[: len(package) - level + 1] + ([from_module] if from_module else []))
        else:
            base = from_module
        for alias in aliases:
            submodule = f"{base}.{alias}"
            names.append(submodule if _module_file(submodule, package_dir) else base)
    return [name for name in names if name == "helpers" or name.startswith("helpers.")]

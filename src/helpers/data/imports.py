"""Which ``helpers`` modules a piece of code runs, found statically: the import statements of its source, followed
through the source of every ``helpers`` module they name. Deterministic (no module is imported), so it serves both
the datasets' fingerprints (a builder's module and what it imports) and the report runner's rerun keys (what a
notebook imports).

Parsing is the slow part, so what a parse finds (``SourceFacts``: the import statements as written and the
``.csv`` names in string literals) depends on the source text only. ``FactStore`` keeps those facts across
processes in a JSON file keyed by the sha256 of each text: an unchanged file is not parsed again, an edited one
is (its text has a new key). The store changes how fast the answer comes, never the answer.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from helpers.data.atomic import write_text_atomic

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # src/helpers


class SourceFacts(NamedTuple):
    """What parsing one source text finds: its imports as written, ``("import", name)`` or ``("from", level,
    module, names)``, in the order of ``ast.walk``, and the sorted string constants that end in ``.csv``."""

    imports: tuple[tuple, ...]
    csv_names: tuple[str, ...]


def code_files(modules: Iterable[str], *, with_packages: bool = True, package_dir: Path = PACKAGE_DIR,
               source: str | None = None, store: FactStore | None = None) -> list[Path]:
    """The source files of the ``helpers`` modules in ``modules`` and of every ``helpers`` module they import,
    transitively, found by parsing the import statements (``import``/``from ... import``, at any depth: lazy
    imports inside functions count). ``source`` adds the imports of a piece of code (a notebook's cells).
    ``with_packages`` adds the ``__init__.py`` of each module's packages, which importing it executes.
    ``store`` reuses the facts of texts parsed before (same result, fewer parses).
    Imports built from strings at run time (``importlib``) are not seen: dataset builders are covered by the
    datasets' fingerprints. Sorted, so the same code gives the same list."""
    pending = list(modules) + (_imports(source, "__main__", package_dir, store) if source is not None else [])
    found: dict[str, Path] = {}
    while pending:
        module = pending.pop()
        if module in found:
            continue
        file = _module_file(module, package_dir)
        if file is None:
            continue
        found[module] = file
        pending += _imports(file.read_text(encoding="utf-8"), module, package_dir, store,
                            is_package=file.name == "__init__.py")
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


def _imports(source: str, module: str, package_dir: Path, store: FactStore | None = None, *,
             is_package: bool = False) -> list[str]:
    """The ``helpers`` modules that ``source`` (the code of ``module``) imports."""
    facts = store.facts(source) if store is not None else source_facts(source)
    return list(_resolve(facts.imports, module, package_dir, is_package))


@functools.lru_cache(maxsize=1024)
def source_facts(source: str) -> SourceFacts:
    """The ``SourceFacts`` of ``source``, parsed once per distinct text in a process (SyntaxError if it does not
    parse)."""
    imports: list[tuple] = []
    csv_names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imports += [("import", alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            imports.append(("from", node.level, node.module or "", tuple(alias.name for alias in node.names)))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.endswith(".csv"):
            csv_names.add(node.value)
    return SourceFacts(tuple(imports), tuple(sorted(csv_names)))


@functools.lru_cache(maxsize=1024)
def _resolve(imports: tuple[tuple, ...], module: str, package_dir: Path, is_package: bool) -> tuple[str, ...]:
    """The ``helpers`` modules that the import statements ``imports`` of ``module`` name ("from package import
    name" names the submodule when there is one, else the package)."""
    names = []
    for statement in imports:
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
    return tuple(name for name in names if name == "helpers" or name.startswith("helpers."))


class FactStore:
    """``SourceFacts`` by the sha256 of the source text, read from and saved to a JSON file (``path``). A file
    that is missing, unreadable or corrupt, or an entry of the wrong shape, is ignored: those texts are parsed
    again. ``save`` writes the file (atomically) only when a text was parsed, keeping the ``MAX_ENTRIES`` most
    recently used entries; a failed write is ignored (the facts are parsed again next time)."""

    VERSION = 1
    MAX_ENTRIES = 2000  # the package has ~100 modules: room for many edits of each

    def __init__(self, path: Path):
        self.path = path
        self._stored = self._read(path)
        self._facts: dict[str, SourceFacts] = {}  # checked entries and new ones, in order of use
        self._parsed = False

    @classmethod
    def _read(cls, path: Path) -> dict:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(document, dict) or document.get("version") != cls.VERSION:
            return {}
        entries = document.get("facts")
        return entries if isinstance(entries, dict) else {}

    def facts(self, source: str) -> SourceFacts:
        key = hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()
        facts = self._facts.get(key) or _from_json(self._stored.get(key))
        if facts is None:
            facts = source_facts(source)
            self._parsed = True
        self._facts[key] = facts
        return facts

    def save(self) -> None:
        if not self._parsed:
            return
        entries = {k: v for k, v in self._stored.items() if k not in self._facts}
        entries.update({k: {"imports": facts.imports, "csv_names": facts.csv_names} for k, facts in self._facts.items()})
        kept = dict(list(entries.items())[-self.MAX_ENTRIES:])
        try:
            write_text_atomic(self.path, json.dumps({"version": self.VERSION, "facts": kept}, separators=(",", ":")))
        except OSError:
            return
        self._stored, self._parsed = kept, False


def _from_json(entry) -> SourceFacts | None:
    """The ``SourceFacts`` a stored entry holds, or None if it is not one (a corrupt or foreign file)."""
    try:
        imports = []
        for statement in entry["imports"]:
            if statement[0] == "import" and len(statement) == 2 and isinstance(statement[1], str):
                imports.append(("import", statement[1]))
            elif (statement[0] == "from" and len(statement) == 4 and type(statement[1]) is int and statement[1] >= 0
                  and isinstance(statement[2], str) and isinstance(statement[3], list)
                  and all(isinstance(a, str) for a in statement[3])):
                imports.append(("from", statement[1], statement[2], tuple(statement[3])))
            else:
                return None
        csv_names = entry["csv_names"]
        if not isinstance(csv_names, list) or not all(isinstance(name, str) for name in csv_names):
            return None
    except (KeyError, TypeError, IndexError):
        return None
    return SourceFacts(tuple(imports), tuple(csv_names))

"""``memoized``: a table builder's result kept for the life of the process, per argument set and data version.

A report worker runs notebook after notebook in one kernel, and every region profile needs the same all-region
tables (GVA by industry, the decomposition of ICT growth, the AI-ecosystem indicators, the claim verdicts).
Memoized builders compute each of them once per worker instead of once per report; a researcher's kernel in
JupyterLab gets the same speed-up from cell to cell.

Never stale: the key holds the arguments and the data version (``datasets.data_version``: the content fingerprint each
dataset's build recorded, and each reference table's hash), so a rebuilt dataset or an edited reference table is read
afresh. Never shared: each call hands out an independent copy (``independent``), so a caller that changes a table (or
its ``attrs``) cannot change what the next caller sees. ``clear()`` empties every memo (tests, benchmarks).
"""

from __future__ import annotations

import copy
import functools
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from helpers.data import datasets

T = TypeVar("T")
_MEMOS: list[OrderedDict] = []
MAX_ENTRIES = 128  # per builder: far more than the argument sets one report run uses


def _hashable(value):
    if isinstance(value, list | tuple):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    if isinstance(value, set | frozenset):
        return frozenset(value)
    hash(value)  # raises TypeError for other unhashable arguments (tables): those calls are not memoized
    return value


def memoized(builder: Callable[..., T]) -> Callable[..., T]:
    """Decorate a function of plain arguments (strings, numbers, None, tuples, lists, dicts) that builds a table
    from the datasets. Calls with unhashable arguments run the function every time."""
    memo: OrderedDict = OrderedDict()
    _MEMOS.append(memo)

    @functools.wraps(builder)
    def wrapper(*args, **kwargs):
        try:
            key = (_hashable(args), _hashable(kwargs), datasets.data_version())
        except TypeError:
            return builder(*args, **kwargs)
        if key in memo:
            memo.move_to_end(key)
            value = memo[key]
        else:
            value = memo[key] = builder(*args, **kwargs)
            if len(memo) > MAX_ENTRIES:
                memo.popitem(last=False)
        return independent(value)

    return wrapper


def independent(value):
    """A copy of ``value`` that its receiver can change freely. Tables are copied shallowly: under pandas 3's
    copy-on-write a change to the copy never reaches the memo's table (``attrs`` are copied deeply);
    containers are rebuilt around copies of their items; anything else is deep-copied."""
    import pandas as pd

    if isinstance(value, (pd.DataFrame, pd.Series, pd.Index)):
        return value.copy(deep=False)
    if isinstance(value, (str, bytes, int, float, bool, type(None))):
        return value
    if isinstance(value, dict):
        return type(value)((key, independent(item)) for key, item in value.items())
    if isinstance(value, list):
        return [independent(item) for item in value]
    if type(value) is tuple:
        return tuple(independent(item) for item in value)
    return copy.deepcopy(value)


def clear() -> None:
    """Forget every memoized result in this process."""
    for memo in _MEMOS:
        memo.clear()

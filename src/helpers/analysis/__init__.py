"""The analysis: pure functions over ``helpers.load`` that answer the four questions.

``statistics`` (growth, LQ, HHI, Gini, Theil, trend tests, shift-share, convergence), ``indicators`` (regional
indicator tables), one module per question (``ict_finance``, ``concentration``, ``productivity``), ``claims``
and ``profiles``. Imports ``helpers.pipeline`` and the shared modules; never imports ``helpers.runner``.
"""

"""Findings as data: the ``Finding`` and ``Metric`` objects with the one verdict rule (``model``), the one number
formatter (``numbers``) and the sentences filled from findings by each question's template (``wording``).
Imports ``helpers.data`` and the shared modules only; the questions build findings, ``helpers.show`` displays them
and ``helpers.site`` publishes them (``reports/findings.csv``, the landing page)."""

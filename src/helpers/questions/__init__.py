"""The answers, one package per question: ``ict_finance`` (1), ``concentration`` and ``ecosystem`` (2),
``productivity`` (3), ``claims`` and ``profiles`` (4). Each uses ``helpers.data`` and ``helpers.stats``; none
imports ``helpers.show`` or ``helpers.site``.
"""

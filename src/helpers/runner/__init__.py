"""The report runner behind ``regional-divide report``."""

from helpers.runner.core import *  # noqa: F403  (split into modules in this change)
from helpers.runner.core import result_table, run_reports  # noqa: F401

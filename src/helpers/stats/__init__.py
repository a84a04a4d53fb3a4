"""Statistics without data loading: growth rates, inequality, trend tests, regressions, growth accounting and
the robustness verdicts. Pure functions of tables and series; nothing here reads a dataset."""

"""Statistics without data loading: growth rates, inequality, trend tests, regressions, growth accounting and
trends and their intervals. Pure functions of tables and series; nothing here reads a dataset."""

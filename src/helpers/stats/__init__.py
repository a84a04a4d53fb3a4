"""Statistics without data loading: growth rates, inequality, trend tests with their intervals, rankings with ties,
regressions and growth accounting. Pure functions of tables and series; nothing here reads a dataset."""

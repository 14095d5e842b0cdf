"""File importers: Huifu's own daily-statistics layout (CSV, .xlsx) and the public ranking file.

Both are two-pass and all-or-nothing; see the module docstrings and README.md.
"""

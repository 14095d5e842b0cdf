from huifu.workdays.testing import official_calendar  # noqa: F401  (fixture)

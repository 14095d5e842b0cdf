"""``{% load kit %}``: the shared display filters (``huifu.core.display``).

``{{ x|money }}`` ¥1,177,164.00 · ``{{ x|amount }}`` 1,177,164.00 · ``{{ n|number }}`` 12,345 ·
``{{ d|day }}`` 2026-12-03 · ``{{ t|moment }}`` 2026-12-03 14:05 (Asia/Shanghai).
"""

from __future__ import annotations

from django import template

from huifu.core import display

register = template.Library()

register.filter("money", display.money, is_safe=True)
register.filter("amount", display.amount, is_safe=True)
register.filter("number", display.number, is_safe=True)
register.filter("day", display.day, is_safe=True)
register.filter("moment", display.moment, is_safe=True)

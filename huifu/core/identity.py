"""The exchange's identity, read in ONE place: ``exchange()``.

Everything that names the exchange (pages, e-mails, letters, calendar invitations, PDFs, Word
forms, generated documents) reads it here, never from a string in code. The data lives in
``huifu.publicsite.models.SiteIdentity`` (names, subsidiary, contacts, logo, notice-number
prefix) and ``huifu.hotline.models.HotlineSetting`` (the hotline in force and the next one
announced); departments and their 文号 prefixes stay in ``huifu.directory`` and
``huifu.servicedesk``, products in ``huifu.products``.

Python::

    from huifu.core.identity import exchange
    ex = exchange()
    ex.name          # in the active language (Chinese name unless English is active)
    ex.name_zh, ex.short_name_zh, ex.subsidiary_name_zh, ex.service_mailbox, ex.hotline

Templates: the context processor ``huifu.core.context_processors.site`` puts it in every page
as ``exchange`` (``{{ exchange.name }}``, ``{% if exchange.logo_url %}``).

Cache: the value is kept in Django's default cache for ``CACHE_SECONDS`` under a key that
includes today's date (the hotline in force changes at midnight). Saving or deleting the
identity row or a hotline setting clears it (signals in ``huifu.publicsite.apps``); with a
per-process cache, other processes see a change within ``CACHE_SECONDS``.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.core.cache import cache
from django.utils import timezone, translation

CACHE_KEY = "huifu:identity:v1"
CACHE_SECONDS = 60


def _english() -> bool:
    return (translation.get_language() or "").startswith("en")


@dataclasses.dataclass(frozen=True)
class Exchange:
    name_zh: str
    name_en: str
    short_name_zh: str
    short_name_en: str
    subsidiary_name_zh: str
    subsidiary_name_en: str
    subsidiary_short_zh: str
    subsidiary_short_en: str
    platform_zh: str
    platform_en: str
    intro_zh: str
    intro_en: str
    address: str
    phone: str
    email: str
    service_mailbox: str
    website: str
    doc_prefix: str
    logo_url: str
    hotline: str
    hotline_next: str
    hotline_next_from: datetime.date | None
    updated_at: datetime.datetime | None

    def _pick(self, zh: str, en: str) -> str:
        return (en or zh) if _english() else zh

    @property
    def name(self) -> str:
        """The full name in the active language."""
        return self._pick(self.name_zh, self.name_en)

    @property
    def short_name(self) -> str:
        """The short name in the active language (the full name when none is set)."""
        return self._pick(self.short_name_zh or self.name_zh, self.short_name_en or self.name_en)

    @property
    def subsidiary_name(self) -> str:
        return self._pick(self.subsidiary_name_zh, self.subsidiary_name_en)

    @property
    def subsidiary_short(self) -> str:
        return self._pick(
            self.subsidiary_short_zh or self.subsidiary_name_zh, self.subsidiary_short_en or self.subsidiary_name_en
        )

    @property
    def has_subsidiary(self) -> bool:
        return bool(self.subsidiary_name_zh)

    @property
    def platform(self) -> str:
        return self._pick(self.platform_zh, self.platform_en)

    @property
    def intro(self) -> str:
        return self._pick(self.intro_zh, self.intro_en)

    @property
    def mailbox(self) -> str:
        """Where member companies write: the Market Service Center mailbox, else the public e-mail."""
        return self.service_mailbox or self.email

    def doc_number(self, year: int, number: int) -> str:
        """A notice number in the exchange's own style, e.g. ``<prefix>〔2023〕61号``."""
        return f"{self.doc_prefix}〔{year}〕{number}号"


def _load(today: datetime.date) -> Exchange:
    from huifu.hotline.models import HotlineSetting
    from huifu.publicsite.models import SiteIdentity

    row = SiteIdentity.current()
    settings = list(HotlineSetting.objects.order_by("effective_from").values_list("number", "effective_from"))
    in_force = [s for s in settings if s[1] <= today]
    announced = [s for s in settings if s[1] > today]
    logo_url = ""
    if row.logo_id:
        from django.urls import reverse

        logo_url = reverse("publicsite:logo", args=[row.logo_id])
    return Exchange(
        name_zh=row.name_zh,
        name_en=row.name_en,
        short_name_zh=row.short_name_zh,
        short_name_en=row.short_name_en,
        subsidiary_name_zh=row.subsidiary_name_zh,
        subsidiary_name_en=row.subsidiary_name_en,
        subsidiary_short_zh=row.subsidiary_short_zh,
        subsidiary_short_en=row.subsidiary_short_en,
        platform_zh=row.platform_zh,
        platform_en=row.platform_en,
        intro_zh=row.intro_zh,
        intro_en=row.intro_en,
        address=row.address,
        phone=row.phone,
        email=row.email,
        service_mailbox=row.service_mailbox,
        website=row.website,
        doc_prefix=row.doc_prefix,
        logo_url=logo_url,
        hotline=in_force[-1][0] if in_force else row.phone,
        hotline_next=announced[0][0] if announced else "",
        hotline_next_from=announced[0][1] if announced else None,
        updated_at=row.updated_at,
    )


def _key(day: datetime.date) -> str:
    return f"{CACHE_KEY}:{day.isoformat()}"


def exchange(on: datetime.date | None = None) -> Exchange:
    """The exchange's identity; the hotline is the one in force ``on`` (default today).
    Today's value is cached (no query on a hit, two on a miss); another day is read fresh."""
    today = timezone.localdate()
    if on is not None and on != today:
        return _load(on)
    value = cache.get(_key(today))
    if value is None:
        value = _load(today)
        cache.set(_key(today), value, CACHE_SECONDS)
    return value


def _forget() -> None:
    today = timezone.localdate()
    cache.delete_many([_key(today + datetime.timedelta(days=d)) for d in (-1, 0, 1)])


def invalidate(**_kwargs: object) -> None:
    """Forget the cached identity now and again when the transaction commits (a value read
    inside a transaction that rolls back must not outlive it). Connected to the save and
    delete of the identity row and of the hotline settings (``huifu.publicsite.apps``)."""
    from django.db import transaction

    _forget()
    transaction.on_commit(_forget)

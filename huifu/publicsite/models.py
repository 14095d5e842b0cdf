"""The exchange's identity (名称, 简称, 子公司, 联系方式, 标志, 文号前缀): data, edited by
Member Management on the identity page (``core:identity``), never text in code. One row.

Read it through ``huifu.core.identity.exchange()`` (cached, invalidated on save), not through
this model: the accessor also carries the hotline in force and the one announced
(``huifu.hotline``), and the logo's public URL. A second exchange is configured by loading a
profile (``manage.py load_exchange_profile``), see docs/identity.md."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class SiteIdentity(models.Model):
    singleton = models.BooleanField(default=True, editable=False, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100, default="期货交易所")
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True, default="Futures Exchange")
    short_name_zh = models.CharField(
        _("short name (Chinese)"), max_length=30, blank=True, help_text=_("As the exchange calls itself in a text.")
    )
    short_name_en = models.CharField(
        _("short name (English)"), max_length=30, blank=True, help_text=_("Its abbreviation, as on product lists.")
    )
    subsidiary_name_zh = models.CharField(
        _("subsidiary (Chinese)"),
        max_length=100,
        blank=True,
        help_text=_("A subsidiary exchange listing some of the products; leave empty if there is none."),
    )
    subsidiary_name_en = models.CharField(_("subsidiary (English)"), max_length=150, blank=True)
    subsidiary_short_zh = models.CharField(_("subsidiary short name (Chinese)"), max_length=30, blank=True)
    subsidiary_short_en = models.CharField(_("subsidiary short name (English)"), max_length=30, blank=True)
    platform_zh = models.CharField(_("platform name (Chinese)"), max_length=100, default="会员服务与投资者教育平台")
    platform_en = models.CharField(
        _("platform name (English)"), max_length=150, blank=True, default="Member Services and Investor Education"
    )
    intro_zh = models.TextField(_("introduction (Chinese)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    service_mailbox = models.EmailField(
        _("Market Service Center mailbox"),
        blank=True,
        help_text=_("Where member companies send their Member Voice forms; printed on the form."),
    )
    website = models.URLField(_("website"), blank=True)
    doc_prefix = models.CharField(
        _("notice number prefix"),
        max_length=20,
        blank=True,
        help_text=_("The prefix of the exchange's notice numbers, as in “prefix〔2023〕61号”."),
    )
    logo = models.ForeignKey(
        "files.StoredFile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logo"),
    )
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    class Meta:
        verbose_name = _("exchange identity")
        verbose_name_plural = _("exchange identity")
        constraints = [models.CheckConstraint(condition=Q(singleton=True), name="publicsite_one_identity")]

    def __str__(self) -> str:
        return self.name_zh

    @classmethod
    def current(cls) -> SiteIdentity:
        """The saved row, or an unsaved one with the neutral defaults (before any profile)."""
        return cls.objects.select_related("logo").first() or cls()

    def _pick(self, zh: str, en: str) -> str:
        english = (translation.get_language() or "").startswith("en")
        return (en or zh) if english else zh

    @property
    def name(self) -> str:
        return self._pick(self.name_zh, self.name_en)

    @property
    def platform(self) -> str:
        return self._pick(self.platform_zh, self.platform_en)

    @property
    def intro(self) -> str:
        return self._pick(self.intro_zh, self.intro_en)

"""The exchange's identity as the public site shows it (名称, 简介, 联系方式): data, edited by
staff in the admin, not text in a template. One row; without it the defaults below show."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class SiteIdentity(models.Model):
    singleton = models.BooleanField(default=True, editable=False, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100, default="上海期货交易所")
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True, default="Shanghai Futures Exchange")
    platform_zh = models.CharField(_("platform name (Chinese)"), max_length=100, default="会员服务与投资者教育平台")
    platform_en = models.CharField(
        _("platform name (English)"), max_length=150, blank=True, default="Member Services and Investor Education"
    )
    intro_zh = models.TextField(_("introduction (Chinese)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    class Meta:
        verbose_name = _("site identity")
        verbose_name_plural = _("site identity")
        constraints = [models.CheckConstraint(condition=Q(singleton=True), name="publicsite_one_identity")]

    def __str__(self) -> str:
        return self.name_zh

    @classmethod
    def current(cls) -> SiteIdentity:
        """The saved row, or an unsaved one with the defaults (a fresh installation)."""
        return cls.objects.first() or cls()

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

"""The organisation directory: who exists, and the exchange's departments and liaison people."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from .regions import Region


def localized_name(obj: Any) -> str:
    """The English name for a reader in English when there is one, else the Chinese name
    (issue #10, point 13). Stored text (letters, audit labels) is written by the code that
    writes it; this is only how a record names itself on a page."""
    if obj.name_en and (get_language() or "").startswith("en"):
        return obj.name_en
    return obj.name_zh


class OrganisationKind(models.TextChoices):
    FUTURES_COMPANY = "futures_company", pgettext_lazy("organisation kind", "Futures company member")
    PLATFORM_TRADER = "platform_trader", pgettext_lazy("organisation kind", "Comprehensive business platform trader")
    INDUSTRY_ASSOCIATION = "industry_association", pgettext_lazy("organisation kind", "Industry association")
    UNIVERSITY = "university", pgettext_lazy("organisation kind", "University")
    ENTERPRISE = "enterprise", pgettext_lazy("organisation kind", "Enterprise")
    OVERSEAS_BROKER = "overseas_broker", pgettext_lazy("organisation kind", "Overseas broker")
    TRAINING_INSTITUTION = "training_institution", pgettext_lazy("organisation kind", "Training institution")
    CSRC_BUREAU = "csrc_bureau", pgettext_lazy("organisation kind", "CSRC local bureau")

    @classmethod
    def member_kinds(cls) -> frozenset[str]:
        """Kinds whose users are 'member-company users'."""
        return frozenset({cls.FUTURES_COMPANY, cls.PLATFORM_TRADER})

    @classmethod
    def partner_kinds(cls) -> frozenset[str]:
        return frozenset(
            {
                cls.INDUSTRY_ASSOCIATION,
                cls.UNIVERSITY,
                cls.ENTERPRISE,
                cls.OVERSEAS_BROKER,
                cls.TRAINING_INSTITUTION,
            }
        )

    @classmethod
    def regulator_kinds(cls) -> frozenset[str]:
        return frozenset({cls.CSRC_BUREAU})


class OrganisationStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("organisation status", "Active")
    SUSPENDED = "suspended", pgettext_lazy("organisation status", "Suspended")


class Organisation(models.Model):
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices, db_index=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    member_number = models.CharField(
        _("member number"),
        max_length=16,
        null=True,
        blank=True,
        unique=True,
        help_text=_("The exchange's member number; required for futures company members."),
    )
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        null=True,
        blank=True,
        unique=True,
        help_text=_("18-character unified social credit code, where it applies."),
    )
    region = models.CharField(_("region"), max_length=16, choices=Region.choices, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=OrganisationStatus.choices, default=OrganisationStatus.ACTIVE
    )
    email = models.EmailField(_("general e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    require_mfa = models.BooleanField(
        _("require two-factor authentication"),
        default=False,
        help_text=_("Set by the organisation's admin: every user of the organisation must use TOTP."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "name_zh"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                name="org_futures_company_has_member_number",
                condition=~Q(kind="futures_company") | Q(member_number__isnull=False),
                violation_error_message=_("A futures company member needs a member number."),
            ),
            models.CheckConstraint(
                name="org_csrc_bureau_has_region",
                condition=~Q(kind="csrc_bureau") | ~Q(region=""),
                violation_error_message=_("A CSRC bureau needs a region."),
            ),
        ]

    def __str__(self) -> str:
        return localized_name(self)

    @property
    def is_member(self) -> bool:
        return self.kind in OrganisationKind.member_kinds()

    @property
    def is_active(self) -> bool:
        return self.status == OrganisationStatus.ACTIVE


class ContactRole(models.TextChoices):
    PRINCIPAL = "principal", pgettext_lazy("contact role", "Principal (head of the organisation)")
    LIAISON = "liaison", pgettext_lazy("contact role", "Liaison person")
    BUSINESS = "business", pgettext_lazy("contact role", "Business contact")
    COMPLIANCE = "compliance", pgettext_lazy("contact role", "Compliance / risk officer")
    OTHER = "other", pgettext_lazy("contact role", "Other")


class Contact(models.Model):
    """A person at an organisation. A contact may or may not have a login (``user``)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="contacts", verbose_name=_("organisation")
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=80)
    role = models.CharField(_("role"), max_length=16, choices=ContactRole.choices, default=ContactRole.LIAISON)
    title = models.CharField(_("job title"), max_length=80, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)
    user = models.OneToOneField(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact",
        verbose_name=_("login"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation_id", "-is_primary", "name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=~Q(email=""),
                name="contact_unique_email_per_org",
                violation_error_message=_("This organisation already has a contact with this e-mail."),
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(is_primary=True),
                name="contact_one_primary_per_org",
                violation_error_message=_("An organisation has only one primary contact."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class DepartmentKind(models.TextChoices):
    COORDINATOR = "coordinator", pgettext_lazy("department kind", "Coordinator (Member Management)")
    BUSINESS = "business", pgettext_lazy("department kind", "Business department")
    MARKET_SERVICE_CENTER = "msc", pgettext_lazy("department kind", "Market Service Center")
    FINANCE = "finance", pgettext_lazy("department kind", "Finance")
    # The subsidiary exchange (its name is the identity's, huifu.core.identity); the stored code
    # is kept as first written so that saved departments keep their role.
    SUBSIDIARY = "ine", pgettext_lazy("department kind", "Subsidiary exchange")
    OTHER = "other", pgettext_lazy("department kind", "Other")


# Compatibility alias for code written before the role was renamed; use SUBSIDIARY.
DepartmentKind.INE = DepartmentKind.SUBSIDIARY  # identity-guard: compatibility alias


class Department(models.Model):
    """An exchange department. Member Management (kind ``coordinator``) routes member matters."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=DepartmentKind.choices)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    webhook_url = models.URLField(
        _("notification webhook"), blank=True, help_text=_("Optional group robot URL (e.g. WeCom).")
    )
    sort_order = models.PositiveIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)
    # Bumped by the services whenever the department, its business areas or its liaison people
    # change: the member-facing list shows the latest of these as "last updated".
    updated_at = models.DateTimeField(_("last updated"), default=timezone.now)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return localized_name(self)


class BusinessArea(models.Model):
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="business_areas", verbose_name=_("department")
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["department__sort_order", "sort_order", "id"]
        verbose_name = _("business area")
        verbose_name_plural = _("business areas")
        constraints = [
            models.UniqueConstraint(fields=["department", "name_zh"], name="business_area_unique_per_department")
        ]

    def __str__(self) -> str:
        return localized_name(self)


class Liaison(models.Model):
    """A liaison person published on the member-facing 'departments and liaison people' column."""

    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="liaisons", verbose_name=_("department")
    )
    business_area = models.ForeignKey(
        BusinessArea,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="liaisons",
        verbose_name=_("business area"),
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=80)
    title = models.CharField(_("job title"), max_length=80, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=100)
    is_published = models.BooleanField(pgettext_lazy("status", "published"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["department__sort_order", "sort_order", "id"]
        verbose_name = _("liaison person")
        verbose_name_plural = _("liaison people")

    def __str__(self) -> str:
        return f"{self.name} ({self.department})"

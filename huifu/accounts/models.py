"""Accounts: every person who logs in, what kind of user they are and what they belong to."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserKind(models.TextChoices):
    STAFF = "staff", _("Exchange staff")
    MEMBER = "member", _("Member company user")
    PARTNER = "partner", _("Partner user")
    REGULATOR = "regulator", _("Regulator user")
    PUBLIC = "public", _("Public participant")
    # The named actor of work done by the system (seeding, jobs, imports): huifu.accounts.system.
    SYSTEM = "system", _("System")


class OrgRole(models.TextChoices):
    ADMIN = "admin", _("Organisation admin")
    CONTACT = "contact", _("Contact")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        # A superuser runs the Django admin site only; business access still follows kind.
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("kind", UserKind.PUBLIC)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=80, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    kind = models.CharField(_("kind of user"), max_length=16, choices=UserKind.choices, default=UserKind.PUBLIC)
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("organisation"),
    )
    org_role = models.CharField(_("role in organisation"), max_length=16, choices=OrgRole.choices, blank=True)
    department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("department"),
    )
    is_department_head = models.BooleanField(_("head of department"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    # Django admin site access only (superusers); business permissions never read this.
    is_staff = models.BooleanField(_("Django admin access"), default=False)
    preferred_language = models.CharField(_("language"), max_length=8, blank=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="user_staff_has_department_only",
                condition=~Q(kind="staff") | Q(department__isnull=False, organisation__isnull=True),
                violation_error_message=_("Exchange staff belong to a department and to no organisation."),
            ),
            models.CheckConstraint(
                name="user_org_kinds_have_organisation",
                condition=~Q(kind__in=["member", "partner", "regulator"])
                | Q(organisation__isnull=False, department__isnull=True),
                violation_error_message=_("Member, partner and regulator users belong to an organisation."),
            ),
            models.CheckConstraint(
                name="user_public_has_no_affiliation",
                condition=~Q(kind="public") | Q(organisation__isnull=True, department__isnull=True),
                violation_error_message=_("A public participant belongs to no organisation or department."),
            ),
            models.CheckConstraint(
                name="user_org_role_only_with_organisation",
                condition=Q(organisation__isnull=False) | Q(org_role=""),
                violation_error_message=_("Only users of an organisation have a role in it."),
            ),
            models.CheckConstraint(
                name="user_system_is_inactive_and_unaffiliated",
                condition=~Q(kind="system") | Q(is_active=False, organisation__isnull=True, department__isnull=True),
                violation_error_message=_("The system actor cannot log in and belongs to no organisation."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def save(self, *args: object, **kwargs: object) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    # Convenience flags read by permission predicates. They never query the database
    # beyond the already-loaded department/organisation rows.
    @property
    def is_exchange_staff(self) -> bool:
        return self.is_authenticated and self.kind == UserKind.STAFF

    @property
    def is_member_user(self) -> bool:
        return self.kind == UserKind.MEMBER

    @property
    def is_partner_user(self) -> bool:
        return self.kind == UserKind.PARTNER

    @property
    def is_regulator(self) -> bool:
        return self.kind == UserKind.REGULATOR

    @property
    def is_org_admin(self) -> bool:
        return self.organisation_id is not None and self.org_role == OrgRole.ADMIN

    @property
    def is_coordinator(self) -> bool:
        """Member Management staff: the coordinator of member matters."""
        from huifu.directory.models import DepartmentKind

        return (
            self.is_exchange_staff
            and self.department is not None
            and self.department.kind == DepartmentKind.COORDINATOR
        )

    @property
    def mfa_required(self) -> bool:
        """TOTP is mandatory for staff and regulators, and for users of an organisation that demands it."""
        if self.kind in (UserKind.STAFF, UserKind.REGULATOR):
            return True
        return self.organisation is not None and self.organisation.require_mfa


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class PersonalAccessTokenQuerySet(models.QuerySet["PersonalAccessToken"]):
    def usable(self) -> PersonalAccessTokenQuerySet:
        now = timezone.now()
        return self.filter(revoked_at__isnull=True, user__is_active=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class PersonalAccessToken(models.Model):
    """An API token. Only its SHA-256 hash is stored; the raw value is shown once at creation."""

    PREFIX = "hf_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=80)
    key_hash = models.CharField(max_length=64, unique=True)
    key_prefix = models.CharField(_("starts with"), max_length=12)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = PersonalAccessTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("personal access token")
        verbose_name_plural = _("personal access tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @classmethod
    def generate(cls) -> tuple[str, str, str]:
        """Return (raw token, hash, display prefix)."""
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        return raw, _hash_token(raw), raw[:10]

    @staticmethod
    def hash(raw: str) -> str:
        return _hash_token(raw)

    @property
    def is_usable(self) -> bool:
        if self.revoked_at is not None or not self.user.is_active:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()

"""Finding the company a form or a message is from."""

from __future__ import annotations

import re

from huifu.accounts.models import User
from huifu.directory.models import Contact, Organisation, OrganisationKind

# "xx期货公司“一站通”会员之声反馈" with any kind of quotes, spaces, brackets or a trailing 表.
CONVENTION = re.compile(r"^(?P<company>.*?)\s*[“”\"「『']?\s*一站通\s*[”“\"」』']?\s*会员之声\s*反馈表?")
SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "公司")


def normalise(name: str) -> str:
    text = re.sub(r"[\s（）()【】\[\]“”\"'·,，。]", "", name or "")
    for prefix in ("回复:", "回复：", "RE:", "Re:", "re:", "Fw:", "FW:", "转发:", "转发："):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    return text


def _core(name: str) -> str:
    text = normalise(name)
    for suffix in SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            return text[: -len(suffix)]
    return text


def subject_company(subject: str) -> tuple[bool, str]:
    """(follows the convention, company part of the subject)."""
    text = normalise(subject)
    match = CONVENTION.match(text)
    if not match:
        return False, ""
    return True, match.group("company")


def company_lookup(name: str) -> Organisation | None:
    """The member company called ``name`` (full name, short name, or the full name without
    "有限公司" and the like), or None when none or several match."""
    core = _core(name)
    if len(core) < 2:
        return None
    members = Organisation.objects.filter(kind__in=OrganisationKind.member_kinds())
    exact = list(members.filter(name_zh=name.strip())[:2]) or list(members.filter(short_name=name.strip())[:2])
    if len(exact) == 1:
        return exact[0]
    candidates = []
    for org in members.only("pk", "name_zh", "short_name", "kind"):
        names = {_core(org.name_zh), normalise(org.short_name)} - {""}
        if core in names:
            candidates.append(org)
    if len(candidates) == 1:
        return candidates[0]
    return None


def same_company(name: str, organisation: Organisation) -> bool:
    core = _core(name)
    return bool(core) and core in ({_core(organisation.name_zh), normalise(organisation.short_name)} - {""})


def sender_company(address: str) -> tuple[Organisation | None, str]:
    """(company, how) for a sender address: a directory contact first, then a user account."""
    if not address:
        return None, ""
    orgs = {
        c.organisation_id: c.organisation
        for c in Contact.objects.filter(
            email__iexact=address, organisation__kind__in=OrganisationKind.member_kinds()
        ).select_related("organisation")
    }
    if len(orgs) == 1:
        return next(iter(orgs.values())), "contact_email"
    user = (
        User.objects.filter(
            email__iexact=address, is_active=True, organisation__kind__in=OrganisationKind.member_kinds()
        )
        .select_related("organisation")
        .first()
    )
    if user is not None:
        return user.organisation, "user_email"
    return None, ""

"""Demo directory for ``manage.py seed_demo``: the exchange's departments with business areas and
liaison people, about 150 futures company members (x scale), platform traders, associations,
universities, enterprises, overseas brokers, training institutions, all 36 CSRC local bureaus,
and a few contacts per organisation.

Safe to run twice: records are keyed by their natural key (department code, organisation
Chinese name, contact e-mail) and only missing ones are created, in bulk; existing records, and
whatever staff changed in them, are left alone. Demo seeding writes no audit entries.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import IO

from .demo_data import (
    AREA_CODES,
    ASSOCIATIONS,
    BRAND_PREFIXES,
    CITY_PREFIXES,
    DEPARTMENTS,
    DIVISION_CODES,
    ENTERPRISES,
    FUTURES_COMPANIES,
    GIVEN_NAMES,
    OVERSEAS_BROKERS,
    PLATFORM_TRADERS,
    REGION_ZH,
    SURNAMES,
    TRAINING_INSTITUTIONS,
    UNIVERSITIES,
)
from .models import BusinessArea, Contact, ContactRole, Department, Liaison, Organisation, OrganisationKind
from .regions import Region
from .validators import make_uscc

FUTURES_COMPANIES_PER_SCALE = 150
EXCHANGE_PHONE_PREFIX = "021-6869"


def _digits(seed: str, n: int) -> str:
    return str(int(hashlib.sha256(seed.encode()).hexdigest(), 16))[-n:].rjust(n, "0")


def _uscc(name: str, region: str, registration: str, taken: set[str]) -> str:
    """A well-formed (made-up) credit code, unique among ``taken``."""
    division = DIVISION_CODES.get(region, "310000")
    attempt = 0
    while True:
        code = make_uscc(registration=registration, division=division, org_body=_digits(f"{name}/{attempt}", 8))
        if code not in taken:
            taken.add(code)
            return code
        attempt += 1


def _person(i: int) -> str:
    return SURNAMES[i % len(SURNAMES)] + GIVEN_NAMES[(i * 7 + i // len(SURNAMES)) % len(GIVEN_NAMES)]


def _phone(region: str, i: int) -> str:
    return f"{AREA_CODES.get(region, '021')}-{_digits(f'phone{i}', 8)}"


def futures_companies(count: int) -> Iterator[tuple[str, str, str, str, str]]:
    """(Chinese name, English name, short name, member number, region) for ``count`` companies."""
    for index in range(count):
        number = f"{index + 1:04d}"
        if index < len(FUTURES_COMPANIES):
            short, brand, region, joint_stock = FUTURES_COMPANIES[index]
            suffix = "期货股份有限公司" if joint_stock else "期货有限公司"
            name = short.removesuffix("期货") + suffix
            english = f"{brand} Co., Ltd."
        else:
            k = index - len(FUTURES_COMPANIES)
            city, city_en, region = CITY_PREFIXES[k % len(CITY_PREFIXES)]
            brand, brand_en = BRAND_PREFIXES[(k // len(CITY_PREFIXES)) % len(BRAND_PREFIXES)]
            rounds = k // (len(CITY_PREFIXES) * len(BRAND_PREFIXES))
            extra = f"{rounds + 1}" if rounds else ""
            short = f"{city}{brand}{extra}期货"
            name = f"{city}{brand}{extra}期货有限公司"
            english = f"{city_en} {brand_en}{(' ' + extra) if extra else ''} Futures Co., Ltd."
        yield name, english, short, number, region


def _organisation_specs(scale: int, taken: set[str]) -> list[Organisation]:
    specs: list[Organisation] = []
    for name, english, short, number, region in futures_companies(FUTURES_COMPANIES_PER_SCALE * scale):
        specs.append(Organisation(
            kind=OrganisationKind.FUTURES_COMPANY, name_zh=name, name_en=english, short_name=short,
            member_number=number, uscc=_uscc(name, region, "91", taken), region=region,
            email=f"office@m{number}.example", phone=_phone(region, int(number)),
            address=f"{REGION_ZH.get(region, '上海')}市金融街{int(number) % 200 + 1}号",
        ))  # fmt: skip
    groups = (
        (OrganisationKind.PLATFORM_TRADER, PLATFORM_TRADERS, "91"),
        (OrganisationKind.INDUSTRY_ASSOCIATION, ASSOCIATIONS, "51"),
        (OrganisationKind.UNIVERSITY, UNIVERSITIES, "12"),
        (OrganisationKind.ENTERPRISE, ENTERPRISES, "91"),
        (OrganisationKind.TRAINING_INSTITUTION, TRAINING_INSTITUTIONS, "91"),
    )
    for kind, rows, registration in groups:
        for i, (name, english, region) in enumerate(rows, start=1):
            specs.append(Organisation(
                kind=kind, name_zh=name, name_en=english, region=region, uscc=_uscc(name, region, registration, taken),
                email=f"contact@{kind.replace('_', '-')}{i}.example", phone=_phone(region, 5000 + len(specs)),
            ))  # fmt: skip
    for i, (name, english) in enumerate(OVERSEAS_BROKERS, start=1):
        specs.append(
            Organisation(
                kind=OrganisationKind.OVERSEAS_BROKER,
                name_zh=name,
                name_en=english,
                region=Region.OVERSEAS,
                email=f"desk@overseas{i}.example",
            )
        )
    for region, zh in REGION_ZH.items():
        name = f"中国证券监督管理委员会{zh}监管局"
        specs.append(Organisation(
            kind=OrganisationKind.CSRC_BUREAU, name_zh=name, name_en=f"CSRC {Region(region).label} Bureau",
            short_name=f"{zh}证监局", region=region, uscc=_uscc(name, region, "11", taken),
            email=f"office@csrc-{region.replace('_', '-')}.example",
        ))  # fmt: skip
    return specs


def _seed_organisations(scale: int) -> tuple[int, int]:
    existing = set(Organisation.objects.values_list("name_zh", flat=True))
    taken = set(Organisation.objects.exclude(uscc=None).values_list("uscc", flat=True))
    numbers = set(Organisation.objects.exclude(member_number=None).values_list("member_number", flat=True))
    missing = []
    for org in _organisation_specs(scale, taken):
        if org.name_zh in existing or (org.member_number and org.member_number in numbers):
            continue
        missing.append(org)
    Organisation.objects.bulk_create(missing, batch_size=500)
    return len(missing), _seed_contacts()


def _seed_contacts() -> int:
    """Three contacts (principal, liaison, compliance) for every demo organisation that has none."""
    with_contacts = set(Contact.objects.values_list("organisation_id", flat=True).distinct())
    organisations = Organisation.objects.exclude(pk__in=with_contacts).exclude(email="").order_by("pk")
    new: list[Contact] = []
    roles = ((ContactRole.PRINCIPAL, "总经理", True), (ContactRole.LIAISON, "交易所联络人", False),
             (ContactRole.COMPLIANCE, "合规负责人", False))  # fmt: skip
    for org in organisations.only("pk", "email", "region").iterator(chunk_size=1000):
        domain = org.email.split("@", 1)[1]
        for j, (role, title, primary) in enumerate(roles):
            seq = org.pk * 3 + j
            new.append(Contact(
                organisation_id=org.pk, name=_person(seq), role=role, title=title, is_primary=primary,
                phone=_phone(org.region, seq), email=f"{role}@{domain}",
            ))  # fmt: skip
    Contact.objects.bulk_create(new, batch_size=1000)
    return len(new)


def _seed_departments() -> tuple[int, int]:
    created_areas = created_people = 0
    for order, (code, kind, name_zh, name_en, areas, people) in enumerate(DEPARTMENTS, start=1):
        department, _created = Department.objects.get_or_create(
            code=code, defaults={"kind": kind, "name_zh": name_zh, "name_en": name_en, "sort_order": order * 10}
        )
        have = {a.name_zh: a for a in department.business_areas.all()}
        new_areas = [
            BusinessArea(department=department, name_zh=area, sort_order=i * 10)
            for i, area in enumerate(areas, start=1)
            if area not in have
        ]
        BusinessArea.objects.bulk_create(new_areas)
        created_areas += len(new_areas)
        have = {a.name_zh: a for a in department.business_areas.all()}
        known = set(department.liaisons.values_list("name", flat=True))
        domain = "ine.example" if kind == "ine" else "shfe.example"
        new_people = [
            Liaison(
                department=department, business_area=have.get(area), name=name, title=title,
                phone=f"{EXCHANGE_PHONE_PREFIX}{ext}", email=f"{code.replace('-', '')}{ext}@{domain}",
                sort_order=i * 10,
            )
            for i, (area, name, title, ext) in enumerate(people, start=1)
            if name not in known
        ]  # fmt: skip
        Liaison.objects.bulk_create(new_people)
        created_people += len(new_people)
    return created_areas, created_people


def seed(*, scale: int = 1, stdout: IO[str] | None = None) -> None:
    """Create the demo directory (missing records only). ``scale`` multiplies futures companies and
    their contacts: 150 x scale companies."""
    areas, people = _seed_departments()
    organisations, contacts = _seed_organisations(scale)
    if stdout is not None:
        stdout.write(
            f"Directory: {Department.objects.count()} departments (+{areas} business areas, +{people} liaison "
            f"people new), {Organisation.objects.count()} organisations (+{organisations} new), "
            f"{Contact.objects.count()} contacts (+{contacts} new)\n"
        )

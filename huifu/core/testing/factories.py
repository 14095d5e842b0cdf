"""factory_boy factories for the directory and accounts. Workflow state is built by calling
the real services in tests, never by writing status fields directly."""

from __future__ import annotations

import factory

from huifu.accounts.models import OrgRole, User, UserKind
from huifu.directory.models import Contact, Department, DepartmentKind, Organisation, OrganisationKind
from huifu.directory.regions import Region

TEST_PASSWORD = "correct-horse-battery-staple"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"dept{n}")
    kind = DepartmentKind.BUSINESS
    name_zh = factory.Sequence(lambda n: f"业务部门{n}")
    name_en = factory.Sequence(lambda n: f"Business Department {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.FUTURES_COMPANY
    name_zh = factory.Sequence(lambda n: f"测试{n}期货有限公司")
    name_en = factory.Sequence(lambda n: f"Test {n} Futures Co., Ltd.")
    short_name = factory.Sequence(lambda n: f"测试{n}")
    # Five digits starting with 7: never one of the numbers tests write by hand ("0101" for
    # org_a, "0202", "0303", "9999" …). A four-digit sequence reached "0101" after 100 companies
    # and failed whichever test then met org_a, depending on the order tests ran in.
    member_number = factory.LazyAttributeSequence(
        lambda o, n: f"7{n:04d}" if o.kind == OrganisationKind.FUTURES_COMPANY else None
    )
    region = Region.SHANGHAI


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    kind = UserKind.PUBLIC
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


def staff_user(department: Department, **kwargs: object) -> User:
    return UserFactory(kind=UserKind.STAFF, department=department, **kwargs)


def org_user(organisation: Organisation, role: str = OrgRole.CONTACT, **kwargs: object) -> User:
    if organisation.kind in OrganisationKind.member_kinds():
        kind = UserKind.MEMBER
    elif organisation.kind in OrganisationKind.regulator_kinds():
        kind = UserKind.REGULATOR
    else:
        kind = UserKind.PARTNER
    return UserFactory(kind=kind, organisation=organisation, org_role=role, **kwargs)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"联系人{n}")
    email = factory.Sequence(lambda n: f"contact{n}@example.com")
    phone = "021-68400000"

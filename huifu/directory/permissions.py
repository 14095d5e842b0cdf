"""Who may see and change what in the directory.

    staff (any department)         read every organisation, contact, department
    coordinator (Member Management) also create/change organisations, contacts, departments, liaisons
    org user (member/partner/regulator)  read only their own organisation and its contacts
    org admin                      also edit their organisation's contacts and its contact fields
                                   (e-mail, phone, address) - never kind, member number, USCC or status
    public user                    nothing of the directory
The liaison page ("departments and liaison people") is for staff, member, partner and regulator users.
"""

from __future__ import annotations

import rules

from huifu.accounts.predicates import (
    is_coordinator,
    is_member_user,
    is_org_admin,
    is_org_user,
    is_partner_user,
    is_regulator,
    is_staff_user,
)


@rules.predicate
def is_own_organisation(user, organisation) -> bool:  # noqa: ANN001
    return organisation is not None and user.organisation_id is not None and user.organisation_id == organisation.pk


@rules.predicate
def is_own_contact(user, contact) -> bool:  # noqa: ANN001
    return contact is not None and user.organisation_id is not None and user.organisation_id == contact.organisation_id


can_view_directory = is_staff_user | is_org_user

rules.add_perm("directory.view_organisation_list", can_view_directory)
rules.add_perm("directory.view_organisation", is_staff_user | (is_org_user & is_own_organisation))
rules.add_perm("directory.add_organisation", is_coordinator)
# Contact fields (e-mail, phone, address) of an organisation.
rules.add_perm("directory.change_organisation", is_coordinator | (is_org_admin & is_own_organisation))
# Names, kind, member number, USCC, region: the registration data only Member Management keeps.
rules.add_perm("directory.change_organisation_registration", is_coordinator)
rules.add_perm("directory.suspend_organisation", is_coordinator)
rules.add_perm("directory.import_directory", is_coordinator)
rules.add_perm("directory.export_directory", can_view_directory)

rules.add_perm("directory.view_contact", is_staff_user | (is_org_user & is_own_contact))
# Object: the organisation the contact would be added to.
rules.add_perm("directory.add_contact", is_coordinator | (is_org_admin & is_own_organisation))
rules.add_perm("directory.change_contact", is_coordinator | (is_org_admin & is_own_contact))
rules.add_perm("directory.delete_contact", is_coordinator | (is_org_admin & is_own_contact))

rules.add_perm("directory.manage_departments", is_coordinator)
rules.add_perm("directory.view_liaisons", is_staff_user | is_member_user | is_partner_user | is_regulator)


# The organisation fields a user may change, in one place for forms, the API and the services.
ORGANISATION_CONTACT_FIELDS: tuple[str, ...] = ("email", "phone", "address")
ORGANISATION_REGISTRATION_FIELDS: tuple[str, ...] = (
    "kind",
    "name_zh",
    "name_en",
    "short_name",
    "member_number",
    "uscc",
    "region",
)


def organisation_editable_fields(user, organisation) -> tuple[str, ...]:  # noqa: ANN001
    if user.has_perm("directory.change_organisation_registration", organisation):
        return ORGANISATION_REGISTRATION_FIELDS + ORGANISATION_CONTACT_FIELDS
    if user.has_perm("directory.change_organisation", organisation):
        return ORGANISATION_CONTACT_FIELDS
    return ()

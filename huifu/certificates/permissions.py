"""Who may do what with certificates.

* The holder (a public participant or a member company's practitioner) reads and downloads
  their own certificates.
* A member company's admin reads the certificates of its people (the holder's organisation when
  the certificate was issued); never another company's.
* Exchange staff read every certificate; the event managers (Member Management, Market Service
  Center: ``events`` rules) issue, single and in bulk for a session, revoke and re-issue.
* A session's co-organiser reads the attendance certificates of the sessions it co-organises
  (the events app's co-organiser scoping), and issues nothing.
* Anyone, without an account, checks a certificate on ``/verify/<code>/``.
"""

from __future__ import annotations

import rules

from huifu.accounts.predicates import is_logged_in, is_member_user, is_org_admin, is_staff_user
from huifu.events.permissions import co_organises, is_event_manager, is_partner_side


@rules.predicate
def holds(user, certificate) -> bool:  # noqa: ANN001
    return certificate is not None and certificate.holder_id == user.pk


@rules.predicate
def admin_of_holders_company(user, certificate) -> bool:  # noqa: ANN001
    return (
        certificate is not None
        and certificate.organisation_id is not None
        and certificate.organisation_id == user.organisation_id
    )


@rules.predicate
def co_organises_certificate_session(user, certificate) -> bool:  # noqa: ANN001
    return certificate is not None and certificate.session_id is not None and co_organises(user, certificate.session)


rules.add_perm("certificates.view_certificate_list", is_logged_in)
rules.add_perm(
    "certificates.view_certificate",
    is_staff_user
    | holds
    | (is_member_user & is_org_admin & admin_of_holders_company)
    | (is_partner_side & co_organises_certificate_session),
)
# A session's certificate page (who attended, who holds one): staff and the co-organiser.
rules.add_perm("certificates.view_session_certificates", is_staff_user | (is_partner_side & co_organises))
rules.add_perm("certificates.issue_certificate", is_event_manager)
rules.add_perm("certificates.revoke_certificate", is_event_manager)
# Finding a certificate by its number in the global search: staff.
rules.add_perm("certificates.search_certificates", is_staff_user)

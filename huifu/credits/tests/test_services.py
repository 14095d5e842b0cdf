"""Claims, deferrals, grants and rules: duplicates, bad input, permissions both ways."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from huifu.audit.models import AuditEvent
from huifu.credits import services
from huifu.credits.models import ClaimState, CreditRule, ExternalClaim, SessionCredit
from huifu.notifications.models import Notification

from .helpers import attend_on_site, category, evidence, grant, session, total

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 5, 20)


def claim(actor, **overrides):
    data = {
        "provider": "中国期货业协会",
        "course_title": "期货从业人员职业道德网络课程",
        "completed_on": DAY,
        "category": category("law_ethics"),
        "hours": "3",
        "evidence": evidence(),
        "certificate_no": "CFA-2026-0001",
    }
    data.update(overrides)
    return services.claim_submit(actor=actor, **data)


def test_claim_approved_counts_and_tells_the_practitioner(practitioner_a, member_a_admin):
    entered = claim(practitioner_a)
    assert total(practitioner_a, DAY) == 0  # not before the decision
    services.claim_decide(actor=member_a_admin, claim=entered, approve=True)
    assert total(practitioner_a, DAY) == Decimal("3")
    note = Notification.objects.get(recipient=practitioner_a)
    assert "期货从业人员职业道德网络课程" in note.text


def test_refusal_needs_a_reason_and_is_told(practitioner_a, member_a_admin):
    entered = claim(practitioner_a)
    with pytest.raises(ValidationError) as refused:
        services.claim_decide(actor=member_a_admin, claim=entered, approve=False, reason=" ")
    assert "reason" in refused.value.message_dict
    assert ExternalClaim.objects.get().state == ClaimState.SUBMITTED
    services.claim_decide(actor=member_a_admin, claim=entered, approve=False, reason="证书与课程不符")
    assert ExternalClaim.objects.get().state == ClaimState.REFUSED
    assert Notification.objects.filter(recipient=practitioner_a).count() == 1
    with pytest.raises(ValidationError):  # decided once
        services.claim_decide(actor=member_a_admin, claim=entered, approve=True)


def test_same_certificate_or_same_course_twice_refused_nothing_saved(practitioner_a, member_a_admin):
    claim(practitioner_a)
    files_before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as twice:
        claim(practitioner_a, course_title="另一门课程")
    assert "CFA-2026-0001" in twice.value.messages[0]
    with pytest.raises(ValidationError) as same_course:
        claim(practitioner_a, certificate_no="", course_title=" 期货从业人员职业道德 网络课程 ")
    assert "already been claimed" in same_course.value.messages[0] or "已" in same_course.value.messages[0]
    assert ExternalClaim.objects.count() == 1 and AuditEvent.objects.count() == files_before
    # refused, it may be entered again
    services.claim_decide(actor=member_a_admin, claim=ExternalClaim.objects.get(), approve=False, reason="缺少盖章")
    claim(practitioner_a)
    assert ExternalClaim.objects.count() == 2


def test_claim_for_a_session_already_counted_is_refused(coordinator, practitioner_a):
    sess = session(DAY)
    grant(coordinator, sess, law="3")
    attend_on_site(sess, practitioner_a)
    with pytest.raises(ValidationError) as twice:
        claim(practitioner_a, session=sess)
    assert twice.value.code == "duplicate"


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"hours": "abc"}, "hours"),
        ({"hours": "0"}, "hours"),
        ({"hours": "1.25"}, "hours"),
        ({"hours": "500"}, "hours"),
        ({"provider": " "}, "provider"),
        ({"completed_on": datetime.date(2099, 1, 1)}, "completed_on"),
        ({"evidence": None}, "evidence"),
    ],
)
def test_bad_claim_input_names_the_field(practitioner_a, overrides, field):
    with pytest.raises(ValidationError) as bad:
        claim(practitioner_a, **overrides)
    assert field in bad.value.message_dict
    assert not ExternalClaim.objects.exists()


def test_claim_decision_permissions_both_ways(practitioner_a, member_a_admin, member_b_admin, coordinator, org_a):
    from huifu.core.testing.factories import org_user

    colleague = org_user(org_a, email="wang@alpha.example", full_name="王丽")
    entered = claim(practitioner_a)
    assert member_a_admin.has_perm("credits.decide_claim", entered)
    assert coordinator.has_perm("credits.decide_claim", entered)
    for refused in (member_b_admin, colleague, practitioner_a):
        assert not refused.has_perm("credits.decide_claim", entered)
        with pytest.raises(PermissionDenied):
            services.claim_decide(actor=refused, claim=entered, approve=True)
    assert ExternalClaim.objects.get().state == ClaimState.SUBMITTED
    own = claim(member_a_admin, certificate_no="X-1")
    assert not member_a_admin.has_perm("credits.decide_claim", own)  # never one's own


def test_staff_cannot_claim_hours(coordinator):
    with pytest.raises(PermissionDenied):
        claim(coordinator)


def test_deferral_refused_twice_and_permissions(practitioner_a, member_b_admin, member_a_admin):
    first = services.deferral_request(
        actor=practitioner_a, window_start=datetime.date(2026, 1, 1), reason="外派海外一年", evidence=evidence()
    )
    with pytest.raises(ValidationError):
        services.deferral_request(
            actor=practitioner_a, window_start=datetime.date(2026, 1, 1), reason="再次申请", evidence=evidence()
        )
    with pytest.raises(ValidationError) as wrong:
        services.deferral_request(
            actor=practitioner_a, window_start=datetime.date(2025, 1, 1), reason="x", evidence=evidence()
        )
    assert "window_start" in wrong.value.message_dict
    with pytest.raises(PermissionDenied):
        services.deferral_decide(actor=member_b_admin, deferral=first, approve=True)
    services.deferral_decide(actor=member_a_admin, deferral=first, approve=False, reason="理由不充分")
    assert services.current_window(practitioner_a, on=DAY).end == datetime.date(2027, 12, 31)


def test_session_hours_set_replace_remove_and_permissions(coordinator, member_a_admin):
    sess = session(DAY)
    grant(coordinator, sess, law="1.5", professional="2")
    grant(coordinator, sess, professional="3")
    assert services.session_grant(sess) == {category("professional"): Decimal("3")}
    with pytest.raises(ValidationError):
        grant(coordinator, sess, law="-1")
    assert services.session_grant(sess) == {category("professional"): Decimal("3")}
    with pytest.raises(PermissionDenied):
        grant(member_a_admin, sess, law="3")
    grant(coordinator, sess)
    assert not SessionCredit.objects.exists()


def test_rule_save_checks_and_permissions(coordinator, member_a_admin):
    law = category("law_ethics")
    rule = services.rule_save(
        actor=coordinator,
        year=2027,
        title="期货从业人员后续职业培训规则（修订）",
        min_hours="20",
        window_years=2,
        deferral_years=1,
        minimums={law.pk: "4"},
    )
    assert rule.minimums.get().min_hours == Decimal("4")
    with pytest.raises(ValidationError) as over:
        services.rule_save(
            actor=coordinator,
            rule=rule,
            year=2027,
            title="x",
            min_hours="3",
            window_years=2,
            deferral_years=1,
            minimums={law.pk: "4"},
        )
    assert "minimums" in over.value.message_dict
    with pytest.raises(ValidationError):
        services.rule_save(
            actor=coordinator, year=2008, title="重复", min_hours="18", window_years=2, deferral_years=1, minimums={}
        )
    with pytest.raises(PermissionDenied):
        services.rule_save(
            actor=member_a_admin, year=2030, title="x", min_hours="18", window_years=2, deferral_years=1, minimums={}
        )
    assert CreditRule.objects.count() == 2


def test_an_exchange_session_entered_by_hand_is_refused(coordinator, practitioner_a):
    sess = session(DAY, title="期货市场合规与风险管理（第1期）")
    grant(coordinator, sess, law="3")
    attend_on_site(sess, practitioner_a)
    with pytest.raises(ValidationError) as twice:
        claim(
            practitioner_a, provider="上海期货交易所", course_title="期货市场合规与风险管理(第1期)", certificate_no=""
        )
    assert twice.value.code == "duplicate"
    assert not ExternalClaim.objects.exists()

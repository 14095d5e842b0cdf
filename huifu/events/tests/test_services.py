"""Series and session services: validation, state moves, permissions both ways, audit."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from huifu.accounts.system import system_actor
from huifu.audit.models import AuditEvent
from huifu.events import services
from huifu.events.models import Audience, Mode, SeriesKind, Session, SessionState
from huifu.events.selectors import date_warnings
from huifu.events.services import SessionStateError

from .conftest import HOLIDAY, MAKEUP, WORKDAY, YEAR, session_data

pytestmark = pytest.mark.django_db


def _audits(obj):
    return AuditEvent.objects.filter(target_id=str(obj.pk), target_type__model=obj._meta.model_name)


def test_series_create_by_manager_writes_one_audit(coordinator):
    series = services.series_create(actor=coordinator, year=YEAR, kind=SeriesKind.MONTHLY_TALK, title_zh="月月谈")
    assert series.pk and _audits(series).count() == 1


def test_msc_staff_manage_series(msc_user):
    assert services.series_create(actor=msc_user, year=YEAR, kind=SeriesKind.TRAINING, title_zh="培训").pk


@pytest.mark.parametrize("persona", ["dept_staff", "member_a_admin", "public_user", "regulator", "university_user"])
def test_series_create_refused_to_others(request, persona):
    with pytest.raises(PermissionDenied):
        services.series_create(
            actor=request.getfixturevalue(persona), year=YEAR, kind=SeriesKind.TRAINING, title_zh="培训"
        )


def test_actor_none_refused_system_actor_allowed(db):
    with pytest.raises(PermissionDenied):
        services.series_create(actor=None, year=YEAR, kind=SeriesKind.TRAINING, title_zh="培训")
    assert services.series_create(actor=system_actor(), year=YEAR, kind=SeriesKind.TRAINING, title_zh="培训").pk


@pytest.mark.parametrize(
    ("fields", "bad"),
    [
        ({"year": 1999}, "year"),
        ({"year": "2026"}, "year"),
        ({"kind": "webinar"}, "kind"),
        ({"title_zh": "  "}, "title_zh"),
        ({"title_zh": "长" * 201}, "title_zh"),
        ({"offer_working_days": 11}, "offer_working_days"),
        ({"offer_working_days": "1"}, "offer_working_days"),
    ],
)
def test_series_bad_input_names_the_field(coordinator, fields, bad):
    data = {"year": YEAR, "kind": SeriesKind.MONTHLY_TALK, "title_zh": "月月谈", **fields}
    with pytest.raises(ValidationError) as exc:
        services.series_create(actor=coordinator, **data)
    assert bad in exc.value.message_dict


def test_series_duplicate_title_refused(coordinator, talk_series):
    with pytest.raises(ValidationError) as exc:
        services.series_create(actor=coordinator, year=YEAR, kind=SeriesKind.TRAINING, title_zh=talk_series.title_zh)
    assert "title_zh" in exc.value.message_dict


def test_series_year_cannot_move_away_from_its_sessions(coordinator, talk_series, make_session):
    make_session()
    with pytest.raises(ValidationError) as exc:
        services.series_update(
            actor=coordinator, series=talk_series, year=YEAR + 1, kind=talk_series.kind, title_zh=talk_series.title_zh
        )
    assert "year" in exc.value.message_dict


def test_session_create_is_a_draft_with_relations(make_session, coordinator, university, training_series):
    session = make_session()
    assert session.state == SessionState.DRAFT and session.published_at is None
    assert _audits(session).count() == 1
    assert session.starts_at.hour == 13 and session.ends_at.hour == 17


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"date": datetime.date(YEAR + 1, 1, 5)}, "date"),
        ({"date": "2026-03-19"}, "date"),
        ({"slot": "evening"}, "slot"),
        ({"mode": "tv"}, "mode"),
        ({"capacity": None}, "capacity"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": "100"}, "capacity"),
        ({"address": ""}, "address"),
        ({"mode": Mode.ONLINE, "capacity": None, "platform": ""}, "platform"),
        ({"mode": Mode.HYBRID, "platform": "腾讯会议", "link": "javascript:alert(1)"}, "link"),
        ({"topic_type": ""}, "topic_type"),
        ({"audiences": []}, "audiences"),
        ({"audiences": [Audience.MEMBERS_PRACTITIONERS]}, "audiences"),  # a training audience on the monthly talk
    ],
)
def test_session_bad_input_names_the_field_and_saves_nothing(coordinator, talk_series, overrides, field):
    with pytest.raises(ValidationError) as exc:
        services.session_create(actor=coordinator, series=talk_series, **session_data(**overrides))
    assert field in exc.value.message_dict
    assert Session.objects.count() == 0


def test_online_session_needs_no_venue(make_session):
    session = make_session(mode=Mode.ONLINE, address="", capacity=None, platform="腾讯会议")
    assert session.is_online and not session.has_venue


def test_member_company_may_co_organise_but_not_a_regulator(coordinator, talk_series, org_a, csrc_shanghai):
    services.session_create(actor=coordinator, series=talk_series, co_organisers=[org_a], **session_data())
    with pytest.raises(ValidationError) as exc:
        services.session_create(actor=coordinator, series=talk_series, co_organisers=[csrc_shanghai], **session_data())
    assert "co_organisers" in exc.value.message_dict


@pytest.mark.parametrize("persona", ["dept_staff", "member_a_admin", "university_user", "public_user"])
def test_session_create_refused_to_non_managers(request, talk_series, persona):
    with pytest.raises(PermissionDenied):
        services.session_create(actor=request.getfixturevalue(persona), series=talk_series, **session_data())
    assert Session.objects.count() == 0


def test_publish_withdraw_cancel(make_session, coordinator):
    session = make_session()
    session = services.session_publish(actor=coordinator, session=session)
    assert session.state == SessionState.PUBLISHED and session.published_at is not None
    session = services.session_withdraw(actor=coordinator, session=session)
    assert session.state == SessionState.DRAFT and session.published_at is None
    with pytest.raises(SessionStateError) as exc:
        services.session_cancel(actor=coordinator, session=session, reason="台风")
    assert exc.value.code == "illegal_transition"
    session = services.session_publish(actor=coordinator, session=session)
    with pytest.raises(ValidationError):
        services.session_cancel(actor=coordinator, session=session, reason=" ")
    session = services.session_cancel(actor=coordinator, session=session, reason="台风")
    assert session.state == SessionState.CANCELLED
    with pytest.raises(SessionStateError):
        services.session_update(actor=coordinator, session=session, title="改名")
    assert _audits(session).filter(message="台风").count() == 1


def test_co_organiser_edits_content_of_own_session_only(training_session, university_user, other_university_user):
    session = services.session_update(actor=university_user, session=training_session, programme="09:00 开班")
    assert session.programme == "09:00 开班"
    with pytest.raises(ValidationError) as exc:
        services.session_update(actor=university_user, session=training_session, capacity=500)
    assert "capacity" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.session_update(actor=university_user, session=training_session, co_organisers=[])
    with pytest.raises(PermissionDenied):
        services.session_update(actor=other_university_user, session=training_session, programme="篡改")
    with pytest.raises(PermissionDenied):
        services.session_publish(
            actor=university_user, session=services.session_withdraw(actor=system_actor(), session=training_session)
        )
    training_session.refresh_from_db()
    assert training_session.programme == "09:00 开班" and training_session.capacity == 100


def test_update_audits_relation_changes(make_session, coordinator, university):
    session = make_session()
    services.session_update(actor=coordinator, session=session, co_organisers=[university])
    last = _audits(session).order_by("-pk").first()
    assert last.changes["co_organisers"] == [[], [university.pk]]


def test_holiday_and_makeup_day_warn_but_are_allowed(make_session):
    assert date_warnings(WORKDAY) == []
    holiday = make_session(date=HOLIDAY)
    assert holiday.pk and any("法定节假日（国庆节）" in w for w in date_warnings(HOLIDAY))
    assert any("国庆节的调休上班日" in w for w in date_warnings(MAKEUP))
    assert any("周末" in w for w in date_warnings(datetime.date(YEAR, 3, 21)))

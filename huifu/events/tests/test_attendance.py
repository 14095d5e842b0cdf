"""Online attendance: reading exports (UTF-8, GB18030, .xlsx), matching people, merging
intervals, the rule stamped on the session, idempotent re-import and corrected files with
history, bad input refused with nothing saved, permissions, the selector statistics read."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from freezegun import freeze_time

from huifu.audit.models import AuditEvent
from huifu.events import services
from huifu.events.attendance_analysis import SHANGHAI, TimeFormat, merge_intervals, normalise_phone, parse_time
from huifu.events.models import (
    AttendanceImport,
    AttendanceMapping,
    AttendanceRecord,
    AttendanceResult,
    Registration,
)
from huifu.events.selectors_attendance import attendance_for_session, attended_online_q
from huifu.events.services import attendance as att

from .attendance_helpers import after, at, csv_upload, online_session, person, register, xlsx_upload

pytestmark = pytest.mark.django_db

# --- pure functions -------------------------------------------------------------------------------


def _t(hhmm: str) -> datetime.datetime:
    h, m = hhmm.split(":")
    return datetime.datetime(2026, 12, 3, int(h), int(m), tzinfo=SHANGHAI)


def test_merge_intervals_counts_overlaps_and_repeats_once():
    merged = merge_intervals(
        [(_t("14:00"), _t("15:00")), (_t("14:30"), _t("15:30")), (_t("14:00"), _t("15:00")), (_t("16:00"), _t("16:10"))]
    )
    assert merged == [(_t("14:00"), _t("15:30")), (_t("16:00"), _t("16:10"))]
    assert merge_intervals([(_t("14:00"), _t("15:00")), (_t("15:00"), _t("15:10"))]) == [(_t("14:00"), _t("15:10"))]


def test_parse_time_formats_and_refusals():
    day = datetime.date(2026, 12, 3)
    assert parse_time("2026-12-03 14:05:09", TimeFormat.DATETIME, day)[0] == _t("14:05").replace(second=9)
    assert parse_time("2026/12/3 14:05", TimeFormat.DATETIME, day)[0] == _t("14:05")
    assert parse_time("2026-12-03T06:05:00Z", TimeFormat.DATETIME, day)[0] == _t("14:05")
    assert parse_time("12/03/2026 02:05:00 PM", TimeFormat.US, day)[0] == _t("14:05")
    assert parse_time("14:05", TimeFormat.TIME, day)[0] == _t("14:05")
    for bad in ("", "昨天", "2026-02-30 10:00:00", "14:05"):
        value, problem = parse_time(bad, TimeFormat.DATETIME, day)
        assert value is None and problem
    assert normalise_phone("+86 138-0000-1234") == "13800001234"
    assert normalise_phone("138****1234") == "138****1234"


# --- fixtures ----------------------------------------------------------------------------------------


@pytest.fixture
def online(coordinator, university):
    session = online_session(coordinator, co_organisers=[university])
    alice = person("张三", "13800000001", "zhang@example.com")
    bob = person("李四", "13800000002", "li@example.com")
    carol = person("王五", "13800000003", "wang@example.com")
    regs = register(session, alice, bob, carol)
    return session, regs


def _good_lines(session):
    return [
        ["张三", "13800000001", "", at(session, "13:25"), at(session, "15:00")],  # early join, clipped
        ["张三", "", "zhang@example.com", at(session, "14:30"), at(session, "16:00")],  # overlaps the first
        ["张三", "13800000001", "", at(session, "16:30"), at(session, "17:30")],  # back again, overruns
        ["李四", "+86 138 0000 0002", "", at(session, "13:30"), at(session, "14:30")],
    ]


def _import(actor, session, upload, *, accept=False, platform=""):
    draft = att.attendance_upload(actor=actor, session=session, upload=upload, platform=platform)
    preview = att.attendance_analyse(draft=draft)
    assert preview.analysis is not None, preview.columns.problems
    return att.attendance_confirm(
        actor=actor, draft=draft, fingerprint=preview.analysis.fingerprint(), accept_problems=accept
    )


# --- the happy path ----------------------------------------------------------------------------------


def test_import_merges_intervals_and_applies_the_rule(online, msc_user):
    session, (alice, bob, carol) = online
    with freeze_time(after(session)):
        result = _import(msc_user, session, csv_upload(_good_lines(session), preamble=[["会议主题：合规培训"]]))
    assert result.changed and result.superseded is None
    records = attendance_for_session(session)
    assert set(records) == {alice.pk, bob.pk, carol.pk}  # every confirmed registration, present or not
    # 张三: 13:25–16:00 and 16:30–17:30 → 155 + 60 min; within 13:30–17:00: 150 + 30 min.
    assert records[alice.pk].seconds_present == 215 * 60
    assert records[alice.pk].seconds_in_schedule == 180 * 60
    assert records[alice.pk].attended  # 180 / 210 min ≥ 60 %
    assert records[alice.pk].intervals == [["13:25:00", "16:00:00"], ["16:30:00", "17:30:00"]]
    assert records[bob.pk].seconds_present == 60 * 60 and not records[bob.pk].attended  # 60 / 210 min
    assert records[carol.pk].seconds_present == 0 and not records[carol.pk].attended
    stamp = AttendanceResult.objects.get(session=session)
    assert (stamp.min_percent, stamp.rule_source, stamp.scheduled_seconds) == (60, "default", 210 * 60)
    assert AuditEvent.objects.filter(action="import", target_id=str(result.attendance_import.pk)).count() == 1
    assert AttendanceMapping.objects.get(platform_key="腾讯会议").columns["join"] == "入会时间"
    # The statistics read it through one filter.
    assert list(Registration.objects.filter(attended_online_q()).values_list("pk", flat=True)) == [alice.pk]


def test_rule_boundary_is_inclusive(online, msc_user):
    session, (alice, bob, _carol) = online
    # 60 % of 210 min = 126 min exactly; one second less is not enough.
    lines = [
        ["张三", "13800000001", "", at(session, "13:30"), at(session, "15:36")],
        ["李四", "13800000002", "", at(session, "13:30"), at(session, "15:35:59")],
    ]
    with freeze_time(after(session)):
        _import(msc_user, session, csv_upload(lines))
    records = attendance_for_session(session)
    assert records[alice.pk].attended and not records[bob.pk].attended


def test_gb18030_csv_and_xlsx_are_read(online, msc_user):
    session, (alice, _bob, _carol) = online
    with freeze_time(after(session)):
        draft = att.attendance_upload(
            actor=msc_user, session=session, upload=csv_upload(_good_lines(session), encoding="gb18030")
        )
        assert draft.encoding == "gb18030" and draft.lines[0][0] == "姓名"
        assert att.attendance_analyse(draft=draft).analysis.matched_lines == 4
        start = datetime.datetime.combine(session.date, datetime.time(13, 30))
        rows = [
            ["腾讯会议参会明细"],
            [],
            ["用户名称", "手机号码", "入会时间（北京时间）", "退会时间（北京时间）", "参会时长"],
            ["张三", 13800000001, start, start + datetime.timedelta(hours=3), 180],
        ]
        result = _import(msc_user, session, xlsx_upload(rows))
    assert result.attendance_import.file_format == "xlsx"
    assert attendance_for_session(session)[alice.pk].seconds_present == 3 * 3600


# --- per-line problems -------------------------------------------------------------------------------


def test_problems_are_reported_per_line_and_field_and_need_acknowledging(online, msc_user):
    session, (alice, bob, carol) = online
    twin = person("赵六", "13800000003")  # shares 王五's phone
    register(session, twin)
    other_day = f"{session.date + datetime.timedelta(days=1):%Y-%m-%d} 14:00:00"
    lines = [
        ["张三", "13800000001", "", at(session, "14:00"), at(session, "16:00")],  # good
        ["陌生人", "13999999999", "", at(session, "14:00"), at(session, "16:00")],  # unknown
        ["李四", "13800000002", "", at(session, "15:00"), at(session, "14:00")],  # leave before join
        ["李四", "13800000002", "", other_day, other_day],  # another day
        ["", "13800000003", "", at(session, "14:00"), at(session, "16:00")],  # two registrations share it
        ["张三", "", "li@example.com", at(session, "14:00"), at(session, "16:00")],  # fine: e-mail decides
        ["张三", "13800000001", "li@example.com", at(session, "14:00"), at(session, "16:00")],  # conflict
        ["王五", "138****0003", "", at(session, "14:00"), "还在会中"],  # bad leave time
        ["只有名字", "", "", at(session, "14:00"), at(session, "16:00")],  # name alone
    ]
    with freeze_time(after(session)):
        draft = att.attendance_upload(actor=msc_user, session=session, upload=csv_upload(lines))
        analysis = att.attendance_analyse(draft=draft).analysis
        problems = {ln.number: ln.problems for ln in analysis.lines}
        assert problems[2] == [] and problems[7] == []
        assert problems[3][0][0] == "phone" and "13999999999" in problems[3][0][1]
        assert problems[4][0][0] == "leave"
        assert {f for f, _m in problems[5]} == {"join", "leave"}
        assert "2" in problems[6][0][1]  # "2 registrations match (王五、赵六)"
        assert "王五" in problems[6][0][1] and "赵六" in problems[6][0][1]
        assert "张三" in problems[8][0][1] and "李四" in problems[8][0][1]
        assert problems[9][0][0] == "leave"
        assert problems[10][0][0] == "name"
        assert analysis.problem_lines == 7 and analysis.matched_lines == 2

        with pytest.raises(ValidationError) as refused:
            att.attendance_confirm(actor=msc_user, draft=draft, fingerprint=analysis.fingerprint())
        assert refused.value.code == "problems"
        assert not AttendanceRecord.objects.exists() and not AttendanceResult.objects.exists()

        result = att.attendance_confirm(
            actor=msc_user, draft=draft, fingerprint=analysis.fingerprint(), accept_problems=True
        )
    imported = result.attendance_import
    assert imported.lines_skipped == 7 and imported.lines_matched == 2
    assert {p["line"] for p in imported.problems} == {3, 4, 5, 6, 8, 9, 10}
    records = attendance_for_session(session)
    assert records[alice.pk].seconds_present == 2 * 3600 and records[bob.pk].seconds_present == 2 * 3600


def test_masked_phone_matches_with_the_name_only(online, msc_user):
    session, (_alice, _bob, carol) = online
    lines = [
        ["王五", "138****0003", "", at(session, "13:30"), at(session, "17:00")],
        ["", "138****0003", "", at(session, "13:30"), at(session, "17:00")],
    ]
    with freeze_time(after(session)):
        draft = att.attendance_upload(actor=msc_user, session=session, upload=csv_upload(lines))
        analysis = att.attendance_analyse(draft=draft).analysis
    assert analysis.lines[0].registration_id == carol.pk
    assert analysis.lines[1].registration_id is None and analysis.lines[1].problems


def test_a_file_matching_nobody_is_refused(online, msc_user):
    session, _regs = online
    lines = [["陌生人", "13999999999", "", at(session, "14:00"), at(session, "16:00")]]
    with freeze_time(after(session)), pytest.raises(ValidationError) as refused:
        _import(msc_user, session, csv_upload(lines), accept=True)
    assert refused.value.code == "no_match"
    assert not AttendanceImport.objects.exclude(state="draft").exists()


def test_preview_gone_stale_is_refused(online, msc_user, coordinator):
    session, (alice, _bob, _carol) = online
    with freeze_time(after(session)):
        draft = att.attendance_upload(actor=msc_user, session=session, upload=csv_upload(_good_lines(session)))
        fingerprint = att.attendance_analyse(draft=draft).analysis.fingerprint()
        services.registration_cancel(actor=coordinator, registration=alice)
        with pytest.raises(ValidationError) as refused:
            att.attendance_confirm(actor=msc_user, draft=draft, fingerprint=fingerprint)
    assert refused.value.code == "stale" and not AttendanceRecord.objects.exists()


# --- columns and the mapping per platform ---------------------------------------------------------


def test_missing_columns_then_mapping_remembered_for_the_platform(online, msc_user):
    session, (alice, _bob, _carol) = online
    header = ["Participant", "Mobile No.", "First Join", "Last Leave"]
    lines = [["张三", "13800000001", f"{session.date:%m/%d/%Y} 01:30:00 PM", f"{session.date:%m/%d/%Y} 05:00:00 PM"]]
    with freeze_time(after(session)):
        draft = att.attendance_upload(
            actor=msc_user, session=session, upload=csv_upload(lines, header=header), platform="Zoom"
        )
        preview = att.attendance_analyse(draft=draft)
        assert preview.analysis is None
        assert len(preview.columns.problems) == 3  # join, leave, and phone/e-mail named as missing
        draft = att.attendance_draft_map(
            actor=msc_user,
            draft=draft,
            mapping={
                "header_index": 0,
                "time_format": TimeFormat.US,
                "columns": {"name": "Participant", "phone": "Mobile No.", "join": "First Join", "leave": "Last Leave"},
            },
        )
        preview = att.attendance_analyse(draft=draft)
        assert preview.analysis is not None and preview.analysis.matched_lines == 1
        att.attendance_confirm(actor=msc_user, draft=draft, fingerprint=preview.analysis.fingerprint())
        assert attendance_for_session(session)[alice.pk].attended
        remembered = AttendanceMapping.objects.get(platform_key="zoom")
        assert remembered.time_format == TimeFormat.US and remembered.columns["join"] == "First Join"
        # The next Zoom file is read with the remembered mapping at once (columns in another order).
        again = att.attendance_upload(
            actor=msc_user,
            session=session,
            upload=csv_upload([[r[3], r[2], r[1], r[0]] for r in lines], header=header[::-1]),
            platform=" zoom ",
        )
        assert att.attendance_analyse(draft=again).analysis.matched_lines == 1


def test_no_identifying_column_is_a_missing_column(online, msc_user):
    session, _regs = online
    with freeze_time(after(session)):
        draft = att.attendance_upload(
            actor=msc_user,
            session=session,
            upload=csv_upload(
                [["张三", at(session, "14:00"), at(session, "15:00")]], header=["姓名", "入会时间", "退会时间"]
            ),
        )
        preview = att.attendance_analyse(draft=draft)
        assert preview.analysis is None and len(preview.columns.problems) == 1
        with pytest.raises(ValidationError) as refused:
            att.attendance_confirm(actor=msc_user, draft=draft, fingerprint="x")
    assert refused.value.code == "columns"


# --- idempotency, corrections, the stamped rule ----------------------------------------------------


def test_same_file_twice_changes_nothing_and_a_corrected_file_supersedes(online, msc_user):
    session, (alice, bob, _carol) = online
    with freeze_time(after(session)):
        first = _import(msc_user, session, csv_upload(_good_lines(session))).attendance_import
        again = _import(msc_user, session, csv_upload(_good_lines(session)))
        assert not again.changed and again.attendance_import.pk == first.pk
        assert AttendanceImport.objects.count() == 1 and AttendanceRecord.objects.count() == 3
        assert AuditEvent.objects.filter(action="import").count() == 1

        corrected = _good_lines(session)
        corrected[3][4] = at(session, "17:00")  # 李四 stayed to the end
        second = _import(msc_user, session, csv_upload(corrected, name="corrected.csv"))
    assert second.changed and second.superseded.pk == first.pk
    first.refresh_from_db()
    assert first.state == "superseded" and first.superseded_at is not None
    assert first.records.count() == 3  # history kept
    assert attendance_for_session(session)[bob.pk].attended
    assert AttendanceResult.objects.get(session=session).current_import_id == second.attendance_import.pk
    assert AuditEvent.objects.filter(action="import").count() == 2
    assert Registration.objects.filter(attended_online_q()).count() == 2  # superseded records do not count


def test_rule_stamped_at_first_import_survives_rule_changes(online, msc_user, coordinator):
    session, (alice, bob, _carol) = online
    att.attendance_rule_set(actor=coordinator, series=session.series, min_percent=50)
    assert att.attendance_rule_for(session) == att.Rule(50, "series")
    att.attendance_rule_set(actor=coordinator, session=session, min_percent=40)
    assert att.attendance_rule_for(session) == att.Rule(40, "session")
    lines = [["李四", "13800000002", "", at(session, "13:30"), at(session, "15:00")]]  # 90 / 210 min = 43 %
    with freeze_time(after(session)):
        _import(msc_user, session, csv_upload(lines))
        assert attendance_for_session(session)[bob.pk].attended
        # Staff raise the rules afterwards: the past session keeps its stamp, also on a corrected file.
        att.attendance_rule_set(actor=coordinator, session=session, min_percent=90)
        att.attendance_rule_set(actor=coordinator, series=session.series, min_percent=90)
        assert attendance_for_session(session)[bob.pk].attended
        assert att.attendance_rule_for(session) == att.Rule(40, "stamped")
        lines.append(["张三", "13800000001", "", at(session, "13:30"), at(session, "15:00")])
        _import(msc_user, session, csv_upload(lines, name="corrected.csv"))
    records = attendance_for_session(session)
    assert records[bob.pk].attended and records[alice.pk].attended
    assert AttendanceResult.objects.get(session=session).min_percent == 40
    with pytest.raises(ValidationError):
        att.attendance_rule_set(actor=coordinator, series=session.series, min_percent=0)


def test_rule_change_before_stamp_applies(coordinator, msc_user):
    session = online_session(coordinator, title="规则测试")
    att.attendance_rule_set(actor=coordinator, series=session.series, min_percent=50)
    att.attendance_rule_set(actor=coordinator, series=session.series, min_percent=80)
    assert att.attendance_rule_for(session) == att.Rule(80, "series")
    assert AuditEvent.objects.filter(target_type__model="attendancerule").count() == 2


# --- bad files ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("empty.csv", b"", "empty"),
        ("blank.csv", b"\r\n\r\n ,, \r\n", "empty"),
        ("utf16.csv", "姓名,手机号\r\n".encode("utf-16"), "encoding"),
        ("latin.csv", "Name,Phone\r\nJos\xe9,1\r\n\x80\xff".encode("latin-1"), "encoding"),
        ("tool.csv", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff", "not_text"),
        ("tool.xlsx", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff", "not_xlsx"),
        ("tool.exe", b"MZ\x90\x00", "extension"),
        ("list.txt", "姓名\r\n".encode(), "extension"),
    ],
)
def test_unreadable_files_store_nothing(online, msc_user, name, content, code):
    session, _regs = online
    with freeze_time(after(session)), pytest.raises(ValidationError) as refused:
        att.attendance_upload(actor=msc_user, session=session, upload=SimpleUploadedFile(name, content))
    assert refused.value.code == code
    assert refused.value.message_dict["file"][0]
    assert not AttendanceImport.objects.exists()


def test_workbook_renamed_to_csv_is_refused(online, msc_user):
    session, _regs = online
    upload = xlsx_upload([["姓名"]], name="list.csv")
    with freeze_time(after(session)), pytest.raises(ValidationError) as refused:
        att.attendance_upload(actor=msc_user, session=session, upload=upload)
    assert refused.value.code == "not_text"


def test_import_refused_before_the_session_and_for_on_site_sessions(online, msc_user, make_session):
    session, _regs = online
    with pytest.raises(ValidationError) as refused:
        att.attendance_upload(actor=msc_user, session=session, upload=csv_upload(_good_lines(session)))
    assert refused.value.code == "not_started"
    on_site = make_session(publish=True)
    with freeze_time(after(on_site)), pytest.raises(ValidationError) as refused:
        att.attendance_upload(actor=msc_user, session=on_site, upload=csv_upload([]))
    assert refused.value.code == "not_online"


# --- permissions (services) ----------------------------------------------------------------------------


def test_who_may_import_and_set_the_rule(
    online, dept_staff, university_user, other_university_user, member_a_admin, coordinator
):
    session, _regs = online
    online_session(coordinator, co_organisers=[other_university_user.organisation], title="另一场")
    with freeze_time(after(session)):
        for allowed in (dept_staff, university_user):
            draft = att.attendance_upload(actor=allowed, session=session, upload=csv_upload(_good_lines(session)))
            assert draft.created_by == allowed
        for denied in (other_university_user, member_a_admin):
            with pytest.raises(PermissionDenied):
                att.attendance_upload(actor=denied, session=session, upload=csv_upload(_good_lines(session)))
            with pytest.raises(PermissionDenied):
                att.attendance_confirm(actor=denied, draft=draft, fingerprint="x")
    for denied in (dept_staff, university_user, member_a_admin):
        with pytest.raises(PermissionDenied):
            att.attendance_rule_set(actor=denied, session=session, min_percent=10)
    att.attendance_rule_set(actor=coordinator, session=session, min_percent=10)
    assert AttendanceImport.objects.filter(state="draft").count() == 2

"""Online attendance pages: upload → preview with per-line problems → confirm, the result list,
the rule form; allowed and denied for every role; bad files answered with a message, never a 500;
constant queries on the result page."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from freezegun import freeze_time

from huifu.core.testing.access import assert_allowed, assert_constant_queries, assert_denied, fetch
from huifu.events.models import AttendanceImport, AttendanceRecord, AttendanceRule
from huifu.events.selectors_attendance import attendance_for_session

from .attendance_helpers import after, at, csv_upload, online_session, person, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def online(coordinator, university, other_university):
    session = online_session(coordinator, co_organisers=[university])
    online_session(coordinator, co_organisers=[other_university], title="另一场线上课")  # other's session
    regs = register(session, person("张三", "13800000001"), person("李四", "13800000002"))
    return session, regs


def _lines(session):
    return [
        ["张三", "13800000001", "", at(session, "13:30"), at(session, "16:00")],
        ["陌生人", "13999999999", "", at(session, "14:00"), at(session, "15:00")],
        ["李四", "13800000002", "", at(session, "15:00"), at(session, "14:00")],
    ]


def _upload(client, session, upload, platform="腾讯会议"):
    return client.post(f"/events/sessions/{session.pk}/attendance/", {"file": upload, "platform": platform})


def test_upload_preview_confirm_in_chinese(client, online, university_user):
    session, (alice, bob) = online
    with freeze_time(after(session)):
        fetch(client, university_user, f"/events/sessions/{session.pk}/attendance/")
        response = _upload(client, session, csv_upload(_lines(session), encoding="gb18030"))
        assert response.status_code == 302
        preview_url = response["Location"]
        page = client.get(preview_url).content.decode()
        assert "尚未保存" in page  # "Nothing has been saved yet."
        assert "13999999999" in page and "早于入会时间" in page  # unknown person, leave before join
        assert not AttendanceRecord.objects.exists()
        assert AttendanceImport.objects.get().state == "draft"
        fingerprint = page.split('name="fingerprint" value="')[1].split('"')[0]
        # Problems not acknowledged: refused with a message, nothing saved.
        response = client.post(preview_url, {"fingerprint": fingerprint})
        assert response.status_code == 200 and "请确认" in response.content.decode()
        assert not AttendanceRecord.objects.exists()
        response = client.post(preview_url, {"fingerprint": fingerprint, "accept_problems": "on"})
        assert response.status_code == 302
        result = client.get(f"/events/sessions/{session.pk}/attendance/").content.decode()
    records = attendance_for_session(session)
    assert records[alice.pk].attended and not records[bob.pk].attended
    assert "150" in result and "是" in result and "否" in result  # 150 minutes online
    detail = client.get(session.get_absolute_url()).content.decode()
    assert "线上出席" in detail


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.csv", b"", "空文件"),  # Django's FileField: 提交的是空文件
        ("setup.csv", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff", "不是文本文件"),
        ("setup.xlsx", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff", "setup.xlsx"),
        ("latin.csv", "Name\r\nJos\xe9,1\r\n\x80".encode("latin-1"), "GB18030"),
    ],
)
def test_bad_files_answer_with_a_message(client, online, msc_user, name, content, expected):
    session, _regs = online
    with freeze_time(after(session)):
        fetch(client, msc_user, f"/events/sessions/{session.pk}/attendance/")
        response = _upload(client, session, SimpleUploadedFile(name, content))
    assert response.status_code == 200 and expected in response.content.decode()
    assert not AttendanceImport.objects.exists()


def test_missing_columns_show_the_mapping_step(client, online, msc_user):
    session, (alice, _bob) = online
    header = ["昵称", "Phone", "Join", "Leave"]
    lines = [["张三", "13800000001", at(session, "13:30"), at(session, "17:00")]]
    with freeze_time(after(session)):
        fetch(client, msc_user, f"/events/sessions/{session.pk}/attendance/")
        url = _upload(client, session, csv_upload(lines, header=header), platform="某平台")["Location"]
        page = client.get(url).content.decode()
        assert "缺少" in page and "Join" in page  # "Column “入会时间” is missing." and the header offered
        # A header line beyond the file's first lines (a forged form): a message, not a 500.
        forged = client.post(url, {"action": "map", "header_index": "999", "time_format": "datetime"}, follow=True)
        assert forged.status_code == 200 and "请在文件开头的几行中选择表头行" in forged.content.decode()
        mapping = {"action": "map", "header_index": "0", "time_format": "datetime"}
        mapping |= {"col_name": "昵称", "col_phone": "Phone", "col_join": "Join", "col_leave": "Leave"}
        assert client.post(url, mapping).status_code == 302
        page = client.get(url).content.decode()
        fingerprint = page.split('name="fingerprint" value="')[1].split('"')[0]
        assert client.post(url, {"fingerprint": fingerprint}).status_code == 302
    assert attendance_for_session(session)[alice.pk].attended


def test_rule_form(client, online, coordinator, dept_staff):
    session, _regs = online
    url = f"/events/sessions/{session.pk}/attendance/rule/"
    assert_denied(client, dept_staff, url, "post", {"scope": "session", "min_percent": "70"})
    assert not AttendanceRule.objects.exists()
    assert_allowed(client, coordinator, url, "post", {"scope": "series", "min_percent": "70"}, ok=(302,))
    assert AttendanceRule.objects.get(series=session.series).min_percent == 70
    fetch(client, coordinator, url, "post", {"scope": "session", "min_percent": "0"})
    assert not AttendanceRule.objects.filter(session=session).exists()


def test_permission_matrix(
    client, online, coordinator, dept_staff, university_user, other_university_user, member_a_admin, public_user
):
    session, _regs = online
    page = f"/events/sessions/{session.pk}/attendance/"
    with freeze_time(after(session)):
        for user in (coordinator, dept_staff, university_user):
            assert_allowed(client, user, page)
        for user in (None, other_university_user, member_a_admin, public_user):
            assert_denied(client, user, page)
            response = fetch(client, user, page, "post", {"file": csv_upload(_lines(session))})
            assert response.status_code in (302, 403, 404) and not AttendanceImport.objects.exists()
        fetch(client, university_user, page)
        preview = _upload(client, session, csv_upload(_lines(session)))["Location"]
        assert_allowed(client, university_user, preview)
        assert_allowed(client, dept_staff, preview)
        for user in (None, other_university_user, member_a_admin):
            assert_denied(client, user, preview)
            assert_denied(client, user, preview, "post", {"fingerprint": "x", "accept_problems": "on"})
    assert not AttendanceRecord.objects.exists()


def test_result_page_queries_constant(client, online, msc_user):
    session, _regs = online
    with freeze_time(after(session)):
        fetch(client, msc_user, f"/events/sessions/{session.pk}/attendance/")
        url = _upload(client, session, csv_upload(_lines(session)[:1]))["Location"]
        page = client.get(url).content.decode()
        fingerprint = page.split('name="fingerprint" value="')[1].split('"')[0]
        client.post(url, {"fingerprint": fingerprint})
        imported = AttendanceImport.objects.get(state="applied")

        def grow():
            with freeze_time(session.starts_at - datetime.timedelta(days=1)):
                more = register(session, *(person(f"新人{i}", f"1390000000{i}") for i in range(3)))
            AttendanceRecord.objects.bulk_create(
                AttendanceRecord(
                    attendance_import=imported,
                    registration=r,
                    seconds_present=60,
                    seconds_in_schedule=60,
                    attended=False,
                )
                for r in more
            )

        assert_constant_queries(client, f"/events/sessions/{session.pk}/attendance/", grow)
        assert_constant_queries(client, session.get_absolute_url(), grow)

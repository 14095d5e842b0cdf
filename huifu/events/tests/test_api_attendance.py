"""Online attendance through the API: upload → preview → (mapping) → confirm, the result; allowed
and denied for every role (another co-organiser's session and imports are 404); bad files and
stale or unacknowledged previews answer 400 with the service's code, nothing saved."""

from __future__ import annotations

import pytest
from freezegun import freeze_time

from huifu.core.testing.access import assert_allowed, assert_denied, fetch
from huifu.events.models import AttendanceImport, AttendanceRecord, AttendanceResult

from .attendance_helpers import after, at, csv_upload, online_session, person, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def online(coordinator, university, other_university):
    session = online_session(coordinator, co_organisers=[university])
    online_session(coordinator, co_organisers=[other_university], title="另一场线上课")
    regs = register(session, person("张三", "13800000001"), person("李四", "13800000002"))
    return session, regs


def _lines(session):
    return [
        ["张三", "13800000001", "", at(session, "13:30"), at(session, "16:00")],
        ["陌生人", "13999999999", "", at(session, "14:00"), at(session, "15:00")],
        ["李四", "13800000002", "", at(session, "15:00"), at(session, "14:00")],  # leaves before joining
    ]


def _upload(client, user, session, upload, platform="腾讯会议"):
    return fetch(
        client,
        user,
        f"/api/v1/events/sessions/{session.pk}/attendance-imports/",
        "post",
        {"file": upload, "platform": platform},
    )


def _post_json(client, url, data):
    return client.post(url, data=data, content_type="application/json")


def test_upload_preview_confirm_and_result(client, online, university_user):
    session, (alice, bob) = online
    with freeze_time(after(session)):
        response = _upload(client, university_user, session, csv_upload(_lines(session), encoding="gb18030"))
        assert response.status_code == 201, response.content
        preview = response.json()
        assert preview["state"] == "draft" and preview["encoding"] == "gb18030" and preview["lines_read"] == 3
        assert preview["columns"]["complete"] and preview["columns"]["header_line"] == 1
        assert preview["rule"] == {"min_percent": 60, "source": "default"}
        assert preview["matched_lines"] == 1 and preview["problem_lines"] == 2
        assert any(p["line"] == 3 and "13999999999" in p["message"] for p in preview["problems"])  # the stranger
        assert any(p["line"] == 4 and "早于" in p["message"] for p in preview["problems"])  # in Chinese
        outcomes = {o["registration"]: o for o in preview["outcomes"]}
        assert outcomes[alice.pk]["attended"] is True and outcomes[alice.pk]["lines"] == [2]
        assert outcomes[alice.pk]["seconds_present"] == 9000  # 13:30–16:00
        assert outcomes[bob.pk]["attended"] is False and outcomes[bob.pk]["seconds_present"] == 0
        assert not AttendanceRecord.objects.exists()  # a preview saves nothing

        confirm = f"/api/v1/events/attendance-imports/{preview['id']}/confirm/"
        refused = _post_json(client, confirm, {"fingerprint": preview["fingerprint"]})
        assert refused.status_code == 400 and refused.json()["error"]["code"] == "problems"
        stale = _post_json(client, confirm, {"fingerprint": "0" * 32, "accept_problems": True})
        assert stale.status_code == 400 and stale.json()["error"]["code"] == "stale"
        assert not AttendanceRecord.objects.exists() and not AttendanceResult.objects.exists()

        done = _post_json(client, confirm, {"fingerprint": preview["fingerprint"], "accept_problems": True})
        assert done.status_code == 200, done.content
        body = done.json()
        assert body["changed"] is True and body["superseded"] is None
        assert body["attendance_import"]["state"] == "applied"
        assert body["attendance_import"]["rule"] == {"min_percent": 60, "source": "stamped"}
        assert {o["registration"]: o["attended"] for o in body["attendance_import"]["outcomes"]} == {
            alice.pk: True,
            bob.pk: False,
        }
        again = _post_json(client, confirm, {"fingerprint": preview["fingerprint"], "accept_problems": True})
        assert again.status_code == 400 and again.json()["error"]["code"] == "not_draft"

        result = assert_allowed(client, university_user, f"/api/v1/events/sessions/{session.pk}/attendance/").json()
        assert result["current_import"] == preview["id"]
        assert {r["registration"]: (r["seconds_present"], r["attended"]) for r in result["registrations"]} == {
            alice.pk: (9000, True),
            bob.pk: (0, False),
        }
        detail = assert_allowed(client, university_user, f"/api/v1/events/attendance-imports/{preview['id']}/")
        assert detail.json()["matched_lines"] == 1 and len(detail.json()["problems"]) >= 2


def test_another_platform_is_mapped_then_confirmed(client, online, msc_user):
    session, (alice, _bob) = online
    header = ["参会者", "电话", "Email", "First join", "Last leave"]
    lines = [["张三", "13800000001", "", at(session, "13:30"), at(session, "17:00")]]
    with freeze_time(after(session)):
        preview = _upload(client, msc_user, session, csv_upload(lines, header=header), platform="Zoom").json()
        assert preview["columns"]["complete"] is False and preview["fingerprint"] is None
        assert preview["columns"]["problems"]  # names what is missing
        mapping = f"/api/v1/events/attendance-imports/{preview['id']}/mapping/"
        bad = _post_json(client, mapping, {"columns": {"shoe_size": "电话"}})
        assert bad.status_code == 400 and "shoe_size" in str(bad.json()["error"]["fields"])
        mapped = _post_json(
            client,
            mapping,
            {"columns": {"name": "参会者", "phone": "电话", "join": "First join", "leave": "Last leave"}},
        )
        assert mapped.status_code == 200, mapped.content
        assert mapped.json()["columns"]["complete"] is True and mapped.json()["matched_lines"] == 1
        done = _post_json(
            client,
            f"/api/v1/events/attendance-imports/{preview['id']}/confirm/",
            {"fingerprint": mapped.json()["fingerprint"]},
        )
        assert done.status_code == 200 and done.json()["changed"] is True
        # The mapping is remembered for the platform: its next file is read without the step.
        second = _upload(client, msc_user, session, csv_upload(lines, header=header), platform="zoom").json()
        assert second["columns"]["complete"] is True and second["identical"] is True


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"platform": "腾讯会议"}, "file"),  # no file
        ({"file": lambda s: csv_upload([], header=[]), "platform": ""}, "file"),  # empty
    ],
)
def test_bad_uploads_answer_400_naming_the_file(client, online, msc_user, data, field):
    session, _regs = online
    data = {k: (v(session) if callable(v) else v) for k, v in data.items()}
    with freeze_time(after(session)):
        response = fetch(client, msc_user, f"/api/v1/events/sessions/{session.pk}/attendance-imports/", "post", data)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not AttendanceImport.objects.exists()


def test_upload_before_the_session_is_refused_with_its_code(client, online, msc_user):
    session, _regs = online
    response = _upload(client, msc_user, session, csv_upload(_lines(session)))
    assert response.status_code == 400 and response.json()["error"]["code"] == "not_started"
    assert not AttendanceImport.objects.exists()


def test_who_may_use_the_attendance_api(
    client, online, coordinator, dept_staff, university_user, other_university_user, member_a_admin, public_user
):
    session, _regs = online
    result = f"/api/v1/events/sessions/{session.pk}/attendance/"
    with freeze_time(after(session)):
        for user in (coordinator, dept_staff, university_user):
            assert_allowed(client, user, result)
        for user in (None, other_university_user, member_a_admin, public_user):
            assert_denied(client, user, result, codes=(401, 403, 404))
            response = _upload(client, user, session, csv_upload(_lines(session)))
            assert response.status_code in (401, 403, 404)
        assert not AttendanceImport.objects.exists()
        draft = _upload(client, university_user, session, csv_upload(_lines(session))).json()
        detail = f"/api/v1/events/attendance-imports/{draft['id']}/"
        assert_allowed(client, dept_staff, detail)
        for user in (None, other_university_user, member_a_admin, public_user):
            assert_denied(client, user, detail, codes=(401, 403, 404))
            mapping = fetch(client, user, f"{detail}mapping/", "post", {"header_index": 0})
            assert mapping.status_code in (401, 403, 404)
            response = client.post(
                f"{detail}confirm/",
                data={"fingerprint": draft["fingerprint"], "accept_problems": True},
                content_type="application/json",
            )
            assert response.status_code in (401, 403, 404)
        # Another co-organiser cannot tell an import exists: the same 404 as a missing one.
        assert fetch(client, other_university_user, detail).status_code == 404
        assert fetch(client, other_university_user, "/api/v1/events/attendance-imports/999999/").status_code == 404
    assert not AttendanceRecord.objects.exists()


def test_mapping_refuses_what_the_file_does_not_have(client, online, msc_user):
    session, _regs = online
    with freeze_time(after(session)):
        preview = _upload(client, msc_user, session, csv_upload(_lines(session))).json()
        mapping = f"/api/v1/events/attendance-imports/{preview['id']}/mapping/"
        for body, field, text in [
            ({"header_index": 999}, "header_index", "0 到 3"),
            ({"columns": {"name": "不存在的列"}}, "columns", "“不存在的列”不是第 1 行的列"),
            ({"columns": {"name": ["x"]}}, "columns.name", ""),
        ]:
            response = _post_json(client, mapping, body)
            assert response.status_code == 400, body
            messages = response.json()["error"]["fields"][field]
            assert all("ErrorDetail" not in m for m in messages) and text in " ".join(messages)
        draft = AttendanceImport.objects.get()
        assert draft.mapping["header_index"] == 0 and draft.mapping["columns"]["name"] == "姓名"  # unchanged


def test_a_member_user_cannot_tell_which_import_ids_exist(client, online, msc_user, member_a_admin):
    session, _regs = online
    with freeze_time(after(session)):
        draft = _upload(client, msc_user, session, csv_upload(_lines(session))).json()
        for suffix in ("", "mapping/", "confirm/"):
            method = "get" if not suffix else "post"
            real = fetch(client, member_a_admin, f"/api/v1/events/attendance-imports/{draft['id']}/{suffix}", method)
            missing = fetch(client, member_a_admin, f"/api/v1/events/attendance-imports/999999/{suffix}", method)
            assert real.status_code == missing.status_code == 403

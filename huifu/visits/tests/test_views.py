"""Visit pages: who may open and post what, what is shown, isolation, query counts."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from huifu.core.testing.access import assert_allowed, assert_constant_queries, assert_denied
from huifu.core.testing.auth import login
from huifu.visits import services
from huifu.visits.models import VisitRequest, VisitStatus

from .conftest import REQUEST, pdf_upload

pytestmark = pytest.mark.django_db

ALL = [
    "anonymous",
    "public_user",
    "member_a_admin",
    "member_b_admin",
    "partner_user",
    "regulator",
    "dept_staff",
    "msc_user",
    "coordinator",
]
STAFF = {"dept_staff", "msc_user", "coordinator"}
REQUESTERS = {"member_a_admin", "member_b_admin", "partner_user"}


def persona(request, name):
    return None if name == "anonymous" else request.getfixturevalue(name)


@pytest.mark.parametrize("name", ALL)
def test_list_page(request, client, official_calendar, make_visit, name):
    visit = make_visit(purpose="甲公司的来访目的")
    user = persona(request, name)
    if name in STAFF | REQUESTERS:
        response = assert_allowed(client, user, reverse("visits:list"))
        shown = "甲期货有限公司" in response.content.decode()
        assert shown is (name in STAFF or name == "member_a_admin")
    else:
        assert_denied(client, user, reverse("visits:list"), codes=(403,))
    assert visit.pk


@pytest.mark.parametrize("name", ALL)
def test_detail_page(request, client, official_calendar, make_visit, name):
    visit = make_visit()
    user = persona(request, name)
    url = reverse("visits:detail", args=[visit.pk])
    if name in STAFF or name == "member_a_admin":
        response = assert_allowed(client, user, url)
        assert "交流期权做市业务" in response.content.decode()
    else:
        assert_denied(client, user, url, codes=(403, 404))


def test_other_company_visit_reads_like_missing(client, official_calendar, make_visit, member_b_admin):
    visit = make_visit()
    other = assert_denied(client, member_b_admin, reverse("visits:detail", args=[visit.pk]), codes=(404,))
    missing = assert_denied(client, member_b_admin, reverse("visits:detail", args=[visit.pk + 99]), codes=(404,))
    assert other.status_code == missing.status_code == 404


@pytest.mark.parametrize("name", ALL)
def test_create_page_and_post(request, client, official_calendar, name):
    user = persona(request, name)
    url = reverse("visits:create")
    data = {**REQUEST, "contact_name": "联系人", "contact_email": "c@example.com"}
    if name in REQUESTERS:
        assert_allowed(client, user, url)
        response = assert_allowed(client, user, url, method="post", data=data, ok=(302,))
        visit = VisitRequest.objects.get()
        assert response["Location"] == visit.get_absolute_url() and visit.organisation == user.organisation
    else:
        assert_denied(client, user, url, codes=(403,))
        assert_denied(client, user, url, method="post", data=data, codes=(403,))
        assert not VisitRequest.objects.exists()


def test_create_with_bad_input_shows_errors_next_to_fields(client, official_calendar, member_a_admin):
    login(client, member_a_admin)
    response = client.post(reverse("visits:create"), {"purpose": "", "visitor_count": "abc"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"purpose", "visitor_count", "contact_email"}
    assert not VisitRequest.objects.exists()


@pytest.mark.parametrize("name", ALL)
def test_register_letter(request, client, official_calendar, org_a, name):
    user = persona(request, name)
    url = reverse("visits:register_letter")
    data = {
        **REQUEST,
        "contact_name": "张三",
        "contact_email": "z@alpha.example",
        "organisation": org_a.pk,
        "received_at": "2023-09-28T16:30",
        "letter": pdf_upload(),
    }
    if name in STAFF:
        assert_allowed(client, user, url)
        assert_allowed(client, user, url, method="post", data=data, ok=(302,))
        visit = VisitRequest.objects.get()
        assert visit.letter is not None and timezone.localtime(visit.received_at).hour == 16
    else:
        assert_denied(client, user, url, codes=(403,))
        assert_denied(client, user, url, method="post", data=data, codes=(403,))
        assert not VisitRequest.objects.exists()


def test_register_letter_with_wrong_file_is_a_form_error_not_500(client, official_calendar, org_a, msc_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, msc_user)
    data = {
        **REQUEST,
        "contact_name": "张三",
        "contact_email": "z@alpha.example",
        "organisation": org_a.pk,
        "received_at": "2023-09-28T16:30",
        "letter": SimpleUploadedFile("letter.pdf", b"just text"),
    }
    response = client.post(reverse("visits:register_letter"), data)
    assert response.status_code == 200 and "letter" in response.context["form"].errors
    assert not VisitRequest.objects.exists()


@pytest.mark.parametrize("name", ALL)
def test_arrange_page_and_post(request, client, official_calendar, make_visit, coordinator, name):
    visit = make_visit()
    user = persona(request, name)
    url = reverse("visits:arrange", args=[visit.pk])
    data = {
        "starts_at": "2030-10-10T14:00",
        "ends_at": "2030-10-10T16:00",
        "place": "3楼会议室",
        "attendees": [coordinator.pk],
        "agenda": "交流",
    }
    if name == "coordinator":
        assert_allowed(client, user, url)
        assert_allowed(client, user, url, method="post", data=data, ok=(302,))
        visit.refresh_from_db()
        assert visit.status == VisitStatus.ARRANGED and visit.place == "3楼会议室"
    else:
        assert_denied(client, user, url, codes=(403, 404))
        assert_denied(client, user, url, method="post", data=data, codes=(403, 404))
        visit.refresh_from_db()
        assert visit.status == VisitStatus.REQUESTED


@pytest.mark.parametrize("name", ALL)
def test_confirm_and_change(request, client, official_calendar, make_visit, arrange, name):
    visit = arrange(make_visit())
    user = persona(request, name)
    for action, data, state in (("visits:change", {"reason": "改到上午"}, VisitStatus.CHANGE_REQUESTED),):
        url = reverse(action, args=[visit.pk])
        if name == "member_a_admin":
            assert_allowed(client, user, url, method="post", data=data, ok=(302,))
            visit.refresh_from_db()
            assert visit.status == state
        else:
            assert_denied(client, user, url, method="post", data=data, codes=(403, 404))
            visit.refresh_from_db()
            assert visit.status == VisitStatus.ARRANGED
    if name != "member_a_admin":
        assert_denied(client, user, reverse("visits:confirm", args=[visit.pk]), method="post", codes=(403, 404))
        visit.refresh_from_db()
        assert visit.status == VisitStatus.ARRANGED


def test_member_confirms_through_the_page(client, official_calendar, make_visit, arrange, member_a_contact):
    visit = arrange(make_visit())
    login(client, member_a_contact)
    page = client.get(reverse("visits:detail", args=[visit.pk])).content.decode()
    assert reverse("visits:confirm", args=[visit.pk]) in page and "3楼会议室" in page
    response = client.post(reverse("visits:confirm", args=[visit.pk]))
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CONFIRMED
    # Confirming twice is a message, not an error page.
    response = client.post(reverse("visits:confirm", args=[visit.pk]), follow=True)
    assert response.status_code == 200


def test_change_without_reason_changes_nothing(client, official_calendar, make_visit, arrange, member_a_admin):
    visit = arrange(make_visit())
    login(client, member_a_admin)
    response = client.post(reverse("visits:change", args=[visit.pk]), {"reason": ""}, follow=True)
    assert response.status_code == 200
    visit.refresh_from_db()
    assert visit.status == VisitStatus.ARRANGED


@pytest.mark.parametrize("name", ALL)
def test_hold_and_cancel(request, client, official_calendar, make_visit, arrange, member_a_admin, name):
    visit = arrange(make_visit(), start=timezone.now() - datetime.timedelta(hours=2))
    services.visit_confirm(actor=member_a_admin, visit=visit)
    user = persona(request, name)
    hold = reverse("visits:hold", args=[visit.pk])
    cancel = reverse("visits:cancel", args=[visit.pk])
    if name == "coordinator":
        assert_allowed(client, user, hold, method="post", data={"notes": "顺利"}, ok=(302,))
        visit.refresh_from_db()
        assert visit.status == VisitStatus.HELD
        return
    assert_denied(client, user, hold, method="post", data={"notes": "x"}, codes=(403, 404))
    if name == "member_a_admin":
        assert_allowed(client, user, cancel, method="post", data={"reason": "有事"}, ok=(302,))
        visit.refresh_from_db()
        assert visit.status == VisitStatus.CANCELLED
    else:
        assert_denied(client, user, cancel, method="post", data={"reason": "x"}, codes=(403, 404))
        visit.refresh_from_db()
        assert visit.status == VisitStatus.CONFIRMED


@pytest.mark.parametrize("name", ["member_a_admin", "member_b_admin", "coordinator"])
def test_ics_download(request, client, official_calendar, make_visit, arrange, name):
    visit = make_visit()
    user = persona(request, name)
    url = reverse("visits:ics", args=[visit.pk])
    assert_denied(client, user, url, codes=(404,))  # not arranged yet
    arrange(visit)
    if name == "member_b_admin":
        assert_denied(client, user, url, codes=(404,))
    else:
        response = assert_allowed(client, user, url)
        assert response["Content-Type"].startswith("text/calendar") and b"BEGIN:VEVENT" in response.content
        assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("name", ["coordinator", "member_a_admin"])
def test_list_runs_constant_queries(request, client, official_calendar, make_visit, arrange, name):
    make_visit()
    login(client, request.getfixturevalue(name))

    def grow():
        for _ in range(3):
            arrange(make_visit())

    assert_constant_queries(client, reverse("visits:list"), grow)


def test_detail_shows_deadline_and_staff_history(client, official_calendar, make_visit, coordinator):
    visit = make_visit()
    login(client, coordinator)
    page = client.get(reverse("visits:detail", args=[visit.pk])).content.decode()
    assert reverse("visits:arrange", args=[visit.pk]) in page
    assert 'class="deadline' in page

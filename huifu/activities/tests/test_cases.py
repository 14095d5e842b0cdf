"""Finished activities are a source of industry-service cases (the plan's last step)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from huifu.cases import services as case_services
from huifu.core.testing.access import assert_allowed

pytestmark = pytest.mark.django_db


def test_case_written_from_an_accepted_activity(coordinator, accepted_activity):
    case = case_services.case_create_draft(
        actor=coordinator, source=accepted_activity, title="铜产业链论坛案例", summary="摘要", body="正文"
    )
    assert case.source == accepted_activity
    assert case.source_label == accepted_activity.title


def test_an_activity_not_yet_held_is_refused_as_a_source(coordinator, approved_activity):
    with pytest.raises(ValidationError) as exc:
        case_services.case_create_draft(actor=coordinator, source=approved_activity, title="t", summary="s", body="b")
    assert "source" in exc.value.message_dict


def test_detail_page_does_not_offer_a_write_up_before_the_summary_is_accepted(client, coordinator, approved_activity):
    page = assert_allowed(client, coordinator, reverse("activities:detail", args=[approved_activity.pk]))
    assert "?source=activities.activity:" not in page.content.decode()


def test_detail_page_offers_the_write_up_when_finished(client, coordinator, accepted_activity):
    link = f"?source=activities.activity:{accepted_activity.pk}"
    page = assert_allowed(client, coordinator, reverse("activities:detail", args=[accepted_activity.pk]))
    assert link in page.content.decode()
    form = assert_allowed(client, coordinator, reverse("cases:create") + link)
    assert accepted_activity.title in form.content.decode()

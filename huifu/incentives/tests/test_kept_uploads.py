"""Evidence attached to a participation report survives a form that comes back with an error: the
files are kept once and attached on the next submission, not stored twice."""

from django.urls import reverse

from huifu.core.testing.auth import login
from huifu.files.kept import KEPT_PURPOSE, KEPT_SUFFIX
from huifu.files.models import StoredFile

from .conftest import pdf_upload


def test_results_files_survive_a_missing_text(client, member_a_admin, tracking):
    login(client, member_a_admin)
    url = reverse("incentives:participation_results", args=[tracking.pk])
    before = StoredFile.objects.count()
    r = client.post(url, {"results-text": "", "results-files": [pdf_upload("成果一.pdf"), pdf_upload("成果二.pdf")]})
    assert r.status_code == 400
    token, names = r.context["results_form"].kept_uploads["files"]
    assert names == "成果一.pdf、成果二.pdf"
    assert f'name="results-files{KEPT_SUFFIX}"' in r.content.decode()
    r = client.post(url, {"results-text": "成果报告", f"results-files{KEPT_SUFFIX}": token})
    assert r.status_code == 302
    tracking.refresh_from_db()
    assert tracking.status == "acceptance_review"
    assert StoredFile.objects.count() == before + 2  # stored once, claimed
    assert not StoredFile.objects.filter(purpose=KEPT_PURPOSE).exists()
    assert {"成果一.pdf", "成果二.pdf"} <= {a.file.original_name for a in tracking.attachments.all()}


def test_another_company_cannot_use_the_token(client, member_a_admin, member_b_admin, tracking, make_project):
    login(client, member_a_admin)
    url = reverse("incentives:participation_results", args=[tracking.pk])
    r = client.post(url, {"results-text": "", "results-files": [pdf_upload("成果.pdf")]})
    token, _names = r.context["results_form"].kept_uploads["files"]
    client.logout()
    login(client, member_b_admin)
    # B cannot reach A's participation at all, and the token brings B nothing on any form.
    assert client.post(url, {"results-text": "x", f"results-files{KEPT_SUFFIX}": token}).status_code == 404
    assert StoredFile.objects.filter(purpose=KEPT_PURPOSE).count() == 1

"""The exchange's identity as data: the accessor and its cache, the staff page (who may use it,
bad input, the logo served publicly, the hotline announced), and loading an exchange profile."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from huifu.accounts.system import system_actor
from huifu.audit.models import AuditEvent
from huifu.core.identity import exchange
from huifu.core.testing.access import assert_allowed, assert_denied
from huifu.core.testing.auth import login
from huifu.core.testing.factories import staff_user
from huifu.directory.models import Department
from huifu.hotline.models import HotlineSetting
from huifu.products.models import Product
from huifu.publicsite import demo
from huifu.publicsite.models import SiteIdentity
from huifu.publicsite.services import IDENTITY_FIELDS, exchange_profile_load, identity_update, profile_read

pytestmark = pytest.mark.django_db
URL = "/identity/"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 94, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


def _form_data(**changes: str) -> dict[str, str]:
    row = SiteIdentity.current()
    data = {name: getattr(row, name) or "" for name in IDENTITY_FIELDS}
    data["action"] = "identity"
    data.update(changes)
    return data


@pytest.fixture
def superuser(dept_business):
    return staff_user(dept_business, email="root@exchange.example", full_name="超级管理员", is_superuser=True)


def test_the_running_values_come_from_the_migrated_row():
    ex = exchange()
    assert (ex.name_zh, ex.short_name_zh, ex.short_name_en) == ("上海期货交易所", "上期所", "SHFE")
    assert (ex.subsidiary_name_zh, ex.subsidiary_short_en) == ("上海国际能源交易中心", "INE")
    assert ex.service_mailbox == "msc@shfe.com.cn" and ex.doc_number(2023, 61) == "上期发〔2023〕61号"
    assert ex.hotline == "800-820-3618"  # the hotline app's setting in force


def test_the_identity_is_cached_and_forgotten_on_save(django_assert_num_queries):
    exchange()
    with django_assert_num_queries(0):
        assert exchange().name_zh == "上海期货交易所"
    row = SiteIdentity.objects.get()
    row.name_zh = "大连商品交易所"
    row.save()
    assert exchange().name_zh == "大连商品交易所"
    HotlineSetting.objects.create(number="400-111-2222", effective_from=datetime.date(2099, 1, 1))
    assert (exchange().hotline_next, exchange().hotline_next_from) == ("400-111-2222", datetime.date(2099, 1, 1))


def test_english_reads_the_english_names():
    from django.utils import translation

    with translation.override("en"):
        assert exchange().name == "Shanghai Futures Exchange" and exchange().short_name == "SHFE"
    with translation.override("zh-hans"):
        assert exchange().name == "上海期货交易所" and exchange().short_name == "上期所"


def test_only_member_management_and_superusers_open_the_page(
    client, coordinator, superuser, dept_staff, msc_user, member_a_admin
):
    assert_allowed(client, coordinator, URL)
    assert_allowed(client, superuser, URL)
    for user in (dept_staff, msc_user, member_a_admin):
        assert_denied(client, user, URL, codes=(403,))
        assert_denied(client, user, URL, method="post", data=_form_data(name_zh="别的交易所"), codes=(403,))
    assert SiteIdentity.current().name_zh == "上海期货交易所"
    client.logout()
    assert client.get(URL).status_code == 302  # to the login page


def test_the_page_changes_the_identity_everywhere(client, coordinator):
    login(client, coordinator)
    response = client.post(URL, _form_data(name_zh="某某商品交易所", short_name_zh="某商所", website="www.example.cn"))
    assert response.status_code == 302
    row = SiteIdentity.current()
    assert (row.name_zh, row.short_name_zh, row.website) == ("某某商品交易所", "某商所", "https://www.example.cn")
    home = client.get("/").content.decode()
    assert "某商所" in home and "某某商品交易所" in home
    assert AuditEvent.objects.filter(target_id=str(row.pk), action="update").exists()


def test_bad_input_names_the_field_and_saves_nothing(client, coordinator):
    login(client, coordinator)
    response = client.post(URL, _form_data(name_zh="", service_mailbox="not-an-address"))
    assert response.status_code == 200
    form = response.context["form"]
    assert "name_zh" in form.errors and "service_mailbox" in form.errors
    assert SiteIdentity.current().name_zh == "上海期货交易所"
    with pytest.raises(ValidationError) as error:
        identity_update(actor=coordinator, data={"colour": "red"})
    assert "colour" in error.value.message_dict


def test_the_logo_is_uploaded_through_files_and_served_to_anyone(client, coordinator):
    login(client, coordinator)
    bad = SimpleUploadedFile("logo.png", b"%PDF-1.4 not an image", content_type="image/png")
    response = client.post(URL, {**_form_data(), "logo_upload": bad})
    assert response.status_code == 200 and "logo" in str(response.context["form"].errors)
    assert SiteIdentity.current().logo_id is None
    logo = SimpleUploadedFile("logo.png", _png(), content_type="image/png")
    assert client.post(URL, {**_form_data(), "logo_upload": logo}).status_code == 302
    url = exchange().logo_url
    assert url.startswith("/public/logo/")
    client.logout()
    served = client.get(url)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == _png()
    landing = client.get("/").content.decode()
    assert f'src="{url}"' in landing  # header and public site
    # Any other file id: 404, never another stored file.
    assert client.get(reverse("publicsite:logo", args=["00000000-0000-0000-0000-000000000000"])).status_code == 404
    login(client, coordinator)
    client.post(URL, {**_form_data(), "remove_logo": "on"})
    client.logout()
    assert exchange().logo_url == "" and client.get(url).status_code == 404


def test_an_announced_hotline_shows_beside_the_one_in_force(client, coordinator, member_a_admin):
    login(client, coordinator)
    response = client.post(
        URL,
        {
            "action": "hotline",
            "hotline-number": "400-820-0000",
            "hotline-effective_from": "2099-01-01",
            "hotline-follow_up_working_days": "2",
            "hotline-note": "公告的新热线",
        },
    )
    assert response.status_code == 302
    bad = client.post(
        URL,
        {
            "action": "hotline",
            "hotline-number": "abc",
            "hotline-effective_from": "2099-02-01",
            "hotline-follow_up_working_days": "2",
        },
    )
    assert bad.status_code == 200 and "number" in bad.context["hotline_form"].errors
    login(client, member_a_admin)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "800-820-3618" in page and "400-820-0000" in page and "2099-01-01" in page
    client.logout()
    assert "400-820-0000" in client.get("/").content.decode()


def test_a_profile_configures_another_exchange_by_data_alone(dept_mm, dept_business, dept_ine):
    data, base = profile_read("dce")
    report = exchange_profile_load(actor=system_actor(), profile=data, base_dir=base, year=2026)
    ex = exchange()
    assert (ex.name_zh, ex.short_name_en, ex.has_subsidiary) == ("大连商品交易所", "DCE", False)
    assert ex.logo_url and ex.website == "https://www.dce.com.cn"
    assert Department.objects.get(code="member-management").name_zh == "会员服务部"
    assert not Department.objects.get(code="ine").is_active and not Department.objects.get(code="nonferrous").is_active
    assert Product.objects.get(code="m_o").underlying.code == "m"
    assert not Product.objects.get(code="cu").is_active and Product.objects.filter(is_active=True).count() == 11
    assert report.products == 11 and report.letter_prefixes == 2
    assert list(HotlineSetting.objects.order_by("effective_from").values_list("number", flat=True)) == [
        "0411-84801111",
        "400-860-0411",
    ]
    # Loading again changes nothing more (idempotent): the same logo file, no second copy.
    logo = SiteIdentity.current().logo_id
    exchange_profile_load(actor=system_actor(), profile=data, base_dir=base, year=2026)
    assert Product.objects.filter(is_active=True).count() == 11 and HotlineSetting.objects.count() == 2
    assert SiteIdentity.current().logo_id == logo


def test_a_bad_profile_is_refused_whole(tmp_path, dept_mm):
    data, _base = profile_read("dce")
    data["products"][3]["kind"] = "swap"
    with pytest.raises(ValidationError) as error:
        exchange_profile_load(actor=system_actor(), profile=data, base_dir=_base)
    assert "products[3]" in " ".join(error.value.messages)
    assert (
        exchange().name_zh == "上海期货交易所"
        and Department.objects.get(code="member-management").name_zh == "会员管理部"
    )
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValidationError, match="不是有效的 JSON 配置文件"):
        profile_read(str(path))
    path.write_text(
        json.dumps({"identity": {"name_zh": "某交易所", "platform_zh": "会服", "logo": "missing.png"}}),
        encoding="utf-8",
    )
    loaded, folder = profile_read(str(path))
    with pytest.raises(ValidationError) as error:
        exchange_profile_load(actor=system_actor(), profile=loaded, base_dir=folder)
    assert "logo" in error.value.message_dict


def test_the_command_loads_a_profile_and_says_what_it_did(capsys):
    call_command("load_exchange_profile", "dce", "--year", "2026")
    assert "大连商品交易所" in capsys.readouterr().out
    call_command("load_exchange_profile", "shfe")
    assert exchange().name_zh == "上海期货交易所"


def test_the_demo_runs_twice():
    demo.seed()
    demo.seed()
    assert SiteIdentity.objects.count() == 1 and exchange().short_name_zh == "上期所"

"""The generated document: the seed's structure and wording, deterministic, placeholders and flows."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from huifu.accounts.system import system_actor
from huifu.yearplan import document, services, workflows
from huifu.yearplan.render_docx import docx_bytes, docx_text
from huifu.yearplan.render_pdf import pdf_bytes

from .conftest import seed_headings, seed_text

pytestmark = pytest.mark.django_db


def test_the_2023_document_has_every_heading_of_the_seed_in_order(plan_2023):
    doc = document.compose(plan_2023)
    expected = seed_headings()
    assert len(expected) == 38  # 3 parts, 7 numbered programmes, 28 section headings
    assert document.headings(doc) == expected
    assert doc["title"] == ["2023年上海期货交易所", "会员服务和投资者教育工作安排"]


def test_the_2023_document_says_what_the_seed_says(plan_2023, records_2023):
    text = document.document_text(document.compose(plan_2023))
    seed = seed_text()
    lines = text.splitlines()
    # Paragraphs without footnotes or record-dependent facts are the seed's, word for word.
    for paragraph in (
        "接待来访：会员或市场机构发送拜访函至MSC邮箱或办公室——交易所收文并于2个工作日内反馈接待安排。",
        "会员单位/行业协会发起申请——交易所审批活动——合作对象举办活动并提交总结材料——交易所审核并进行费用报销——甄选产业服务案例并宣传。",
        "会员单位/综合业务平台交易商等发起申请/备案——交易所评审——交易所项目跟踪——成果验收。",
        "（部分项目还包括会员单位结项申请—交易所结项评审。）",
        "会员单位发起申请——交易所甄选期货公司及企业、评审方案——期货公司按计划推进——证监局跟进、监督——交易所甄选产业服务案例并宣传。",
        "交易所主办；或会员单位发起申请——交易所甄选方案——统筹支持、甄选成果进行宣传。",
        "相关方案已于会服系统、交易所官网、公众号发布，详见2023年3月8日发布的《关于开展2023年“上期强源助企”项目的通知》（上期发〔2023〕61号）。",
    ):
        assert paragraph in seed
        assert paragraph in lines
    assert seed.splitlines()[3] in lines  # the preface
    # Facts from the records: the products covered, the reply period, the mailbox, the hotline.
    expected_products = f"{records_2023['futures']}个期货品种和全部{records_2023['options']}个期权品种"
    assert f"目前，“上期强源助企”项目覆盖交易所{expected_products}。" in text
    assert "并于2周内通过邮件/电话会议等形式" in text
    assert "（msc@shfe.com.cn）" in text
    assert "[1] 目前市场服务中心热线电话为800-820-3618；后续热线电话拟调整为400电话，请以最新热线号码为准。" in lines
    assert "“一路铜行”、“丰羽行动”、“助实体、稳发展”" in text


def test_generating_twice_gives_the_same_document_docx_and_pdf(plan_2023):
    first = document.compose(plan_2023)
    second = document.compose(plan_2023)
    assert first == second
    assert document.document_text(first) == document.document_text(second)
    docx_1, docx_2 = docx_bytes(first, author="x"), docx_bytes(second, author="x")
    assert docx_1 == docx_2
    assert docx_text(docx_1) == docx_text(docx_2)
    assert "（操作流程）" in docx_text(docx_1) and "目前市场服务中心热线电话为" in docx_text(docx_1)
    pdf_1, pdf_2 = pdf_bytes(first, author="x"), pdf_bytes(second, author="x")
    assert pdf_1 == pdf_2
    assert pdf_1.startswith(b"%PDF")


def test_an_unknown_placeholder_is_refused_naming_it(plan_2023):
    programme = plan_2023.programmes.get(key="one-stop")
    with pytest.raises(ValidationError) as caught:
        services.programme_update(actor=system_actor(), programme=programme, support="热线：{hotline_nmber}")
    message = " ".join(caught.value.message_dict["support"])
    assert "{hotline_nmber}" in message and "{hotline}" in message
    programme.refresh_from_db()
    assert programme.support == ""


def test_typed_steps_are_refused_and_the_workflow_must_be_cited(plan_2023):
    programme = plan_2023.programmes.get(key="one-stop")
    with pytest.raises(ValidationError) as caught:
        services.programme_update(
            actor=system_actor(), programme=programme, procedure="会员发送拜访函——交易所当天安排。"
        )
    messages = " ".join(caught.value.message_dict["procedure"])
    assert "{flow:" in messages and "{flow:visit_reception}" in messages
    with pytest.raises(ValidationError, match="visit_quick"):
        services.programme_update(actor=system_actor(), programme=programme, procedure="{flow:visit_quick}。")


def test_every_flow_follows_its_machines_and_a_drifted_flow_fails():
    for flow in workflows.FLOWS.values():
        workflows.check_flow(flow)
    drifted = workflows.Flow(
        "x", "x", ("visit",), (workflows.Step("交易所直接接待", ("visit.requested", "visit.held")),)
    )
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="main path"):
        workflows.check_flow(drifted)


def test_a_fact_the_records_lack_is_named(plan_2023, records_2023):
    records_2023["project"].delete()
    with pytest.raises(ValidationError, match=r"脚注 pilots：\{pilots\}：本年度尚无已开放或已结束的激励项目"):
        document.compose(plan_2023)


def test_chinese_numbers():
    assert [document.cn_number(n) for n in (1, 9, 10, 11, 20, 23)] == ["一", "九", "十", "十一", "二十", "二十三"]


def test_the_document_follows_the_exchange_identity(plan_2023):
    from huifu.publicsite.models import SiteIdentity

    row = SiteIdentity.current()
    row.name_zh, row.short_name_zh, row.service_mailbox = "大连商品交易所", "大商所", "msc@dce.example"
    row.save()
    text = document.document_text(document.compose(plan_2023))
    assert text.splitlines()[1] == "2023年大连商品交易所"
    assert "大连商品交易所（以下简称大商所）" in text and "（msc@dce.example）" in text
    assert "上海期货交易所" not in text and "上期所" not in text


def test_every_line_of_the_seed_up_to_the_form_is_generated_word_for_word(plan_2023):
    """The 2023 document says what the published plan says. Known difference: the seed's
    footnote marks are line breaks in its text (split the generated text there too)."""
    import re

    text = document.document_text(document.compose(plan_2023))
    generated = set(re.sub(r"\[\d+\]", "\n", text).splitlines())
    seed_lines = [line.strip() for line in seed_text().splitlines() if line.strip()]
    body = seed_lines[: seed_lines.index("附")]
    missing = [line for line in body if line not in generated]
    assert missing == []

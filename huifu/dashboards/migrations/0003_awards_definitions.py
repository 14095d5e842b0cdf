"""Seeds the definitions of the awards figures (the management dashboard's awards panel and a
member company's own awards), as part of the first edition (2023) like every other figure's.
The texts are frozen here: later editions are new rows written by staff on the definitions page."""

from django.db import migrations

FIRST = 2023

TEXTS = {
    "awards": (
        "评优：当年的会员评优、境外经纪机构突出市场贡献奖和优秀分析师（团队）评选，按评优项目统计。"
        "开展：已开启（非草稿）的评价，评选为当年设立的评选；参评：评价的任一计算结果中的机构（去重），"
        "评选为提交过的申报（含之后撤回的）；异议：对当年评价提出的异议，已处理为已采纳或不予采纳"
        "（评选不设异议，显示为“—”）；获奖：当年届次公布的获奖者，已撤销为其中被撤销的（撤销后仍计入公布数）。",
        "Awards: the year's member rating, overseas broker contribution award and excellent analyst (team) "
        "selection, by programme. Run: evaluations opened (not drafts), for the analysts the year's selection; "
        "evaluated: distinct organisations in any computed result of the evaluation, for the analysts "
        "applications submitted at least once (including those withdrawn later); objections: objections to "
        "the year's evaluations, decided meaning upheld or rejected (the selection takes no objections: "
        "“—”); winners: winners published in the year's editions, revoked: those of them revoked (a revoked "
        "winner still counts as published).",
    ),
    "awards_member": (
        "本公司评优：只统计本公司自己的记录，不含任何其他机构或全体参评者的数字，也不显示名次。"
        "已公布结果：含本公司结果的已公布名单版本（v1、v1.1…）及已公布的评选结果；申报：本公司提交过的评选申报；"
        "异议：本公司提出的异议及其中已处理的；获奖和证书：本公司当年届次的获奖者及证书编号，已撤销的注明。",
        "Our awards: only the company's own records, never a figure of another organisation or of all those "
        "evaluated, and no rank. Published results: published list versions (v1, v1.1 …) holding the "
        "company's result, and published selection results with its applications; applications: the "
        "company's selection applications submitted at least once; objections: those the company submitted "
        "and how many are decided; awards and certificates: the company's winners in the year's editions with "
        "their certificate numbers, revoked ones marked.",
    ),
}


def seed(apps, schema_editor):
    Definition = apps.get_model("dashboards", "FigureDefinition")
    for key, (zh, en) in TEXTS.items():
        Definition.objects.get_or_create(year=FIRST, key=key, defaults={"text_zh": zh, "text_en": en})


def unseed(apps, schema_editor):
    Definition = apps.get_model("dashboards", "FigureDefinition")
    Definition.objects.filter(year=FIRST, key__in=list(TEXTS)).delete()


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0002_first_edition")]
    operations = [migrations.RunPython(seed, unseed)]

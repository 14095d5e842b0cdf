"""Demo yearly arrangements for ``manage.py seed_demo``: 2023 entered from the published plan
(huifu/notices/demo_data, the seed), with the facts Huifu holds written as placeholders and the
flows cited from the workflows, then frozen; 2024 started from 2023 and being edited.
Idempotent: a year that exists is left alone."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import IO, Any

from huifu.accounts.system import system_actor

from . import services
from .models import ArrangementYear, Part

SEED = Path(__file__).resolve().parent.parent / "notices" / "demo_data"
D = datetime.date


def _edu_base() -> str:
    """The investor-education base's address, as the published plan gives it."""
    for path in sorted(SEED.glob("2023-*arrangements*.txt")):
        found = re.search(r"https?://edu\.[A-Za-z0-9.\-]+/?", path.read_text(encoding="utf-8"))
        if found:
            return found.group(0)
    return ""


PREFACE_2023 = (
    "{year}年，{exchange_name}（以下简称{exchange_short}）扎根期货服务实体本质，践行高质量发展要求，紧紧围绕“三年规划”确定的战略目标，"
    "优化并创新推出了一系列服务会员、服务市场发展的安排举措。一是紧密联系会员和市场，进一步提升服务会员和市场的质量和效果，"
    "优化现有“一站通”会员服务机制和合作举办市场活动工作；携手期货公司会员，聚焦产业培育和企业服务，打造“上期强源助企”品牌，"
    "创新推出“企业深耕计划”。二是拓展市场服务的广度和深度，助力实体企业更好进行风险管理，定期开展“大宗商品月月谈”，"
    "常态化组织面向会员、实体企业、从业人员、机构投资者等重要市场参与主体的培训活动，响应“推动投资者教育进入国民教育体系”号召。"
    "三是树立榜样，促进行业合规稳健发展，组织系列评优活动。为便于会员单位等及时把握工作方向、更好与交易所进行工作对接，"
    "特整理今年会员服务和投资者教育工作安排。"
)
CLOSING_2023 = (
    "{exchange_short}将持续关注市场运行态势和行业发展情况，根据交易所业务开展和工作推进情况，"
    "定期对会员服务和投资者教育工作安排内容进行更新。"
)


def programmes_2023() -> list[dict[str, Any]]:
    edu = _edu_base()
    edu_text = f"（{edu}）" if edu else ""
    return [
        {
            "key": "one-stop",
            "part": Part.MEMBER_SERVICES,
            "position": 1,
            "title": "“一站通”会员服务机制",
            "workflow": "visit_reception",
            "background": (
                "为加强与会员联系和信息交流，提升服务会员质量，便利交易所倾听市场声音，优化市场运行机制，"
                "交易所不断完善“一站通”会员服务机制，建立会员与交易所各业务口流畅通道和长效化意见建议落实机制。"
            ),
            "introduction": (
                "统筹会员、市场机构接待来访：充分发挥交易所窗口部门沟通联系和综合协调作用，由会员管理部统筹会员等单位接待来访工作。"
                "召集所内业务人员共同参与，对于会员反馈的市场意见建议，在所内进行研究讨论，并于{feedback_reply_period}内通过邮件/电话会议等形式"
                "进行一对一沟通反馈。对于市场共性问题或关注度较高的问题，可组织线上会议或通过会服系统发送报告形式集中反馈。\n"
                "拓展与会员日常沟通渠道：①利用交易所网站、会服系统、微信公众号、期货公司联系人微信群、期货公司负责人微信群等渠道，"
                "及时发布并提示交易所重要信息和安排。定期在期货公司负责人群公布业务对口部门与联系人信息，后续还将在会服系统设立专栏展示有关信息，"
                "便利会员业务咨询与开展。②对于会员希望向交易所反馈的意见建议，或希望交易所协助推动解决的事项，会员可根据业务需要，"
                "主动发起与交易所联系，通过“一站通”会员服务机制，发送《“一站通”会员之声反馈表》（详见附件）至交易所市场服务中心（MSC）邮箱"
                "（{msc_mailbox}），会员管理部将安排专人对接，协调所内相关职能部门，予以书面回复或通过一对一线上会议等形式进行反馈。"
                "此外，也可以致电MSC热线{footnote:hotline}进行问询，交易所将确保市场服务顺畅。"
            ),
            "procedure": "接待来访：{flow:visit_reception}。",
            "support": "",
        },
        {
            "key": "cohosted-activities",
            "part": Part.MEMBER_SERVICES,
            "position": 2,
            "title": "合作举办市场活动",
            "workflow": "cohosted_activity",
            "background": "为拓展市场服务广度和深度、加大对产业企业培育，交易所每年支持与会员单位、行业协会举办形式多样的市场活动。",
            "introduction": (
                "今年合办活动主题将继续围绕服务实体经济发展、深化市场运行质量和影响力，提高产业客户市场参与度。"
                "交易所将与相关单位合作举办各类市场活动，包括大型论坛、投资者报告会、小型产业沙龙、校园人才培养、调研、线上直播等。\n"
                "除常规活动外，今年还设置了专项活动，鼓励相关合作方结合交易所阶段发展目标和重点工作安排，开展针对性更强的高质量活动。"
            ),
            "procedure": "{flow:cohosted_activity}。",
            "support": (
                "待收取合作对象开具的发票后，交易所以对公转账的方式向合作对象支付活动经费。\n"
                "{year}年合作举办市场活动指引详见会服系统版本。"
            ),
        },
        {
            "key": "incentives",
            "part": Part.MEMBER_SERVICES,
            "position": 3,
            "title": "“上期强源助企”项目",
            "workflow": "incentive_participation",
            "background": (
                "为进一步提升交易所已试点开展的类型多样专项项目{footnote:pilots}的服务质量和效果，加深市场相关单位对项目了解与参与，"
                "交易所对各试点项目进行整合和统筹管理，统一打造“上期强源助企”项目品牌。通过优化市场结构，促进期货行业长期稳健发展，"
                "助力产业企业更好进行风险管理。"
            ),
            "introduction": (
                "“上期强源助企”项目按照开展方式、评价标准等不同分为功能类项目和服务类项目。功能类项目旨在做大做强市场基础，"
                "锚定会员单位等的累计成交、持仓情况；服务类项目围绕会员单位服务实体企业使用期货及衍生品工具的不同情况，"
                "包括定价基准、企业拓展、工具应用三方面内容。目前，“上期强源助企”项目覆盖交易所{incentive_products}。"
            ),
            "procedure": "{flow:incentive_participation}。",
            "support": (
                "激励措施以手续费减收形式开展。\n相关方案已于会服系统、交易所官网、公众号发布，详见{incentive_notice}。"
            ),
        },
        {
            "key": "deepening",
            "part": Part.MEMBER_SERVICES,
            "position": 4,
            "title": "企业深耕计划",
            "workflow": "deepening_plan",
            "background": (
                "为发挥交易所、会员单位、证监局等各方合力，探究开发市场新业态，服务企业更有效进行风险管理，"
                "交易所推出一对一服务重点或龙头企业的“企业深耕计划”。"
            ),
            "introduction": (
                "“企业深耕计划”根据相关市场龙头企业了解使用期货市场情况，开展系统性、深入服务。①对于已入市企业，发挥案例、宣传示范效应。"
                "②对于未入市、有意愿的企业，输出期货市场原理知识，为企业内部搭建价格风险管理体系提供专项辅导。"
                "③对于入市存在障碍的企业，摸清底数，建立常态化沟通联系。\n"
                "交易所增强引导市场的主动性和系统性，筛选重点企业，合力开展连续性系统性培训、座谈、交流等各项活动。"
            ),
            "procedure": "{flow:deepening_plan}。",
            "support": (
                "激励措施归口与会员单位合作举办市场活动预算池，统一按照合办活动预算管理流程执行。\n"
                "详细方案将通过期货公司联系人微信群等方式发布。"
            ),
        },
        {
            "key": "monthly-talks",
            "part": Part.INVESTOR_EDUCATION,
            "position": 1,
            "title": "大宗商品月月谈",
            "workflow": "",
            "background": (
                "为便于期货分析师、产业客户、机构及个人投资者等各类市场参与主体学习和了解{exchange_short}相关品种和业务，"
                "{exchange_short}专门打造“大宗商品月月谈”作为学习和交流平台。"
            ),
            "introduction": (
                "“大宗商品月月谈”通常以每月一课的形式定期于交易所内举办半天会议，或通过线上形式开展。每期活动围绕{exchange_short}主要上市品种的"
                "产业研究、行情研判，以及交易所新业务、项目、活动介绍为主题，邀请行业产业资深专家、优秀期货分析师以及所内讲师进行演讲分享。"
            ),
            "procedure": "交易所主办。",
            "support": "",
        },
        {
            "key": "trainings",
            "part": Part.INVESTOR_EDUCATION,
            "position": 2,
            "title": "面向重要市场参与主体系列培训",
            "workflow": "",
            "background": (
                "为拓展市场服务广度和深度，交易所面向会员、实体企业、从业人员、机构投资者等重要市场参与主体，"
                "根据不同群体的受众特点和接受程度，广泛开展专业化培训和普及型投教活动。"
            ),
            "introduction": (
                "交易所充分整合各类内部外部资源，举办面向重要市场参与主体系列培训，具体包括：聚焦产业客户培育，面向产业协会和企业的培训活动；"
                "面向会员和从业人员，协同高等院校、市场培训机构等制定综合培训课程；对机构投资者开展各类创新业务专项培训。"
                f"此外，交易所还将充分利用国家级证券期货投教基地—{{exchange_short}}投资者教育基地{edu_text}举办各类公益性投教活动，"
                "推出优质原创作品，为投资者提供高质量投教服务。"
            ),
            "procedure": "交易所主办或与相关单位合办。",
            "support": "",
        },
        {
            "key": "national-education",
            "part": Part.INVESTOR_EDUCATION,
            "position": 3,
            "title": "推动投资者教育进入国民教育体系",
            "workflow": "campus_activity",
            "background": (
                "为落实证监会“加强投资者教育，推动将投资者教育全面纳入国民教育体系”的政策要求，交易所积极开展与国内高校的合作，"
                "建立多层次合作体系，提高在校学生对于期货市场的认知，同时为期货行业储备人才。"
            ),
            "introduction": (
                "与定向合作高校签署备忘录，开展合办课程、课题研究和实践实习等合作项目。同时，以会员单位为抓手，"
                "探索进一步在更大范围内以多种形式开展高校人才培育活动。通过多种合作模式，稳步推进高校学生期货知识普及教育，"
                "引导学生学以致用，期货公司反哺社会，为期货市场可持续化发展构建良好社会环境。\n"
                "交易所统筹推进投资者教育纳入国民教育体系工作的标准化、规范化，引导各方加大资源投入力度，"
                "充实教学大纲、教材读本、课件、教学案例等工作成果，提高投资者教育纳入国民教育的覆盖面和影响力。"
            ),
            "procedure": "交易所主办；或{flow:campus_activity}。",
            "support": "",
        },
        {
            "key": "awards",
            "part": Part.AWARDS,
            "position": 1,
            "title": "",
            "workflow": "award_evaluation",
            "background": (
                "为树立榜样、促进市场合规稳健经营，提升从业人员素质，为行业可持续性发展积累人力资源，交易所每年组织多项评优活动。"
            ),
            "introduction": (
                "会员评优：交易所根据会员市场表现、合规经营情况，以会员综合评价体系为基础，每年初开展对上一年度评优工作。\n"
                "境外经纪机构突出市场贡献奖评选：由{subsidiary_name}根据境外经纪机构客户开发、市场参与、业务服务等情况，"
                "以综合评价体系为基础，每年4月前后开展对上一年度评选工作。\n"
                "优秀分析师（团队）评选：由交易所于每年年底（11月前后）通过交易所网站发布评选活动方案，交易所根据申请情况，"
                "依据投研分析师（队伍）服务实体经济能力，进行评选。"
            ),
            "procedure": "会员/境外经纪机构：{flow:award_evaluation}。\n优秀分析师（团队）：{flow:analyst_selection}。",
            "support": "表彰宣传。",
        },
    ]


def _ensure_2023(actor: Any) -> ArrangementYear:
    plan = ArrangementYear.objects.filter(year=2023).first()
    if plan is not None:
        return plan
    plan = services.year_create(
        actor=actor,
        year=2023,
        as_of=D(2023, 3, 31),
        preface=PREFACE_2023,
        closing=CLOSING_2023,
        hotline_announced="400电话",
    )
    for spec in programmes_2023():
        services.programme_create(actor=actor, plan=plan, **spec)
    return plan


def _ensure_2024(actor: Any, last: ArrangementYear) -> ArrangementYear:
    plan = ArrangementYear.objects.filter(year=2024).first()
    if plan is not None:
        return plan
    plan = services.year_create(actor=actor, year=2024, copy_from=last, as_of=D(2024, 3, 31))
    edit_2024(actor, plan)
    return plan


def edit_2024(actor: Any, plan: ArrangementYear) -> None:
    """The 2024 edits: a reworded preface, the incentive texts waiting for the 2024 notice (the
    year's projects are not recorded yet), the monthly talks also held offline."""
    services.year_update(
        actor=actor,
        plan=plan,
        preface=plan.preface.replace("紧紧围绕“三年规划”确定的战略目标", "持续落实“三年规划”确定的战略目标"),
    )
    incentives = plan.programmes.get(key="incentives")
    services.programme_update(
        actor=actor,
        programme=incentives,
        background=incentives.background.replace("{footnote:pilots}", ""),
        introduction=incentives.introduction.replace(
            "目前，“上期强源助企”项目覆盖交易所{incentive_products}。", "{year}年项目覆盖品种以项目通知为准。"
        ),
        support="激励措施以手续费减收形式开展。\n{year}年项目方案将于会服系统、交易所官网、公众号另行发布。",
    )
    talks = plan.programmes.get(key="monthly-talks")
    services.programme_update(
        actor=actor,
        programme=talks,
        introduction=talks.introduction.replace("或通过线上形式开展", "或通过线上线下相结合的形式开展"),
    )


def seed(*, scale: int = 1, stdout: IO[str] | None = None) -> None:  # noqa: ARG001
    actor = system_actor()
    plan = _ensure_2023(actor)
    if not plan.is_frozen:
        services.year_freeze(actor=actor, plan=plan)
    _ensure_2024(actor, plan)
    if stdout is not None:
        stdout.write(f"yearplan: {ArrangementYear.objects.count()} years\n")

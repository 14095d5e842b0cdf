"""The first edition (2023) of every figure's definition, seeded by migration 0002 and by the
demo. Staff write later editions on the definitions page; a figure shows the edition of the
latest year not after the dashboard's year (``definitions.definitions_for``)."""

from __future__ import annotations

FIRST_EDITION_YEAR = 2023
DEFAULT_PUBLIC_MINIMUM = 5

# key: (Chinese, English)
DEFINITIONS: dict[str, tuple[str, str]] = {
    "feedback_received": (
        "收到的反馈：会员之声反馈表中的每条建议或求助（不含草稿），按反馈表收到日期计入月份；"
        "按部门、按主题统计时一条分给多个部门或主题的反馈各计一次。",
        "Feedback received: every suggestion or help request of a Member Voice form (drafts excluded), "
        "counted in the month the form was received; by department and topic an item assigned to "
        "several counts once in each.",
    ),
    "feedback_answered": (
        "已答复：状态为“已答复”或“已集中答复”的反馈条目。",
        "Answered: items in the state replied or answered collectively.",
    ),
    "feedback_on_time": (
        "按时答复：跟踪期限在截止日（工作日计算）前关闭的反馈条目。",
        "Answered on time: items whose tracked deadline (on the working-day calendar) closed on time.",
    ),
    "feedback_satisfaction": (
        "满意度：会员对已发出答复的评分（1–5分），满意为4分或5分；满意率＝满意评分数÷评分数；"
        "按答复的出具部门和反馈表收到月份统计。",
        "Satisfaction: members' ratings (1–5) of sent replies, satisfied meaning 4 or 5; satisfaction "
        "= satisfied ratings ÷ ratings; by the reply's issuing department and the month the form was received.",
    ),
    "visits": (
        "来访：会员提交或来函登记的来访申请，按收到日期计入月份；已接待为状态“已接待”，已取消为状态“已取消”。",
        "Visits: visit requests made in the portal or registered from a visit letter, counted in the month "
        "they were received; held: state held; cancelled: state cancelled.",
    ),
    "activities": (
        "合作活动：按申请提交日期计入月份（不含草稿）。已批准：获批后任一状态（已批准、已举办、总结、开票、已付款、已关闭）；"
        "已举办：已举办及其后状态；已付款：已付款或已关闭。",
        "Activities: applications counted in the month they were submitted (drafts excluded). Approved: any "
        "state from approval on (approved, held, summary, invoiced, paid, closed); held: held and after; "
        "paid: paid or closed.",
    ),
    "budget": (
        "预算：当年预算池金额；已分配为有效（未释放）分配的批准金额；已支付为财务登记的付款金额。",
        "Budget: the amounts of the year's budget pools; allocated: approved amounts of active (not "
        "released) allocations; paid: payments recorded by Finance.",
    ),
    "incentives": (
        "激励项目：当年项目的参与（不含已撤回），已通过为通过审核后任一状态；减收金额为已批准结算单中的金额。",
        "Incentive projects: participations in the year's projects (withdrawn excluded); approved: any state "
        "after approval; reductions: amounts of approved settlement runs.",
    ),
    "fee_reductions": (
        "手续费减收：已批准结算中按品种的减收金额（元），按结算期末日期计入月份；会员数为获得减收的不同会员。",
        "Fee reductions: amounts (CNY) per product in approved settlement runs, counted in the month the "
        "settled period ends; members: distinct members with a reduction.",
    ),
    "deepening": (
        "企业深耕计划：当年已提交（不含草稿）的计划，按最近一次提交月份统计；企业按计划中的企业计，"
        "地区为企业在名录中的地区（未登记企业为会员填写的地区）。",
        "Enterprise plans: the year's plans submitted at least once (drafts excluded), by month of last "
        "submission; enterprises are the plan entries, by situation and by the enterprise's region in the "
        "directory (for an unregistered enterprise the region the member entered).",
    ),
    "sessions": (
        "讲座和培训：当年已发布且日期不晚于今天的场次（已取消不计），按系列类型统计。",
        "Talks and trainings held: published sessions of the year dated today or earlier (cancelled excluded), by series kind.",
    ),
    "people": (
        "覆盖人数：已确认且现场签到或按规则在线出席的报名；总人次每次出席计一次，去重人数每人每期间计一次。",
        "People reached: confirmed registrations checked in on site or attending online by the session's "
        "rule; total counts every attendance, unique counts each person once in the period.",
    ),
    "audience": (
        "听众构成：出席报名按报名身份（听众类别）统计，未填写者计为“未说明”。",
        "Audience mix: attending registrations by the audience the person registered as; none given: unspecified.",
    ),
    "event_satisfaction": (
        "培训满意度：出席者问卷的总体评分（1–5分），满意为4分或5分。",
        "Training satisfaction: attendees' survey answers on the overall question (1–5), satisfied meaning 4 or 5.",
    ),
    "hours": (
        "授予学时：有学时设置的场次中，每个出席报名乘以该场次各类别学时之和（在线按比例计的场次按全额计入，为上限）。",
        "Hours granted: for sessions with credit hours, each attending registration times the session's "
        "hours of all categories (sessions crediting online attendance pro rata are counted in full, an upper bound).",
    ),
    "certificates": (
        "证书：当年编号的有效证书（已撤销、已替换不计），按证书种类统计。",
        "Certificates: valid certificates numbered in the year (revoked and replaced excluded), by kind.",
    ),
    "universities": (
        "高校覆盖：当年有效合作协议的高校及其省份；学生为选课、听讲或实习的去重学生。",
        "University coverage: universities with a cooperation agreement in force in the year and their "
        "provinces; students: distinct students enrolled, attending lectures or interning.",
    ),
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
    "public": (
        "公开数据：小于门槛值的计数不公开，显示为“少于N”。",
        "Public figures: counts below the threshold are not shown; they read “fewer than N”.",
    ),
}

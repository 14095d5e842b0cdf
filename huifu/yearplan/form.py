"""The attachment: the “一站通”会员之声反馈表, with the labels the mail intake reads back
(``huifu.intake.wordform``; change them there, for both) and the mailbox from the identity."""

from __future__ import annotations

from typing import Any

from huifu.intake import wordform as wf

ATTACHED = "附"


def note(document: dict[str, Any]) -> str:
    return (
        f"注：请将此反馈表发送至市场服务中心邮箱：{document['form']['mailbox']}，"
        f"并在邮件题目写明：{wf.SUBJECT_CONVENTION}，会员管理部将有专人对接联系。"
    )


def date_line(document: dict[str, Any]) -> str:
    return f"{wf.DATE_LABEL}：{document['form']['year']}年    月    日"


def serial_line() -> str:
    return f"{wf.SERIAL_LABEL}：    {wf.SERIAL_HINT}"


def blank_items() -> list[str]:
    return [f"{n}．" for n in range(1, wf.BLANK_ITEMS + 1)] + ["……"]


def form_lines(document: dict[str, Any]) -> list[str]:
    return [
        ATTACHED,
        wf.TITLE,
        serial_line(),
        date_line(document),
        f"{wf.COMPANY_LABEL} | | {wf.CONTACT_LABEL} |",
        f"{wf.PHONE_LABEL} | | {wf.EMAIL_LABEL} |",
        f"{wf.SUGGESTIONS_LABEL}：",
        *blank_items(),
        f"{wf.HELP_LABEL}：",
        *blank_items(),
        wf.SEAL_LABEL,
        note(document),
    ]

"""Helpers for the directory tests: building .xlsx uploads in memory."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from huifu.directory.validators import make_uscc

ORG_HEADERS = [
    "类型",
    "中文名称",
    "英文名称",
    "简称",
    "会员号",
    "统一社会信用代码",
    "地区",
    "状态",
    "电子邮箱",
    "电话",
    "地址",
]
CONTACT_HEADERS = ["机构名称或会员号", "姓名", "角色", "职务", "电话", "电子邮箱", "主要联系人"]


def xlsx_bytes(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "directory.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def read_xlsx(content: bytes) -> list[list[Any]]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    rows = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
    workbook.close()
    return rows


def uscc(body: str, division: str = "310000") -> str:
    return make_uscc(division=division, org_body=body)


def org_row(
    name: str,
    number: str = "",
    code: str = "",
    kind: str = "期货公司会员",
    region: str = "上海",
    status: str = "正常",
    email: str = "",
) -> list[str]:
    return [kind, name, "", "", number, code, region, status, email, "", ""]

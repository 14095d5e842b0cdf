"""The error envelope's ``fields``: plain messages keyed by field, nested errors by their path."""

from __future__ import annotations

from rest_framework import serializers

from huifu.api.errors import _fields


class _Line(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)


class _Input(serializers.Serializer):
    title = serializers.CharField()
    columns = serializers.DictField(child=serializers.CharField())
    lines = _Line(many=True)


def test_nested_errors_are_named_by_path_not_repr():
    data = _Input(data={"title": "", "columns": {"name": ["x"], "phone": "电话"}, "lines": [{"amount": "1"}, {}]})
    assert not data.is_valid()
    fields = _fields(data.errors)
    assert set(fields) == {"title", "columns.name", "lines.1.amount"}
    assert all(isinstance(m, str) and "ErrorDetail" not in m for messages in fields.values() for m in messages)


def test_flat_errors_and_non_field_errors_keep_their_shape():
    assert _fields({"file": ["没有提交任何文件。"]}) == {"file": ["没有提交任何文件。"]}
    assert _fields(["整体错误"]) == {"non_field_errors": ["整体错误"]}
    assert _fields("plain") == {}

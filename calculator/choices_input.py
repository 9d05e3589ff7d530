"""Checking an id or a short text a resident chose or typed (type first, then membership)."""

from __future__ import annotations

import re
from typing import Any

from .errors import InputError

_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_TEXT = 200


def short_text(value: Any, field: str, label: str, type_message: str) -> str | None:
    """A trimmed short text (None when empty): a string, valid UTF-8, at most MAX_TEXT characters."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(field, "type", type_message)
    if _SURROGATE.search(value):
        raise InputError(field, "invalid_text", f"{label}中含有无法识别的字符，请删除后重新输入。")
    if len(value) > MAX_TEXT:
        raise InputError(field, "too_long", f"{label}太长了（最多 {MAX_TEXT} 个字）。")
    return value.strip() or None


def choice(value: Any, field: str, choices, message: str) -> str:
    """An id from `choices`; anything else (a list, a dict, an unknown id) is an InputError."""
    if not isinstance(value, str):
        raise InputError(field, "type" if value not in (None, "") else "required", message)
    if _SURROGATE.search(value) or value not in choices:
        raise InputError(field, "unknown", message)
    return value

"""One dispatcher for every caller: the CLI, the Pyodide worker and the tests.

    call(op, request)   -> {"result": ...} or {"error": {"field", "code", "message"}}
    call_json(op, text) -> the same envelope as JSON text (UTF-8 safe, never raises)

`op` is one of estimate | remote | year | policies | batch. A batch request is a list
of {"op", "request"} items (no nested batch); its result is the list of their
envelopes, so one bad item does not hide the answers of the others.

call_json reads JSON strictly: invalid UTF-8, duplicate keys, lone surrogates
(in keys or values), NaN/Infinity, numbers of absurd length and nesting deeper
than MAX_DEPTH are typed errors, checked before anything is converted. The
error code "internal" means a bug in the estimator, never a resident's mistake:
the hostile-input tests assert that it never appears.

Codes given here: unknown_op (field "op"), invalid_utf8, invalid_json,
invalid_text, duplicate_key, too_complex, too_large, type, no_bundle (field "policy"),
not_a_bundle and bundle_format (field "bundle": the loaded policy data is not a bundle this
engine reads, calculator.data), internal.
The field parsers (calculator.request) add theirs; see its docstring. `year` adds
too_many (more than 100 visits) and names a visit's field as visits[2].costs.total.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

from .data import BundleError, NoBundleError
from .errors import InputError
from .request import LONE_SURROGATE, shown

OPS = ("estimate", "remote", "year", "policies", "batch")
MAX_TEXT = 1_000_000  # characters of JSON: a request is ~1 KB, a full batch well under this
MAX_DEPTH = 32  # a request nests 3 levels; a batch adds 2
MAX_BATCH = 2_000
MAX_NUMBER_CHARS = 40  # a JSON number literal longer than this is a typing accident
MAX_NODES = 200_000  # values walked in one in-process request
_HUGE = 10**MAX_NUMBER_CHARS  # an in-process int this large is refused before anything turns it into text

# Strings (with escapes) or a bracket: enough to measure nesting without parsing.
# The closing quote is optional so an unterminated string ends the scan (linear time).
_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]', re.S)


class _Oversized:
    """A number literal too long to convert: kept as a marker so the walk names its field."""

    def __init__(self, text: str):
        self.text = text


class _Duplicates(list):
    """The key/value pairs of a JSON object that repeats a key."""


def _error(field: str, code: str, message: str) -> dict:
    return {"error": {"field": field, "code": code, "message": message}}


def _path(parent: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{parent}[{key}]"
    name = shown(key, limit=60)  # a field path names the key, even an absurd one, briefly
    return f"{parent}.{name}" if parent else name


class _Walk:
    """One pass over a decoded request: depth, size, duplicate keys, lone surrogates, long numbers."""

    def __init__(self) -> None:
        self.nodes = 0

    def check(self, value: Any, field: str = "", depth: int = 0) -> None:
        self.nodes += 1
        if depth > MAX_DEPTH or self.nodes > MAX_NODES:
            raise InputError(field or "request", "too_complex", "输入的内容层次过深或数量过多，无法计算。")
        if isinstance(value, str):
            if LONE_SURROGATE.search(value):
                raise InputError(field or "request", "invalid_text", "输入中含有无法识别的字符，请删除后重新输入。")
        elif isinstance(value, _Oversized) or (isinstance(value, int) and not -_HUGE < value < _HUGE):
            raise InputError(field or "request", "too_large", "输入的数字位数过多，请检查是否多输了数字。")
        elif isinstance(value, _Duplicates):
            self._duplicates(value, field)
        elif isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str):  # only in-process: JSON keys are text
                    raise InputError(field or "request", "type", "字段名必须是文字。")
                if LONE_SURROGATE.search(key):
                    raise InputError(
                        field or "request", "invalid_text", "输入的字段名中含有无法识别的字符，请检查后重试。"
                    )
                self.check(item, _path(field, key), depth + 1)
        elif isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                self.check(item, _path(field, index), depth + 1)

    @staticmethod
    def _duplicates(pairs: list, field: str) -> None:
        seen = set()
        for key, _ in pairs:
            if key in seen:
                raise InputError(_path(field, key), "duplicate_key", f"字段“{shown(key)}”填写了两次，请只保留一个。")
            seen.add(key)


def _pairs(pairs: list) -> dict | _Duplicates:
    result = dict(pairs)
    return result if len(result) == len(pairs) else _Duplicates(pairs)


def _int(text: str) -> int | _Oversized:
    return _Oversized(text) if len(text) > MAX_NUMBER_CHARS else int(text)


def _float(text: str) -> float | _Oversized:
    return _Oversized(text) if len(text) > MAX_NUMBER_CHARS else float(text)


def _constant(name: str) -> None:
    raise InputError("request", "invalid_json", f"输入不是有效的 JSON（不能使用 {name}）。")


def _too_deep(text: str) -> bool:
    depth = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif token in "]}":
            depth -= 1
    return False


def _decode(text: str | bytes) -> Any:
    """Strict JSON text -> Python value, or InputError."""
    if isinstance(text, (bytes, bytearray)):
        if len(text) > 4 * MAX_TEXT:
            raise InputError("request", "too_large", "输入的内容过长，无法计算。")
        try:
            text = bytes(text).decode("utf-8-sig")  # a byte-order mark from a Windows editor is not an error
        except UnicodeDecodeError:
            raise InputError("request", "invalid_utf8", "输入含有无法识别的字符（不是 UTF-8 编码的文字）。") from None
    if not isinstance(text, str):
        raise InputError("request", "type", "请求必须是 JSON 文本。")
    if len(text) > MAX_TEXT:
        raise InputError("request", "too_large", "输入的内容过长，无法计算。")
    if LONE_SURROGATE.search(text):
        raise InputError("request", "invalid_text", "输入中含有无法识别的字符，请删除后重新输入。")
    if _too_deep(text):
        raise InputError("request", "too_complex", "输入的内容层次过深，无法计算。")
    try:
        value = json.loads(text, object_pairs_hook=_pairs, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except InputError:
        raise
    except json.JSONDecodeError as exc:
        raise InputError(
            "request", "invalid_json", f"输入不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）。"
        ) from None
    except (ValueError, RecursionError, MemoryError):
        raise InputError("request", "invalid_json", "输入的 JSON 无法读取（数字过长或嵌套过深）。") from None
    _Walk().check(value)
    return value


def _batch(request: Any, checked: bool) -> list:
    if not isinstance(request, list):
        raise InputError("request", "type", "批量计算需要一个列表，每一项写明 op 和 request。")
    if len(request) > MAX_BATCH:
        raise InputError("request", "too_large", f"一次最多计算 {MAX_BATCH} 项。")
    out = []
    for item in request:
        if not isinstance(item, dict) or set(item) - {"op", "request"}:
            out.append(_error("request", "type", "批量中的每一项只能有 op 和 request 两个字段。"))
        elif item.get("op") == "batch":
            out.append(_error("op", "unknown_op", "批量中不能再嵌套批量计算。"))
        else:
            out.append(_answer(item.get("op"), item.get("request"), checked))
    return out


def _run(op: str, request: Any, checked: bool) -> Any:
    """`checked`: the request already passed _Walk (call_json decodes and checks in one go)."""
    from . import check_remote, estimate, policies, year

    if op == "policies":
        return policies()
    if op == "batch":
        return _batch(request, checked)
    if not checked:
        _Walk().check(request)
    return {"estimate": estimate, "remote": check_remote, "year": year}[op](request)


def _log(what: str, exc: BaseException) -> None:
    """One line on stderr for the maintainer (the worker's console); never raises itself."""
    try:
        print(f"calculator.api: {what}: {ascii(str(exc))[:200]}", file=sys.stderr)
    except Exception:  # noqa: BLE001, S110 - logging must not turn a typed answer into a crash
        pass


def call(op: str, request: Any) -> dict:
    """Run one operation; every outcome is an envelope, never an exception."""
    return _answer(op, request, checked=False)


def _answer(op: Any, request: Any, checked: bool) -> dict:
    if not isinstance(op, str) or op not in OPS:
        return _error("op", "unknown_op", "无法识别的操作，可选：estimate、remote、year、policies、batch。")
    try:
        return {"result": _run(op, request, checked)}
    except InputError as exc:
        return exc.to_dict()
    except NoBundleError:
        return _error("policy", "no_bundle", "医保政策数据还没有加载，请稍后重试。")
    except BundleError as exc:
        return _error("bundle", exc.code, f"医保政策数据无法使用：{exc.message}。")
    except (RecursionError, MemoryError):
        return _error("request", "too_complex", "输入的内容层次过深或数量过多，无法计算。")
    except Exception as exc:  # a bug: say so in one line (no traceback), give a typed envelope
        _log(f"internal error in {op}: {type(exc).__name__}", exc)
        return _error("request", "internal", "计算出错，请检查输入后重试。")


def _dumps(envelope: dict) -> str:
    text = json.dumps(envelope, ensure_ascii=False)
    text.encode("utf-8")  # raises on a lone surrogate: never hand out text that is not UTF-8
    return text


def call_json(op: str, text: str | bytes) -> str:
    """call() for JSON text in and out (the worker and the CLI); never raises."""
    try:
        # policies takes no request; an unknown op is answered before reading the text
        envelope = _answer(op, _decode(text), checked=True) if op in OPS and op != "policies" else call(op, None)
    except InputError as exc:
        envelope = exc.to_dict()
    except (RecursionError, MemoryError):
        envelope = _error("request", "too_complex", "输入的内容层次过深或数量过多，无法计算。")
    try:
        return _dumps(envelope)
    except Exception as exc:  # e.g. a surrogate inside a result: a bug, still answered in valid UTF-8
        _log(f"unserialisable answer to {op}: {type(exc).__name__}", exc)
        return _dumps(_error("request", "internal", "计算出错，请检查输入后重试。"))

"""YAML text -> (data, lines), built from the event stream with limits checked as it goes.

A policy file is small (the largest real one is ~45 KB, ~1,800 values, 11 levels
deep, no aliases), so anything far beyond that is refused before it can cost
time or memory: the bytes read, the nesting depth, the number of aliases, the
number of values after alias expansion (an alias bomb), the length of a number.
Objects are built from the events iteratively (no recursion: 200,000-deep
nesting is refused at level 41, never composed), and a recursive alias
(`&a [*a]`) is refused when it is met.

Numbers are Decimal read from their text (never float), dates "YYYY-MM-DD",
duplicate keys and merge keys (<<) are mistakes, and so is text holding a
control or invisible format character (NUL, ESC, a zero-width space, a
direction override…), whether typed or written as an escape ("\\0"): tab and
newline are the only ones allowed. Every mistake is a `Mistake` with the 1-based
line where it was found.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from yaml.resolver import Resolver

MAX_BYTES = 1_000_000  # bytes read from one file
MAX_DEPTH = 40  # nested mappings/lists
MAX_ALIASES = 100  # *alias uses in one file
MAX_NODES = 20_000  # values (scalars, keys, mappings, lists) after alias expansion
MAX_NUMBER_CHARS = 30  # the text of one number
MAX_EXPONENT = 20  # 1.5e+3 is fine, 1.0e+999999999 is not

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TAG = "tag:yaml.org,2002:"
_MAP, _SEQ = _TAG + "map", _TAG + "seq"
_PLAIN_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_PLAIN_FLOAT = re.compile(r"^[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?$")
_resolver = Resolver()
# Unicode's control (Cc) and format (Cf) characters and the line/paragraph separators, tab,
# newline and carriage return excepted (tests/test_policy_data.py checks the class against
# unicodedata). Invisible
# in an editor, they break how text shows on a page and how names are compared.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2"
    "\u180e\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f]"
)
CONTROL_CHARACTER = "text-control-character"  # the check's stable id (the message's English hint)


class Mistake(Exception):
    """A mistake in one file: the 1-based line (None: the whole file) and the reason (Chinese)."""

    def __init__(self, line: int | None, reason: str):
        super().__init__(reason)
        self.line = line
        self.reason = reason


def read_text(path: Path) -> str:
    """The file's text; a file over MAX_BYTES is refused without reading the rest."""
    with open(path, "rb") as fh:
        raw = fh.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise Mistake(
            raw.count(b"\n", 0, MAX_BYTES) + 1,
            f"文件过大：超过 {MAX_BYTES:,} 字节（这一行越过上限）；政策文件通常不到 50 KB (file size limit)",
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Mistake(raw.count(b"\n", 0, exc.start) + 1, "文件不是有效的 UTF-8 编码 (invalid UTF-8)") from None


def _invisible(char: str, line: int | None, what: str) -> Mistake:
    return Mistake(
        line,
        f"{what}看不见的控制字符 U+{ord(char):04X}：它会让网页上的文字显示或比较出错，请删除它"
        f"（只允许换行和制表符）({CONTROL_CHARACTER})",
    )


def _check_characters(text: str) -> None:
    """A control or format character typed into the file, at its line (a byte-order mark may start the file)."""
    found = _INVISIBLE.search(text, 1 if text.startswith("\ufeff") else 0)
    if found:
        raise _invisible(found.group(), text.count("\n", 0, found.start()) + 1, "这一行有")


# --------------------------------------------------------------------------
# Scalars
# --------------------------------------------------------------------------


def _number(text: str, tag: str, line: int) -> Decimal:
    if len(text) > MAX_NUMBER_CHARS:
        raise Mistake(line, f"数字过长（{len(text)} 个字符，最多 {MAX_NUMBER_CHARS} 个）")
    plain = _PLAIN_INT if tag == _TAG + "int" else _PLAIN_FLOAT
    if not plain.match(text):
        raise Mistake(line, f"数字 {text!r} 请写成普通的十进制数（如 1000 或 0.15）(plain decimal)")
    mantissa, _, exponent = text.lower().partition("e")
    if exponent and abs(int(exponent)) > MAX_EXPONENT:
        raise Mistake(line, f"数字 {text!r} 的指数过大（最多 {MAX_EXPONENT}）；请直接写出数字")
    try:
        value = Decimal(text.replace("_", "").lstrip("+"))
    except InvalidOperation:  # pragma: no cover - the patterns above exclude it
        raise Mistake(line, f"{text!r} 不是数字") from None
    if exponent:
        value = Decimal(format(value, "f"))
    return value


def _scalar(event, line: int):
    tag = event.tag
    if tag is None or tag == "!":
        tag = _resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
    value = event.value
    if tag == _TAG + "str":
        return value
    if tag == _TAG + "null":
        return None
    if tag == _TAG + "bool":
        return value.lower() in ("true", "yes", "on", "y")
    if tag in (_TAG + "int", _TAG + "float"):
        return _number(value, tag, line)
    if tag == _TAG + "timestamp":
        try:
            return datetime.date.fromisoformat(value).isoformat()
        except ValueError:
            raise Mistake(line, f"{value!r} 不是真实存在的日期（写成 YYYY-MM-DD）") from None
    raise Mistake(line, f"不支持的 YAML 值 {value!r}（标签 {tag}）")


# --------------------------------------------------------------------------
# Events -> objects
# --------------------------------------------------------------------------

_NO_KEY = object()


def _escaped(text: str, line: int) -> None:
    """A control character written as an escape ("\\0", "\\e", "\\u200b"): the text's first line."""
    found = _INVISIBLE.search(text)
    if found:
        raise _invisible(found.group(), line, "这里的转义写法（如 \\0、\\u200b）写出了")


class _Frame:
    """An open mapping or list: where it is, and (for a mapping) the key waiting for its value."""

    __slots__ = ("value", "path", "key", "anchor", "start")

    def __init__(self, value, path, anchor, start):
        self.value, self.path, self.key, self.anchor, self.start = value, path, _NO_KEY, anchor, start


class _Builder:
    def __init__(self):
        self.lines: dict[tuple, int] = {(): 1}
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple] = {}  # name -> (value, values it expands to)
        self.nodes = 0
        self.aliases = 0
        self.root = _NO_KEY
        self.documents = 0

    def count(self, n: int, line: int) -> None:
        self.nodes += n
        if self.nodes > MAX_NODES:
            raise Mistake(
                line,
                f"文件的值过多：展开别名后超过 {MAX_NODES:,} 个（最大的政策文件约 2,000 个）"
                "(too many values or alias expansion)",
            )

    def child_path(self, line: int) -> tuple:
        """The path of the next value, recording its line; a mapping key is handled by `key`."""
        if not self.stack:
            return ()
        top = self.stack[-1]
        if isinstance(top.value, list):
            path = top.path + (len(top.value),)
            self.lines[path] = line
            return path
        return top.path + (top.key,)

    def put(self, value, *, opening: bool = False) -> None:
        """Place a value in its parent. A collection is placed when it opens, so keys keep their
        order; its key then stays pending until the collection ends."""
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        if isinstance(top.value, list):
            top.value.append(value)
        else:
            top.value[top.key] = value
            if not opening:
                top.key = _NO_KEY

    def wants_key(self) -> bool:
        return bool(self.stack) and isinstance(self.stack[-1].value, dict) and self.stack[-1].key is _NO_KEY

    def key(self, event, line: int) -> None:
        if not isinstance(event, yaml.ScalarEvent):
            raise Mistake(line, "键必须是普通文字 (a key must be plain text)")
        if event.anchor:
            raise Mistake(line, "键不能带锚点 (&)")
        if (
            event.tag in (None, "!")
            and _resolver.resolve(yaml.ScalarNode, event.value, event.implicit) == _TAG + "merge"
        ):
            raise Mistake(line, "不支持合并键（<<）；请把键逐一写出 (merge keys are not supported)")
        self.count(1, line)
        top = self.stack[-1]
        key = event.value
        _escaped(key, line)
        if key in top.value:
            first = self.lines[top.path + (key,)]
            raise Mistake(line, f"重复的键 {key!r}（第 {first} 行已写过）；后写的会悄悄覆盖前面的 (duplicate key)")
        self.lines[top.path + (key,)] = line
        top.key = key

    def start(self, event, line: int) -> None:
        tag = event.tag
        want = _MAP if isinstance(event, yaml.MappingStartEvent) else _SEQ
        if tag not in (None, "!", want):
            raise Mistake(line, f"不支持的 YAML 标签 {tag}")
        if len(self.stack) >= MAX_DEPTH:
            raise Mistake(line, f"嵌套过深：超过 {MAX_DEPTH} 层（政策文件通常不到 12 层）(nesting depth limit)")
        self.count(1, line)
        path = self.child_path(line)
        value = {} if want == _MAP else []
        self.put(value, opening=True)
        self.stack.append(_Frame(value, path, event.anchor, self.nodes))

    def end(self) -> None:
        frame = self.stack.pop()
        if frame.anchor:
            self.anchors[frame.anchor] = (frame.value, self.nodes - frame.start + 1)
        if self.stack and isinstance(self.stack[-1].value, dict):
            self.stack[-1].key = _NO_KEY

    def alias(self, event, line: int) -> None:
        self.aliases += 1
        if self.aliases > MAX_ALIASES:
            raise Mistake(line, f"别名（*）过多：超过 {MAX_ALIASES} 个 (alias limit)")
        name = event.anchor
        if any(f.anchor == name for f in self.stack):
            raise Mistake(line, f"别名 *{name} 指向包含它自己的内容（递归）(recursive alias)")
        if name not in self.anchors:
            raise Mistake(line, f"别名 *{name} 没有对应的锚点 &{name}")
        value, size = self.anchors[name]
        self.count(size, line)
        self.child_path(line)
        self.put(value)

    def scalar(self, event, line: int) -> None:
        self.count(1, line)
        self.child_path(line)
        _escaped(event.value, line)
        value = _scalar(event, line)
        if event.anchor:
            self.anchors[event.anchor] = (value, 1)
        self.put(value)

    def feed(self, event) -> None:
        line = event.start_mark.line + 1 if event.start_mark else None
        if self.wants_key() and not isinstance(event, (yaml.MappingEndEvent,)):
            self.key(event, line)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self.start(event, line)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self.end()
        elif isinstance(event, yaml.ScalarEvent):
            self.scalar(event, line)
        elif isinstance(event, yaml.AliasEvent):
            self.alias(event, line)
        elif isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise Mistake(line, "一个文件只能有一个 YAML 文档（不要用 --- 分隔多个文档）")


def _syntax(exc: yaml.YAMLError) -> Mistake:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    reason = f"YAML 语法错误：{problem}" + (f"（{context}）" if context else "") + " (YAML syntax error)"
    return Mistake(mark.line + 1 if mark else None, reason)


def load_yaml(text: str, loader=None) -> tuple[object, dict[tuple, int]]:
    """Return (data, lines): lines maps a path tuple to the 1-based line of its key or item.

    Raises Mistake (never another error) for anything it refuses."""
    if len(text) > MAX_BYTES:
        raise Mistake(text.count("\n", 0, MAX_BYTES) + 1, f"文件过大：超过 {MAX_BYTES:,} 个字符 (file size limit)")
    _check_characters(text)
    build = _Builder()
    try:
        for event in yaml.parse(text, Loader=loader or _Loader):
            build.feed(event)
    except yaml.YAMLError as exc:
        raise _syntax(exc) from None
    except (RecursionError, MemoryError, ValueError, TypeError) as exc:  # pragma: no cover - limits prevent them
        raise Mistake(None, f"无法读取文件：{type(exc).__name__}") from None
    if build.root is _NO_KEY:
        raise Mistake(1, "文件是空的")
    return build.root, build.lines

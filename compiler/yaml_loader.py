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
newline are the only ones allowed. Every mistake is a `Refused` with the 1-based
line where it was found, its code (compiler/mistakes.py) and, where it is known, its path.
A date that does not exist (2026-02-30) is not refused here: it stays as written, and the
file's shape check says so at its place, with the real date it is nearest.
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


class Refused(Exception):
    """A file refused while it is read: the 1-based line (None: the whole file), the mistake's code
    and values (compiler/mistakes.py), and where known its path and what was read so far."""

    def __init__(self, line: int | None, code: str, path: tuple | None = None, guess: str | None = None, **values):
        super().__init__(code)
        self.line, self.code, self.values, self.path, self.guess = line, code, values, path, guess
        self.partial = None  # the data read before the mistake (set by load_yaml)


def read_text(path: Path) -> str:
    """The file's text; a file over MAX_BYTES is refused without reading the rest."""
    with open(path, "rb") as fh:
        raw = fh.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise Refused(raw.count(b"\n", 0, MAX_BYTES) + 1, "file-too-large", limit=f"{MAX_BYTES:,}")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Refused(raw.count(b"\n", 0, exc.start) + 1, "not-utf8") from None


def _invisible(char: str, line: int | None, what: str) -> Refused:
    return Refused(line, "text-control-character", where=what, char=f"{ord(char):04X}")


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
        raise Refused(line, "number-too-long", length=len(text), limit=MAX_NUMBER_CHARS)
    plain = _PLAIN_INT if tag == _TAG + "int" else _PLAIN_FLOAT
    if not plain.match(text):
        raise Refused(line, "number-format", text=text)
    mantissa, _, exponent = text.lower().partition("e")
    if exponent and abs(int(exponent)) > MAX_EXPONENT:
        raise Refused(line, "exponent-too-large", text=text, limit=MAX_EXPONENT)
    try:
        value = Decimal(text.replace("_", "").lstrip("+"))
    except InvalidOperation:  # pragma: no cover - the patterns above exclude it
        raise Refused(line, "number-format", text=text) from None
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
        except ValueError:  # not a real date, or a time of day: the shape check says so at its place
            return value
    raise Refused(line, "yaml-tag", tag=tag)


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
            raise Refused(line, "too-many-values", limit=f"{MAX_NODES:,}")

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
            raise Refused(line, "key-not-text")
        if event.anchor:
            raise Refused(line, "key-anchor")
        if (
            event.tag in (None, "!")
            and _resolver.resolve(yaml.ScalarNode, event.value, event.implicit) == _TAG + "merge"
        ):
            raise Refused(line, "merge-key")
        self.count(1, line)
        top = self.stack[-1]
        key = event.value
        _escaped(key, line)
        if key in top.value:
            first = self.lines[top.path + (key,)]
            raise Refused(line, "duplicate-key", path=top.path + (key,), key=key, first=first)
        self.lines[top.path + (key,)] = line
        top.key = key

    def start(self, event, line: int) -> None:
        tag = event.tag
        want = _MAP if isinstance(event, yaml.MappingStartEvent) else _SEQ
        if tag not in (None, "!", want):
            raise Refused(line, "yaml-tag", tag=tag)
        if len(self.stack) >= MAX_DEPTH:
            raise Refused(line, "nesting-too-deep", limit=MAX_DEPTH)
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
            raise Refused(line, "too-many-aliases", limit=MAX_ALIASES)
        name = event.anchor
        if any(f.anchor == name for f in self.stack):
            raise Refused(line, "recursive-alias", name=name)
        if name not in self.anchors:
            raise Refused(line, "alias-without-anchor", name=name)
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
                raise Refused(line, "several-documents")


# PyYAML's words for what is wrong, in Chinese (others are said as "格式不对").
_SYNTAX = {
    "mapping values are not allowed here": "这里不能再写“键: 值”（一行只能有一个冒号加空格；含冒号的文字请加引号）",
    "could not find expected ':'": "缺少“: ”（键和值之间要写冒号加空格）",
    "found character '\\t' that cannot start any token": "缩进用了制表符（请用空格缩进）",
    "found undefined alias": "别名没有对应的锚点",
    "found unexpected end of stream": "文件在引号或括号还没有结束时就结束了",
    "did not find expected key": "缩进不对齐，或少了“- ”",
    "did not find expected node content": "这里缺少值",
    "found unexpected ':'": "多了一个冒号",
    "expected <block end>, but found '-'": "列表项“- ”的缩进不对",
    "expected <block end>, but found '<block mapping start>'": "缩进不对齐",
    "expected <block end>, but found '<scalar>'": "缩进不对齐",
    "found duplicate anchor; first occurrence": "锚点（&）重复",
}


def _syntax(exc: yaml.YAMLError) -> Refused:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or ""
    said = next((words for english, words in _SYNTAX.items() if problem.startswith(english)), "格式不对")
    return Refused(mark.line + 1 if mark else None, "yaml-syntax", problem=said)


def load_yaml(text: str, loader=None) -> tuple[object, dict[tuple, int]]:
    """Return (data, lines): lines maps a path tuple to the 1-based line of its key or item.

    Raises Refused (never another error) for anything it refuses."""
    if len(text) > MAX_BYTES:
        raise Refused(text.count("\n", 0, MAX_BYTES) + 1, "file-too-large", limit=f"{MAX_BYTES:,}")
    _check_characters(text)
    build = _Builder()
    try:
        for event in yaml.parse(text, Loader=loader or _Loader):
            build.feed(event)
    except yaml.YAMLError as exc:
        raise _syntax(exc) from None
    except Refused as refusal:
        refusal.partial = None if build.root is _NO_KEY else build.root
        raise
    except (RecursionError, MemoryError, ValueError, TypeError) as exc:  # pragma: no cover - limits prevent them
        raise Refused(None, "unreadable", reason=type(exc).__name__) from None
    if build.root is _NO_KEY:
        raise Refused(1, "empty-file")
    return build.root, build.lines

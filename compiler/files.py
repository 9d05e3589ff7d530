"""One data file being compiled, its mistakes, and how mistakes end the build.

A mistake is found at a path of the file (or, while reading, at a line) and reported with its
code, its place in words and what to write instead (compiler/mistakes.py). Every mistake ends
as one PolicyDataError: the first in full, then the others once each (duplicates dropped), at
most MAX_LISTED in all, then how many more there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from calculator.errors import PolicyDataError

from . import shapes
from .mistakes import words
from .places import place
from .yaml_loader import Refused, load_yaml, read_text

NATIONAL = "national"
GLOSSARY = "glossary"
SYNONYMS = "synonyms"
# Data files beside the policies that are not policies: validated on their own, copied into the bundle.
NOT_POLICIES = (GLOSSARY, SYNONYMS)
KINDS = {NATIONAL: "national_file", GLOSSARY: "glossary_file", SYNONYMS: "synonyms_file"}
MAX_LISTED = 20  # mistakes shown in one report
MAX_SHAPE_MISTAKES = 500  # mistakes of the file's shape collected from one file


@dataclass
class Mistake:
    """One mistake: where (line, place in words), its code, what is wrong, what to write instead,
    a guess at what was meant, and the mistakes that follow from it (folded under it)."""

    line: int | None
    code: str
    problem: str
    fix: str
    place: str = ""
    guess: str | None = None
    folded: list = field(default_factory=list)

    def full(self) -> str:
        """The mistake on several lines (the first mistake of a report)."""
        lines = [f"{self.problem}〔{self.code}〕"]
        if self.place:
            lines.append(f"    位置：{self.place}")
        if self.guess:
            lines.append(f"    是不是想写：{self.guess}")
        lines.append(f"    应当写：{self.fix}")
        if self.folded:
            lines.append(f"    由此引起，改好上面一处即可：{'；'.join(self.folded)}")
        return "\n".join(lines)

    def brief(self) -> str:
        """The mistake on one line (the others of a report)."""
        where = f"（{self.place}）" if self.place else ""
        guess = f"是不是想写：{self.guess}" if self.guess else self.fix
        return f"{self.problem}{where}：{guess}〔{self.code}〕"

    def to_dict(self, file: str) -> dict:
        return {
            "file": file,
            "line": self.line,
            "code": self.code,
            "place": self.place,
            "message": self.problem,
            "fix": self.fix,
            "guess": self.guess,
            "folded": list(self.folded),
        }


def line_of(lines: dict, path) -> int:
    """The line of path, or of its nearest ancestor that has one."""
    path = tuple(path)
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path, 1)


class PolicyFile:
    def __init__(self, path: Path):
        self.path = path
        self.name = f"policies/{path.name}" if path.parent.name == "policies" else str(path)
        self.stem = path.stem
        self.kind = KINDS.get(self.stem, "region_file")
        self.data = None
        self.lines: dict = {}
        self.mistakes: list[Mistake] = []
        self.stopped_at: int | None = None  # the line where shape checking stopped (too many mistakes)

    def place(self, path) -> str:
        try:
            return place(self.kind, self.data, path)
        except (TypeError, KeyError, AttributeError, IndexError):  # a shape too broken to name: the line says it
            return ""

    def add(self, path, code: str, guess: str | None = None, folded=(), **values) -> None:
        """A mistake at this path of the file (its line, its place in words)."""
        problem, fix = words(code, **values)
        where = self.place(path[:-1] if code == "unknown-key" else path)  # an unknown key names no place
        self.mistakes.append(Mistake(line_of(self.lines, path), code, problem, fix, where, guess, list(folded)))

    def refused(self, refusal: Refused) -> None:
        """A mistake found while reading: at its line, and its place as far as the file was read."""
        problem, fix = words(refusal.code, **refusal.values)
        where = place(self.kind, refusal.partial, refusal.path) if refusal.path is not None else ""
        self.mistakes.append(Mistake(refusal.line, refusal.code, problem, fix, where, refusal.guess))

    def read(self) -> bool:
        """Load the YAML and check it against its shape; False when it could not be loaded."""
        try:
            self.data, self.lines = load_yaml(read_text(self.path))
        except Refused as refusal:
            self.refused(refusal)
            return False
        except OSError as exc:
            self.mistakes.append(Mistake(None, "unreadable", *words("unreadable", reason=exc.strerror or exc)))
            return False
        found: list = []

        def collect(path, code, **values):
            if len(found) >= MAX_SHAPE_MISTAKES:
                self.stopped_at = line_of(self.lines, path)
                raise shapes.StopChecking
            found.append((path, code, values))

        shapes.check(self.kind, self.data, collect)
        for path, code, values in islice(found, MAX_SHAPE_MISTAKES):
            self.add(path, code, **values)
        return True


def report(files) -> list[tuple[PolicyFile, Mistake]]:
    """Every mistake of the files, each once, in file and line order."""
    seen, out = set(), []
    for f in files:
        for m in sorted(f.mistakes, key=lambda m: m.line or 0):
            key = (f.name, m.line, m.code, m.problem)
            if key not in seen:
                seen.add(key)
                out.append((f, m))
    return out


def raise_mistakes(files) -> None:
    """Raise PolicyDataError if any file has mistakes: the first in full, then the rest (capped)."""
    mistakes = report(files)
    if not mistakes:
        return
    f, first = mistakes[0]
    reason = first.full()
    rest = mistakes[1:MAX_LISTED]
    if rest:
        listed = "\n".join(
            f"  {g.name}:{m.line}: {m.brief()}" if m.line else f"  {g.name}: {m.brief()}" for g, m in rest
        )
        reason += f"\n另有 {len(mistakes) - 1} 处错误：\n{listed}"
        if len(mistakes) > MAX_LISTED:
            reason += f"\n  ……其余 {len(mistakes) - MAX_LISTED} 处未列出"
    for g in files:
        if g.stopped_at:
            reason += f"\n  {g.name}: 错误超过 {MAX_SHAPE_MISTAKES} 处，第 {g.stopped_at} 行及以后没有再检查"
    error = PolicyDataError(f.name, first.line, reason, code=first.code)
    error.mistakes = [m.to_dict(g.name) for g, m in mistakes]
    raise error

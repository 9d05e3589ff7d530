"""One data file being compiled, its mistakes, and how mistakes end the build.

Every mistake ends as one PolicyDataError naming the first file:line and
listing the others once each (duplicates dropped), at most MAX_LISTED in all,
then how many more there are.
"""

from __future__ import annotations

from itertools import islice
from pathlib import Path

from calculator.errors import PolicyDataError

from .messages import line_of, schema_mistakes
from .yaml_loader import Mistake, load_yaml, read_text

NATIONAL = "national"
GLOSSARY = "glossary"
SYNONYMS = "synonyms"
# Data files beside the policies that are not policies: validated on their own, copied into the bundle.
NOT_POLICIES = (GLOSSARY, SYNONYMS)
KINDS = {NATIONAL: "national_file", GLOSSARY: "glossary_file", SYNONYMS: "synonyms_file"}
MAX_LISTED = 20  # mistakes shown in one report
MAX_SCHEMA_ERRORS = 500  # schema errors collected from one file


class PolicyFile:
    def __init__(self, path: Path):
        self.path = path
        self.name = f"policies/{path.name}" if path.parent.name == "policies" else str(path)
        self.stem = path.stem
        self.kind = KINDS.get(self.stem, "region_file")
        self.data = None
        self.lines: dict = {}
        self.mistakes: list[tuple[int | None, str]] = []
        self.stopped_at: int | None = None  # the line where schema checking stopped (too many errors)

    def add(self, path, reason: str) -> None:
        self.mistakes.append((line_of(self.lines, path), reason))

    def read(self) -> bool:
        """Load the YAML and check it against the schema; False when it could not be loaded."""
        try:
            self.data, self.lines = load_yaml(read_text(self.path))
        except Mistake as m:
            self.mistakes.append((m.line, m.reason))
            return False
        except OSError as exc:
            self.mistakes.append((None, f"无法读取文件：{exc.strerror or exc}"))
            return False
        found = list(islice(schema_mistakes(self.kind, self.data, self.lines), MAX_SCHEMA_ERRORS + 1))
        if len(found) > MAX_SCHEMA_ERRORS:  # each costs the validator ~0.2 ms: stop, and say so
            self.stopped_at = found.pop()[0]
        self.mistakes.extend(found)
        return True


def raise_mistakes(files) -> None:
    """Raise PolicyDataError if any file has mistakes: the first, then the rest (deduplicated, capped)."""
    seen, mistakes = set(), []
    for f in files:
        for line, reason in sorted(f.mistakes, key=lambda m: m[0] or 0):
            if (f.name, line, reason) not in seen:
                seen.add((f.name, line, reason))
                mistakes.append((f, line, reason))
    if not mistakes:
        return
    f, line, reason = mistakes[0]
    rest = mistakes[1:MAX_LISTED]
    if rest:
        listed = "\n".join(f"  {g.name}:{ln}: {r}" if ln else f"  {g.name}: {r}" for g, ln, r in rest)
        reason = f"{reason}\n另有 {len(mistakes) - 1} 处错误：\n{listed}"
        if len(mistakes) > MAX_LISTED:
            reason += f"\n  ……其余 {len(mistakes) - MAX_LISTED} 处未列出"
    for g in files:
        if g.stopped_at:
            reason += f"\n  {g.name}: 格式错误超过 {MAX_SCHEMA_ERRORS} 处，第 {g.stopped_at} 行及以后没有再检查"
    raise PolicyDataError(f.name, line, reason)

"""Policy texts are written in our own words.

No prose field of policies/*.yaml (summaries, notes, texts, caveats, details,
the descriptions in a clause's parentheses) shares a run of 20 or more
consecutive characters with a source document (../shared/seeds relative to
the repository root). ASCII punctuation is read as its full-width form on both
sides, so a copy with changed commas is still found; the traditional-character
sources (000, 004) are compared as written and converted to simplified
characters (OpenCC), so a converted copy is found too. Names are facts and are
not checked: titles, labels, list items, document titles quoted in 《》, and a
clause's location (the heading or opening words it quotes, outside the
parentheses, or in “” inside them).

Where the sources are not present the check is skipped, except in CI
(CI=true), where a missing source is an error: the check must run there.
"""

import os
import re
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
POLICIES = ROOT / "policies"
# ../shared/seeds from the repository root (a git worktree one level deeper finds it too).
SEEDS = next(
    (d for d in (ROOT.parent / "shared" / "seeds", ROOT.parent.parent / "shared" / "seeds") if d.is_dir()),
    ROOT.parent / "shared" / "seeds",
)
RUN = 20
PROSE_KEYS = {
    "summary",
    "note",
    "status_note",
    "date_note",
    "from_note",
    "text",
    "text_no",
    "text_unclear",
    "unfiled_note",
    "detail",
    "reason",
    "caveats",
    "validity",
    "short",  # glossary.yaml
    "long",
}
FULL_WIDTH = str.maketrans({",": "，", "(": "（", ")": "）", ";": "；", ":": "：", "?": "？", "!": "！"})


TITLE = re.compile(r"《[^》]*》")
QUOTE = re.compile(r"“[^”]*”")
PARENS = re.compile(r"（([^（）]*)）")


def normal(text: str) -> str:
    return "".join(text.translate(FULL_WIDTH).split())


def unnamed(text: str) -> str:
    """The text without the titles it names (a run never spans a title)."""
    return TITLE.sub("\0", text)


def clause_description(text: str) -> str:
    """What a clause says in our words: its parentheses, without the opening words they quote."""
    return "\0".join(QUOTE.sub("\0", part) for part in PARENS.findall(text.translate(FULL_WIDTH)))


def prose(node, path=(), inside=False):
    """(path, text) for every prose string in a YAML tree (clauses: their descriptions)."""
    if isinstance(node, str):
        if inside:
            yield path, unnamed(node)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "clauses" and isinstance(value, dict):
                for clause, where in value.items():
                    yield path + (key, clause), unnamed(clause_description(where))
                continue
            yield from prose(value, path + (key,), inside or key in PROSE_KEYS)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from prose(item, path + (i,), inside)


def runs_of(text: str, run: int = RUN) -> set[str]:
    t = normal(text)
    return {t[i : i + run] for i in range(len(t) - run + 1)}


def shared_runs(text: str, source_runs: set[str], run: int = RUN) -> list[str]:
    """Runs of `run` characters of `text` that also appear in a source."""
    t = normal(text)
    return [t[i : i + run] for i in range(len(t) - run + 1) if t[i : i + run] in source_runs]


def test_shared_runs_finds_a_copy_despite_punctuation():
    source = runs_of("参保人每次就医发生属报销范围内的门诊医疗费用，在参保所在村定点社区卫生服务站就医的")
    assert shared_runs("参保人每次就医发生属报销范围内的门诊医疗费用,在参保所在村", source)
    assert not shared_runs("参保人在本村卫生站看门诊，报销范围内的费用由基金支付一部分", source)


def test_names_and_clause_locations_are_not_prose():
    assert unnamed("依据《镇江市社会医疗保险办法》和《镇江市社会医疗救助办法》") == "依据\0和\0"
    where = "二、主要工作措施 第（七）项“一是确定部分病种结算标准”（结算标准第1至5项；“二是实行包干”一段）"
    assert clause_description(where) == "七\0结算标准第1至5项；\0一段"


def seed_texts() -> list[str]:
    """Every source as written, and the traditional-character ones also in simplified characters."""
    if not SEEDS.is_dir() or not list(SEEDS.glob("*.txt")):
        message = f"the source documents ({SEEDS}) are not here"
        if os.environ.get("CI") == "true":
            pytest.fail(message + ": in CI the copied-text check must run, so this is an error")
        pytest.skip(message)
    import opencc

    simplified = opencc.OpenCC("t2s").convert
    texts = []
    for seed in sorted(SEEDS.glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        texts.append(text)
        converted = simplified(text)
        if converted != text:
            texts.append(converted)
    return texts


def test_traditional_sources_are_also_read_in_simplified(monkeypatch, tmp_path):
    (tmp_path / "004.txt").write_text("政策範圍內住院費用支付比例保持在75%左右", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "SEEDS", tmp_path)
    texts = seed_texts()
    assert "政策范围内住院费用支付比例保持在75%左右" in texts


def test_missing_sources_fail_in_ci(monkeypatch, tmp_path):
    monkeypatch.setattr(sys.modules[__name__], "SEEDS", tmp_path / "absent")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI"):
        seed_texts()
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception):
        seed_texts()


@pytest.fixture(scope="module")
def source_runs() -> set[str]:
    out = set()
    for text in seed_texts():
        out |= runs_of(text)
    return out


@pytest.mark.parametrize("path", sorted(POLICIES.glob("*.yaml")), ids=lambda p: p.name)
def test_no_text_copies_a_source(path, source_runs):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    copies = []
    for where, text in prose(data):
        runs = shared_runs(text, source_runs)
        if runs:
            copies.append(f"{'.'.join(map(str, where))}: 「{runs[0]}」")
    assert not copies, f"{path.name}: text shared with a source (write it in your own words):\n" + "\n".join(copies)

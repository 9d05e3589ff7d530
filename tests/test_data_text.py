"""Policy texts are written in our own words.

No prose field of policies/*.yaml (summaries, notes, texts, caveats, details,
shares a run of 20 or more consecutive characters with a
source document (../shared/seeds relative to the repository root; skipped where
the sources are not present). ASCII punctuation is read as its full-width form
on both sides, so a copy with changed commas is still found. Names (titles,
labels, list items, clause locations that quote a heading) are facts and are not checked. The traditional-character
sources (000, 004) are compared as written: a copy converted to simplified
characters is not caught here.
"""

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
}
FULL_WIDTH = str.maketrans({",": "，", "(": "（", ")": "）", ";": "；", ":": "：", "?": "？", "!": "！"})


def normal(text: str) -> str:
    return "".join(text.translate(FULL_WIDTH).split())


def prose(node, path=(), inside=False):
    """(path, text) for every prose string in a YAML tree."""
    if isinstance(node, str):
        if inside:
            yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
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


@pytest.fixture(scope="module")
def source_runs() -> set[str]:
    if not SEEDS.is_dir():
        pytest.skip("the source documents (../shared/seeds) are not here")
    out = set()
    for seed in sorted(SEEDS.glob("*.txt")):
        out |= runs_of(seed.read_text(encoding="utf-8"))
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

"""The glossary (policies/glossary.yaml; `glossary` in the bundle): its page, and terms explained where they appear."""

from __future__ import annotations

from pathlib import Path

from .figures import esc, paren

SOURCE = Path(__file__).resolve().parent.parent / "policies" / "glossary.yaml"


def load(bundle: dict) -> list[dict]:
    """The bundle's glossary; read from policies/glossary.yaml when the bundle predates it."""
    if bundle.get("glossary"):
        return bundle["glossary"]
    import yaml

    return yaml.safe_load(SOURCE.read_text(encoding="utf-8")) if SOURCE.exists() else []


class Glossary:
    def __init__(self, entries: list[dict], rel):
        """`rel(from_md, to_md, anchor)` makes a link between generated pages."""
        self.entries = entries
        self.by_term = {e["term"]: e for e in entries}
        self.rel = rel

    def link(self, term: str, from_md: str, short: bool = True) -> str:
        """The term linked to its glossary entry, followed by its one-line explanation."""
        e = self.by_term.get(term)
        if not e:
            return esc(term)
        href = self.rel(from_md, "guides/glossary.md", e["anchor"])
        text = f'<a class="term" href="{esc(href)}">{esc(term)}</a>'
        return text + (f'<span class="term-short">{esc(paren(e["short"]))}</span>' if short else "")

    def used_in(self, text: str) -> list[dict]:
        """Entries whose term the text uses and does not already link, plus the terms their explanations use."""
        linked = {e["term"] for e in self.entries if f'#{e["anchor"]}">{esc(e["term"])}</a>' in text}
        found: list[dict] = []
        seen = text
        while True:
            new = [e for e in self.entries if e["term"] in seen and e["term"] not in linked and e not in found]
            if not new:
                return [e for e in self.entries if e in found]
            found += new
            seen = "".join(e["short"] for e in new)

    def words_box(self, text: str, from_md: str) -> str:
        """A collapsed list of the glossary words the page uses (not linked yet), each with its explanation."""
        used = self.used_in(text)
        if not used:
            return ""
        lines = ['??? info "本页用到的医保词语"', ""]
        for e in used:
            href = self.rel(from_md, "guides/glossary.md", e["anchor"])
            lines.append(f'    - <a class="term" href="{esc(href)}">{esc(e["term"])}</a>：{esc(e["short"])}')
        return "\n".join(lines) + "\n\n"

    def page(self) -> str:
        """Markdown of guides/glossary/: one entry per term, id = anchor."""
        out = [
            "---",
            "title: 术语表",
            "description: 医保常用词语的通俗解释：起付线、统筹基金、报销比例、封顶线、甲乙丙类、备案、大病保险等。",
            "---",
            "",
            "# 术语表",
            "",
            "按拼音顺序排列。每个词先用一句话说明，再详细解释。各地区页面和计算结果里的医保词语都链接到这里。",
            "",
        ]
        for e in self.entries:
            out += [
                f'<h2 id="{esc(e["anchor"])}">{esc(e["term"])}</h2>',
                "",
                f"**{esc(e['short'])}**",
                "",
                esc(e["long"].strip()),
                "",
            ]
        return "\n".join(out)

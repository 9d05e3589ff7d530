"""A Python-Markdown extension (not a MkDocs plugin): the portal's HTML tables skip Markdown parsing.

The generated pages carry their tables as raw HTML (for <caption> and scoped
headers). Python-Markdown re-parses raw HTML tag by tag, which is half of its
time on these pages; the tables need no Markdown processing, so each block is
put in Markdown's raw-HTML stash whole, before its HTML parser runs. Without
this extension the output is the same, only slower.
"""

from __future__ import annotations

import re

from markdown import Extension
from markdown.preprocessors import Preprocessor

BLOCK = re.compile(r'^<div class="yb-table">\n.*?</table>\n</div>$', re.M | re.S)


class _SetAside(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if '<div class="yb-table">' not in text:
            return lines
        text = BLOCK.sub(lambda m: "\n" + self.md.htmlStash.store(m.group(0)) + "\n", text)
        return text.split("\n")


class PortalTables(Extension):
    def extendMarkdown(self, md) -> None:
        md.preprocessors.register(_SetAside(md), "portal_tables", 25)  # before html_block (20)


def makeExtension(**kwargs) -> PortalTables:
    return PortalTables(**kwargs)

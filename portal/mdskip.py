"""A Python-Markdown extension (not a MkDocs plugin): work Python-Markdown would do for nothing on
the portal's pages is skipped. The HTML is the same as without it (tests/test_portal.py), only
sooner: at 340 regions Markdown is most of the build's time.

- The generated tables (raw HTML, for <caption> and scoped headers) are put in Markdown's raw-HTML
  stash whole, before its HTML parser re-parses them tag by tag.
- The generated inline elements (a figure, a citation link, a term and its short explanation) are
  stashed whole too, where nothing in them is Markdown; the inline patterns would otherwise find
  and stash each tag of them one at a time.
- Text holding no character any inline pattern starts with is marked atomic, so the fourteen
  patterns are not each tried on it.
"""

from __future__ import annotations

import re

from markdown import Extension, util
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

TABLE = re.compile(r'^<div class="yb-table">\n.*?</table>\n</div>$', re.M | re.S)
# An element of portal/figures.py or portal/glossary.py: no backtick, backslash or bracket in the
# tag (patterns that run before the HTML one), no Markdown at all in the text.
ELEMENT = re.compile(r'<(a|span) class="(?:fig|cite|term|term-short)"[^<>`\\\[]*>[^<>`\\\[!*_&]*</\1>')
# What every inline pattern of Python-Markdown needs: code, an escape, a link or image, an
# autolink or HTML tag, an entity, emphasis, or a hard line break.
MARKDOWN = re.compile(r"[`\\\[!<&*_]|  \n")


class _SetAside(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if 'class="' not in text:
            return lines
        text = TABLE.sub(lambda m: "\n" + self.md.htmlStash.store(m.group(0)) + "\n", text)
        text = ELEMENT.sub(lambda m: self.md.htmlStash.store(m.group(0)), text)
        return text.split("\n")


class _PlainText(Treeprocessor):
    def run(self, root) -> None:
        for element in root.iter():
            for attr in ("text", "tail"):
                text = getattr(element, attr)
                if text and not isinstance(text, util.AtomicString) and not MARKDOWN.search(text):
                    setattr(element, attr, util.AtomicString(text))


class PortalSkips(Extension):
    def extendMarkdown(self, md) -> None:
        md.preprocessors.register(_SetAside(md), "portal_set_aside", 25)  # before html_block (20)
        md.treeprocessors.register(_PlainText(md), "portal_plain_text", 21)  # before inline (20)


def makeExtension(**kwargs) -> PortalSkips:
    return PortalSkips(**kwargs)

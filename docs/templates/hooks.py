"""MkDocs hooks for the portal (build time only): speed for large generated sites.

Material's search plugin segments every run of Chinese text with jieba, one
call per run; the generated pages repeat the same labels and headings
thousands of times, so each run's segmentation is remembered (the result is
the same as calling jieba).
"""

import functools
import re

import jieba


def on_startup(command, dirty):
    if getattr(jieba.cut, "memoized", False):
        return
    cut = jieba.cut

    @functools.lru_cache(maxsize=500_000)
    def segment(sentence, cut_all, hmm):
        return tuple(cut(sentence, cut_all=cut_all, HMM=hmm))

    def memoized(sentence, cut_all=False, HMM=True, use_paddle=False):
        if use_paddle:
            return cut(sentence, cut_all=cut_all, HMM=HMM, use_paddle=use_paddle)
        return iter(segment(sentence, cut_all, HMM))

    memoized.memoized = True
    jieba.cut = memoized


# The generated pages carry their tables as raw HTML (for <caption> and scoped
# headers). Python-Markdown re-parses raw HTML tag by tag, which is half of its
# time on these pages; the tables need no Markdown processing, so they are set
# aside before Markdown runs and put back into the HTML it produces.
_TABLE = re.compile(r"^<table>.*?^</tbody></table>$", re.M | re.S)
_PLACEHOLDER = re.compile(r"<p>PORTALTABLE(\d+)X</p>")


def on_page_markdown(markdown, page, config, files):
    tables = []

    def set_aside(match):
        tables.append(match.group(0))
        return f"PORTALTABLE{len(tables) - 1}X"

    page.portal_tables = tables
    return _TABLE.sub(set_aside, markdown)


def on_page_content(html, page, config, files):
    tables = getattr(page, "portal_tables", None)
    if not tables:
        return html
    return _PLACEHOLDER.sub(lambda m: tables[int(m.group(1))], html)

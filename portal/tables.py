"""HTML tables with a caption and scoped headers, readable on a phone.

Each table sits in <div class="yb-table">: on a narrow screen portal.css stacks
its rows (every cell shows its column header from data-label), so nothing
scrolls sideways and the 出处 link stays on screen.
"""

from __future__ import annotations

import html
import re

from .figures import esc

TAG = re.compile(r"<[^>]+>")


def plain(cell: str) -> str:
    """The visible text of an HTML cell (for data-label)."""
    return html.unescape(TAG.sub("", cell)).strip()


def table(caption: str, head: list[str], rows: list[list[str]], row_headers: bool = True) -> str:
    """An HTML table with a caption, column headers and (optionally) row headers. No blank lines."""
    out = ['<div class="yb-table">', f"<table><caption>{esc(caption)}</caption>", "<thead><tr>"]
    out += [f'<th scope="col">{h}</th>' for h in head]
    # figures and 出处 links stay out of the search index (captions and headers stay in): it would
    # otherwise grow with every table of every version; each scheme page states its key figures in prose
    out.append("</tr></thead><tbody data-search-exclude>")
    labels = [esc(plain(h)) for h in head]
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            # the 出处 cell holds a link named 出处: no label before it
            label = f' data-label="{labels[i]}"' if i < len(labels) and labels[i] != "出处" else ""
            if i == 0 and row_headers:
                cells.append(f'<th scope="row"{label}>{cell}</th>')
            else:
                cells.append(f"<td{label}>{cell}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    out.append("</div>")
    return "\n".join(out)

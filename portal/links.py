"""Links between generated pages, written as final directory URLs (use_directory_urls)."""

from __future__ import annotations

import posixpath

from .figures import esc


class Site:
    """Links between generated pages, as directory URLs relative to the page being written."""

    def __init__(self, bundle: dict):
        self.bundle = bundle
        self.docs = bundle.get("documents", {})

    @staticmethod
    def page_url(md_path: str) -> str:
        """docs-relative .md path -> site-relative directory URL."""
        stem = md_path[:-3]
        if stem == "index" or stem.endswith("/index"):
            stem = stem[:-5]
        return stem + "/" if stem and not stem.endswith("/") else stem

    def rel(self, from_md: str, to_md: str, anchor: str = "") -> str:
        src = self.page_url(from_md).rstrip("/").split("/") if self.page_url(from_md) else []
        dst = self.page_url(to_md)
        up = "../" * len([p for p in src if p])
        return (up + dst or "./") + (f"#{anchor}" if anchor else "")

    @staticmethod
    def mdrel(from_md: str, to_md: str, anchor: str = "") -> str:
        """A Markdown link between two .md files (MkDocs checks and rewrites these)."""
        path = posixpath.relpath(to_md, posixpath.dirname(from_md) or ".")
        return path + (f"#{anchor}" if anchor else "")

    def cite_link(self, cite: str | None, from_md: str) -> str:
        if not cite:
            return ""
        doc_id, _, clause = cite.partition("/")
        doc = self.docs.get(doc_id, {})
        title = doc.get("clauses", {}).get(clause) or "条款"
        href = self.rel(from_md, f"documents/{doc_id}.md", clause)
        return f'<a class="cite" href="{esc(href)}" title="{esc(title)}">出处</a>'

    def term_link(self, from_md: str, anchor: str) -> str:
        return self.rel(from_md, "guides/glossary.md", anchor)

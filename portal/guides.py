"""The lists of regions inside the hand-written guides, generated from the data.

A guide writes a marker line where its list goes, `<!-- regions: <what> -->`; the build puts
there every scheme the data has for it, so a new region appears in every guide that concerns
it without touching the guide:

    outpatient       schemes with outpatient pooling (care `outpatient`): deductible, ratio, cap
    class_b_share    schemes whose care sets a first share of class-B costs: that share
    lists            schemes with lists of names (`lists` with `items`: diseases, hospitals)
    remote           schemes with their own out-of-region rules: the reasons they regulate
    injury_maternity schemes with maternity or injury care, and documents about either
"""

from __future__ import annotations

import re

from vocabulary import ENUMS

from .figures import esc
from .labels import word
from .policy_page import PolicyPage

MARKER = re.compile(r"^<!-- regions: ([a-z_]+) -->$", re.M)
INJURY_MATERNITY = ("maternity", "outpatient_injury")  # care ids, and document topics below
TOPICS = ("maternity", "work_injury")


class RegionLists:
    def __init__(self, pages):
        self.pages = pages

    def fill(self, md: str, text: str) -> str:
        return MARKER.sub(lambda m: self.render(m.group(1), md), text)

    def render(self, what: str, md: str) -> str:
        lines = getattr(self, what)(md)
        return "\n".join(lines) if lines else "本站收录的地区中还没有这方面的规定。"

    def _schemes(self):
        """Every scheme in the order of the regions index: (policy, its newest rules, its page)."""
        for rid in self.pages.regions:
            for pid in self.pages.regions[rid].get("policies", []):
                policy = self.pages.policies.get(pid)
                if policy and policy.get("versions"):
                    yield policy, policy["versions"][-1]["care"], self.pages.policy_md[pid]

    def _name(self, md: str, policy: dict, page_md: str, anchor: str) -> str:
        from .pages import place

        where = place(self.pages.regions.get(policy["region"], {}))
        return f"[{esc(where)} · {esc(policy['name'])}]({self.pages.site.mdrel(md, page_md, anchor)})"

    def outpatient(self, md: str) -> list[str]:
        out = []
        for policy, care, page_md in self._schemes():
            spec = care.get("outpatient")
            if isinstance(spec, dict):
                page = PolicyPage(self.pages.site, policy, md)
                page.tables_are = "见险种页面"
                parts = page.lead_parts(spec)
                said = "；".join(parts) if parts else "来源没有给出起付线、报销比例和封顶线"
                out.append(f"- {self._name(md, policy, page_md, 'current')}（{esc(spec.get('label'))}）：{said}")
        return out

    def class_b_share(self, md: str) -> list[str]:
        out = []
        for policy, care, page_md in self._schemes():
            page = PolicyPage(self.pages.site, policy, md)
            shares = [
                f"{esc(spec.get('label') or cid)} {page.lead_matrix(spec['class_b_share'], 'rate')}"
                for cid, spec in care.items()
                if isinstance(spec, dict) and spec.get("class_b_share")
            ]
            if shares:
                out.append(f"- {self._name(md, policy, page_md, 'current')}：{'；'.join(shares)}")
        return out

    def lists(self, md: str) -> list[str]:
        out = []
        for policy, _, page_md in self._schemes():
            names = [esc(entry["label"]) for entry in (policy.get("lists") or {}).values() if entry.get("items")]
            if names:
                out.append(f"- {self._name(md, policy, page_md, 'lists')}：{'、'.join(names)}")
        return out

    def remote(self, md: str) -> list[str]:
        out = []
        for policy, _, page_md in self._schemes():
            remote = policy.get("remote") or {}
            reasons = [
                esc(label) for reason, label in ENUMS["remote_reason"].items() if isinstance(remote.get(reason), dict)
            ]
            if reasons:
                out.append(f"- {self._name(md, policy, page_md, 'remote')}：{'、'.join(reasons)}")
        return out

    def injury_maternity(self, md: str) -> list[str]:
        out = []
        for policy, care, page_md in self._schemes():
            cares = [esc(care[cid].get("label") or cid) for cid in INJURY_MATERNITY if isinstance(care.get(cid), dict)]
            if cares:
                out.append(f"- {self._name(md, policy, page_md, 'current')}：{'、'.join(cares)}")
        documents = self.pages.documents.values()
        about = [d for d in documents if set(d.get("topics") or []) & set(TOPICS)]
        for doc in sorted(about, key=lambda d: (d.get("date") or "9999", d["id"])):
            topics = "、".join(ENUMS["topic"][t] for t in doc["topics"] if t in TOPICS)
            link = self.pages.site.mdrel(md, f"documents/{doc['id']}.md")
            out.append(f"- {word('region_file', 'documents')}：[{esc(doc['title'])}]({link})（{topics}）")
        return out

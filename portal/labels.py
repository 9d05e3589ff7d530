"""The vocabulary read for pages: the Chinese words of the data's keys, codes and units.

Every word is the vocabulary's (vocabulary/): a key says the words of its place in the shape
that holds it (`deductible` in a care is 起付线), an id its enumeration's label. A key with no
words is never shown as written (it would put an internal id on a page): it reads 其他规定, and
tests/test_site_scan.py fails on any id that slips through.
"""

from vocabulary import ENUMS, SHAPES, word
from vocabulary.files import child

UNSTATED = "来源未规定"
STATUS = ENUMS["document_status"]
OTHER = "其他规定"


def topic_label(topic: str) -> str:
    return ENUMS["topic"].get(topic, "其他")


def enum_label(enum: str, value) -> str:
    return ENUMS[enum].get(value, OTHER) if isinstance(value, str) else OTHER


def shape(name: str) -> dict:
    """A named shape of the vocabulary: care, layer, remote, scheme, cross_province, or a file."""
    return SHAPES[name]


def key_word(node: dict | None, key) -> str:
    """The words of a key in its place; 其他规定 for one the vocabulary does not word."""
    found = child(node, key)
    return (found or {}).get("word") or OTHER


def unit_kind(node: dict | None) -> str:
    """How a figure reads: 'money', 'rate', or its unit words (天, 个月…)."""
    if not node:
        return "money"
    unit = node.get("unit")
    if node["is"] == "rate":
        return "rate"
    if node["is"] in ("amount", "upto") or unit is None:
        return "money"
    return unit


__all__ = ["OTHER", "STATUS", "UNSTATED", "child", "enum_label", "key_word", "shape", "topic_label", "unit_kind",
           "word"]  # fmt: skip

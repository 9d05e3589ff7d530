"""The vocabulary, written once: every enumeration, every field of a request and every key of a
policy file, with its Chinese words (plain data, standard library only).

  enums     every enumeration: id -> label (member flags, out-of-region reasons, methods, bases…)
  requests  the fields of the engine's requests (estimate, remote, year) and of the form's state:
            label, kind, the share link's short key, hint
  files     the shape of every key of a policy file: type, unit, words, cite and merge rules

Who reads it: the compiler generates policies/schema.json from it (`python -m compiler --schema`),
checks every file against it and words its messages with it; the portal labels its pages with
it; policies/README.md's key reference is generated from it. The engine and the browser keep no
copy: the bundle carries what they read (`bundle_parts()`: `labels`, `fields`, `words`), so
the runtime package the browser downloads holds no label of its own.

A shape (a node of `files`) is a dict:
  is        text, note, cite, id, doc_id, date, monthday, bool, true, enum, anchor, amount (yuan),
            rate (0 to 1), count (a whole number), year, upto (a band's upper end: null is no end),
            map, table (id -> entry), list, either (one of two shapes)
  word      the Chinese words for the key that holds it: its place in a document, its label on a page
  figure    a figure: a value needs `cite` in the same mapping, null needs `note` (or null_note)
  null      null is allowed; null_note: the key beside a null that says why (from_note, basis_note…)
  unit      the unit words of a figure (元, 比例, 天, 个月…)
  keys, required, rows (the shape of every other key: a member group or facility id), rows_are,
  one_of (exactly one of these keys), of, min, unique, named (how an entry is named in words),
  names (what its ids look like), ids_of (a list naming the scheme's facilities or groups),
  ordered (a list whose order matters: numbered on a page)
  merge     "whole": a later version that names it replaces it whole (a next step, a standard:
            its words and its cite are one unit); every other mapping of a version's `care`
            merges key by key (a later version writes only what changed), lists and values are
            replaced
  define    the shape's name among the schema's $defs
"""

from .enums import ENUMS, MEMBER_FLAGS, REMOTE_KINDS, REMOTE_REASON_ALIASES, REMOTE_REASONS
from .files import FILES, SHAPES, word
from .requests import FIELDS, FORM_STATE

__all__ = [
    "ENUMS",
    "FIELDS",
    "FILES",
    "FORM_STATE",
    "MEMBER_FLAGS",
    "REMOTE_KINDS",
    "REMOTE_REASONS",
    "REMOTE_REASON_ALIASES",
    "SHAPES",
    "bundle_parts",
    "word",
]


def bundle_parts() -> dict:
    """What the bundle carries for the engine and the browser: every enumeration's labels, the
    requests' fields, and the words of the care, layer and out-of-region settlement keys the engine
    names in its steps."""
    return {
        "labels": {name: dict(values) for name, values in ENUMS.items()},
        "fields": {
            op: {path: dict(spec) for path, spec in fields.items()}
            for op, fields in {**FIELDS, "form": FORM_STATE}.items()
        },
        "words": {
            shape: {key: node["word"] for key, node in SHAPES[shape]["keys"].items()}
            for shape in ("care", "layer", "remote_settlement")
        },
    }

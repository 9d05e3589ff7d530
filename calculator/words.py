"""The vocabulary's words, as the bundle carries them: the engine keeps no label of its own.

vocabulary/ (build time) writes them into the bundle: every enumeration's labels (`labels`),
the fields of every request (`fields`: label, kind, the share link's key…) and the words of the
care and layer keys the engine names in its steps (`words`). The form reads the same parts, so a
field or an id reads the same in a message, on the form and on the pages.

Each reads the loaded bundle, or `data` when given (the catalogue is built from a bundle being
compiled, before anything loads it).
"""

from .data import bundle


def labels(enum: str, data: dict | None = None) -> dict:
    """id -> label of an enumeration (member_flag, remote_reason, remote_kind, remote_care, payer…)."""
    return (data or bundle())["labels"][enum]


def label(enum: str, value: str, data: dict | None = None) -> str:
    return labels(enum, data)[value]


def field(op: str, path: str, data: dict | None = None) -> dict:
    """A request field: {label, kind, key, hint, …}; `op` is estimate, remote or year."""
    return (data or bundle())["fields"][op][path]


def field_label(op: str, path: str, data: dict | None = None) -> str:
    """The label of a request field (a member flag, `member.retired`, reads its flag's label)."""
    head, _, rest = path.partition(".")
    if head == "member" and rest:
        return label("member_flag", rest, data)
    return field(op, path, data)["label"]


def request_keys(op: str, prefix: str = "") -> tuple:
    """The keys a request (prefix "") or one of its mappings (prefix "costs") may hold."""
    keys = []
    for path in bundle()["fields"][op]:
        head, _, rest = path.partition(".")
        key = head if not prefix else (rest if head == prefix and rest else None)
        if key and key not in keys:
            keys.append(key)
    return tuple(keys)


def word(shape: str, key: str, data: dict | None = None) -> str:
    """The words of a policy key: word("care", "deductible") is 起付线."""
    return (data or bundle())["words"][shape][key]

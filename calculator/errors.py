"""Typed errors: bad input from a resident, or a mistake in the policy data."""


class InputError(ValueError):
    """A request field is missing or wrong. `message` is Chinese, for residents."""

    def __init__(self, field: str, code: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.code = code
        self.message = message

    def to_dict(self) -> dict[str, dict[str, str]]:
        return {"error": {"field": self.field, "code": self.code, "message": self.message}}


class PolicyDataError(ValueError):
    """A policy file is wrong: names the file, the line, the reason (Chinese) and the mistake's
    stable `code`; `mistakes` lists every mistake found ({file, line, code, place, message, …})."""

    def __init__(self, file: str, line: int | None, reason: str, code: str | None = None):
        where = f"{file}:{line}" if line else str(file)
        super().__init__(f"{where}: {reason}")
        self.file = str(file)
        self.line = line
        self.reason = reason
        self.code = code
        self.mistakes: list[dict] = []

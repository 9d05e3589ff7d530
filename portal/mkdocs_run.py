"""`python -m portal.mkdocs_run build -f mkdocs.yml`: MkDocs's own command line, run with the
repository root importable (mkdocs.yml names portal.mdskip). A wrapper around the command, not
a MkDocs hook or plugin."""

from __future__ import annotations

import logging
import sys


def _not_the_dirty_notice(record: logging.LogRecord) -> bool:
    # `--dirty` logs a warning that --strict would count; portal.incremental uses it only when
    # nothing but page contents changed, where the notice does not apply.
    return "'dirty' build is being performed" not in record.getMessage()


if __name__ == "__main__":
    from mkdocs.__main__ import cli

    logging.getLogger("mkdocs.commands.build").addFilter(_not_the_dirty_notice)
    sys.exit(cli(prog_name="mkdocs"))

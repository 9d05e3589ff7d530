"""`python -m portal.mkdocs_run build -f mkdocs.yml`: MkDocs's own command line, run with the
repository root importable (mkdocs.yml names portal.mdtables). A wrapper around the command, not
a MkDocs hook or plugin."""

from __future__ import annotations

import sys

if __name__ == "__main__":
    from mkdocs.__main__ import cli

    sys.exit(cli(prog_name="mkdocs"))

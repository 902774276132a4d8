"""Problems found in an author's block, located for the front-end that reports them.

The core never logs and never raises for bad input: it returns ``Problem`` values, and each
front-end turns them into its own located warning (Sphinx ``logger.warning(location=...)``,
MkDocs ``page.md:line``). That keeps the build going for everything else, and keeps both
front-ends' messages identical.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a block.

    ``line`` is 1-based and relative to the block's *body* (the first body line is 1), or
    ``None`` when the problem belongs to the block as a whole (its header or its options).
    ``path`` names an app file outside the document (``.. stlite:: app.py``) when the line is
    a line of that file rather than of the block body.
    ``kind`` is a short stable identifier, used as the Sphinx warning subtype so authors can
    silence one kind with ``suppress_warnings = ["stlite.<kind>"]``.
    ``note`` marks information rather than a mistake (a check that could not run here): front
    ends log it at info level, so ``-W`` / ``--strict`` builds do not fail on it.
    """

    kind: str
    message: str
    line: int | None = None
    path: str | None = None
    note: bool = False


class BlockError(Exception):
    """Raised inside the core to abort one block; always caught and turned into a Problem."""

    def __init__(self, kind: str, message: str, line: int | None = None, path: str | None = None):
        super().__init__(message)
        self.problem = Problem(kind, message, line, path)

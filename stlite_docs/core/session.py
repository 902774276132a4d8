"""One build's session: the check processes and results that a build's blocks share."""

from __future__ import annotations

from ..check.cache import ResultCache
from ..check.run import AppRunner
from ..check.syntax import SyntaxChecker


class BuildSession:
    """What one build shares between its blocks: the Python 3.13 syntax checker and the run
    check's worker (each a process started at the first block that needs it), the run results
    cache, and the notes said once per build.

    A front-end makes one when its build starts, hands it to every block it builds, and closes
    it when the build ends: Sphinx on ``build-finished`` (``sphinx-build -j`` readers are forks,
    which start their own processes; a process's end closes their input, which ends them), MkDocs
    in ``on_post_build`` (each ``mkdocs serve`` rebuild gets a new one), the Markdown extension
    with its ``Markdown`` instance, or under Zensical with Zensical's build.
    """

    def __init__(self) -> None:
        self.syntax = SyntaxChecker()
        self.run_cache = ResultCache("run")
        self._runner: AppRunner | None = None
        #: messages already said in this build (a check that cannot run here is said once)
        self.said: set[str] = set()

    @property
    def runner(self) -> AppRunner:
        if self._runner is None:
            self._runner = AppRunner()
        return self._runner

    def close(self) -> None:
        self.syntax.close()
        if self._runner is not None:
            self._runner.close()

    def __enter__(self) -> BuildSession:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

"""The ``stlite`` directive: reST ``.. stlite::`` and MyST ``{stlite}`` / ``stlite`` fences.

It only translates: the body, options and file argument go to ``stlite_docs.app.build_app``;
the result becomes generic docutils nodes that every builder can write: the code as a
``literal_block`` that carries the app (a block that could not be built: a container with the
message and the code). At write time ``nodes.StliteHtmlTransform`` swaps in the live-app node
for HTML builders, and ``nodes.StliteListingTransform`` adds the caption and a note for the
others.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ...core.app import BuildResult, SourceTree, build_app
from ...core.document import locate
from ...core.problems import Problem
from ...core.settings import BLOCK_OPTIONS
from .config import build_session, site_settings
from .previews import note_preview
from .selfhost import note_app

logger = logging.getLogger(__name__)
#: ``env.temp_data`` key of the current document's ``SourceTree``
_TREE = "stlite_docs_source_tree"


class _AnyOption(dict):
    """Accept every option name here, so unknown ones reach the core, which reports them
    at the right line with a "did you mean" hint, exactly as the MkDocs front-end does."""

    def __missing__(self, key):
        return directives.unchanged

    def __bool__(self) -> bool:  # docutils and MyST parse options only for a truthy spec
        return True


class StliteDirective(SphinxDirective):
    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = _AnyOption({name: directives.unchanged for name in BLOCK_OPTIONS})

    def run(self) -> list[nodes.Node]:
        body = "\n".join(self.content)
        tree = self._source_tree()
        result = build_app(
            body,
            self.options,
            site_settings(self.env.app),
            tree,
            entry_file=self.arguments[0] if self.arguments else None,
            on_dependency=lambda path: self.env.note_dependency(str(path)),
            session=build_session(self.env.app),
        )
        for problem in result.problems:
            self._warn(problem, tree)
        if result.app is not None:
            note_app(self.env, result.app.requirements, self.lineno)
            note_preview(self.env, result.app.preview_key)
        return [self._app_node(result) if result.app else self._invalid_node(result)]

    def _source_tree(self) -> SourceTree:
        """The document's source tree, made once per document: Sphinx empties ``temp_data``
        when it starts reading the next one."""
        tree = self.env.temp_data.get(_TREE)
        if tree is None:
            doc_path = Path(self.env.doc2path(self.env.docname))
            tree = self.env.temp_data[_TREE] = SourceTree(base_dir=doc_path.parent, root_dir=Path(self.env.srcdir))
        return tree

    # ------------------------------------------------------------------ nodes
    def _app_node(self, result: BuildResult) -> nodes.literal_block:
        # Only the listing, which carries the app: at write time the HTML builders replace it
        # with the live app (nodes.StliteHtmlTransform), the others wrap it with the caption
        # and the offline note (nodes.StliteListingTransform). Sphinx keeps every doctree in
        # memory through the build, and its garbage collector (a quarter of a Sphinx build)
        # scans them again and again: each node less per app is about ten objects fewer.
        app = result.app
        node = self._listing(result.code)
        node["stlite_app"] = app
        if app.name:
            # Register the name as an explicit target whose id is the name itself, the same
            # id the HTML mount point carries, so `name`_ and :ref:`text <name>` work.
            node["ids"].append(app.name)
            node["names"].append(nodes.fully_normalize_name(app.name))
            self.state.document.note_explicit_target(node, node)
        return node

    def _invalid_node(self, result: BuildResult) -> nodes.container:
        messages = [p.message for p in result.problems if not p.note] or ["the block has no code"]
        node = nodes.container(classes=["stlite-docs-invalid"], stlite_messages=messages)
        self.set_source_info(node)
        text = "This live app could not be built: " + "; ".join(messages)
        node += nodes.paragraph(text, text, classes=["stlite-docs-error"])
        node += self._listing(result.code)
        return node

    def _listing(self, code: str) -> nodes.literal_block:
        block = nodes.literal_block(code, code, language="python")
        self.set_source_info(block)
        return block

    # ------------------------------------------------------------------ problems
    def _warn(self, problem: Problem, tree: SourceTree) -> None:
        where = locate(problem, tree.root_dir, self._first_content_line(), self.lineno)
        location = f"{where.path}:{where.line}" if where.path is not None else (self.env.docname, where.line)
        if problem.note:
            logger.info(f"{problem.message} [stlite.{problem.kind}]", location=location)
        else:
            logger.warning(problem.message, location=location, type="stlite", subtype=problem.kind)

    def _first_content_line(self) -> int:
        """The document line (1-based) of the first content line.

        docutils gives ``content_offset`` as the 0-based line in the document; MyST gives the
        offset of the content from the directive's own line.
        """
        if type(self.state).__module__.startswith("myst_parser"):
            return self.lineno + self.content_offset + 1
        return self.content_offset + 1

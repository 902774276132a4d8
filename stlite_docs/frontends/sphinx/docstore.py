"""Per-document data kept in Sphinx's environment: what a document's reading found, dropped
when it is read again, and merged back from parallel readers (``-j``)."""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment


class DocStore:
    """``env.<attribute>``: docname -> whatever the directive noted while reading it."""

    def __init__(self, attribute: str):
        self.attribute = attribute

    def __call__(self, env: BuildEnvironment) -> dict:
        if not hasattr(env, self.attribute):
            setattr(env, self.attribute, {})
        return getattr(env, self.attribute)

    def purge_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        self(env).pop(docname, None)

    def merge_info(self, app: Sphinx, env: BuildEnvironment, docnames, other: BuildEnvironment) -> None:
        mine, theirs = self(env), self(other)
        for docname in docnames:
            if docname in theirs:
                mine[docname] = theirs[docname]

    def connect(self, app: Sphinx) -> None:
        app.connect("env-purge-doc", self.purge_doc)
        app.connect("env-merge-info", self.merge_info)

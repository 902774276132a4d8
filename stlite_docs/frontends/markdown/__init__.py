"""The Markdown front-end: ```` ```stlite ```` fences for Python-Markdown.

Used by the MkDocs plugin, and usable on its own::

    markdown.markdown(text, extensions=["stlite_docs.markdown"])

With ``pymdownx.superfences`` the fence is a SuperFences custom fence (so it works inside
admonitions, details, content tabs and lists); without it, a preprocessor finds fences at the
top level, as Python-Markdown's own ``fenced_code`` does. Either way the same ``StliteFences``
renders the block through the core: this module only translates.

Used alone (Python-Markdown, Zensical), every conversion gets its own ``StliteFences``, kept
on its ``Markdown`` instance: Zensical converts pages from its Rust core and may do so
concurrently, so nothing here is shared between conversions. Under Zensical the page's path
and URL and ``docs_dir`` come from Zensical's rendering context (see ``zensical.py``).
"""

from __future__ import annotations

import functools
import logging
import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from ...core.app import BuildResult, SourceTree, build_app
from ...core.block import split_lines
from ...core.checks import includes
from ...check.syntax import send_ahead
from ...core.fences import fence_body
from ...core.publish import publish_files
from ...core.render import StandIns, render_invalid, render_mount
from ...core.options import _did_you_mean
from ...core.settings import SETTING_DEFAULTS, SettingsError, SiteSettings
from ...core.spec import SharedPageCheck

LANGUAGE = "stlite"
#: The fence attribute that names the entry file (the reST directive's argument).
FILE_ATTRIBUTE = "file"

logger = logging.getLogger("stlite_docs.markdown")

# ``key="value"``, ``key='value'`` or ``key=value``, as SuperFences reads fence headers.
_ATTRIBUTE = re.compile(r"""(?P<key>[\w-]+)=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>\S+))""")
_FENCE_ANYWHERE = re.compile(r"^[ \t>]*(?:`{3,}|~{3,})[ \t]*\{?\.?stlite\b", re.MULTILINE)
#: The problem of a block whose HTML could not be put in the page (``StliteFences.finish``).
LOST_MESSAGE = (
    "this stlite block's HTML was lost: another Markdown extension removed its placeholder (an HTML "
    "comment) before stlite-docs could put the app in, so the page shows nothing here; look for an "
    "extension that strips HTML comments or stashed HTML"
)
#: What a deferred block's placeholder comment starts with (``StliteFences.defer``).
PLACEHOLDER_KIND = "stlite-docs-block"
_FENCE_OPEN = re.compile(r"^(?P<indent>[ \t>]*?)(?P<fence>`{3,}|~{3,})[ \t]*\{?\.?stlite\b(?P<attrs>[^\n`]*?)\}?[ \t]*$")


#: (source path, line, kind, message, note=False); a note is information, not a mistake
Reporter = Callable[..., None]


def _log_report(path: str, line: int | None, kind: str, message: str, note: bool = False) -> None:
    where = f"{path}:{line}" if line else path
    (logger.info if note else logger.warning)("%s: %s [stlite.%s]", where, message, kind)


@dataclass
class Page:
    """What the formatter needs to know about the page being rendered."""

    #: the page's source path as authors know it, for messages (``docs/guide/x.md``)
    path: str = "<markdown>"
    #: the page's URL relative to the site root (``guide/x/`` or ``guide/x.html``)
    url: str = ""
    #: the page's Markdown, to find each fence's line
    text: str = ""
    #: lines of the file above ``text`` (front matter that MkDocs removed before handing it on)
    line_offset: int = 0
    #: the page's overrides of the site settings (``settings.page_settings``)
    settings: dict = field(default_factory=dict)
    #: runtime: shared: the page's apps must agree on config and theme
    shared: SharedPageCheck = field(default_factory=SharedPageCheck, repr=False, compare=False)
    _cursor: int = 0
    #: (text, its lines, the lines that may open a fence): split once for all the fences of
    #: the page, not once per fence
    _split: tuple = field(default=(), repr=False, compare=False)

    def locate(self, source: str) -> int | None:
        """The page line (1-based) of the first body line of the next fence with ``source``.

        SuperFences hands formatters the code only, so the line is found by matching the
        fence bodies of the page in order (fences nested in admonitions or tabs are indented;
        the indentation is removed before comparing).
        """
        if not self._split or self._split[0] is not self.text:
            lines = split_lines(self.text)
            # Only a line with the word can open a stlite fence: one pass per page that
            # spares the pattern the page's other lines.
            self._split = (self.text, lines, [i for i, line in enumerate(lines) if "stlite" in line])
        _, lines, candidates = self._split
        wanted = split_lines(source.rstrip("\n"))
        for index in candidates[bisect_left(candidates, self._cursor):]:
            match = _FENCE_OPEN.match(lines[index])
            if not match:
                continue
            body, _ = fence_body(lines, index, match)
            if body == wanted:
                self._cursor = index + 1
                return index + 2 + self.line_offset
        return None


@dataclass
class StliteFences:
    """Validator and formatter for stlite fences, for one build."""

    settings: SiteSettings
    docs_dir: Path
    #: where published files are copied; None leaves publishing to the caller
    site_dir: Path | None = None
    #: the docs tool copies docs_dir into the site itself (Zensical): see ``SourceTree.served``
    served: bool = False
    report: Reporter = _log_report
    on_dependency: Callable[[Path], None] = lambda path: None
    #: called with (app, page path, line of the fence's first body line) for each app built
    on_app: Callable[..., None] = lambda app, path, line: None
    page: Page = field(default_factory=Page)
    #: blocks of the current conversion whose HTML waits for the end of the page, in order
    #: (see ``defer``); None renders each block at once (fences used without the extension)
    pending: list[tuple[Page, str, dict[str, Any]]] | None = None
    #: the placeholders of this conversion's deferred blocks
    placeholders: StandIns = field(default_factory=lambda: StandIns(PLACEHOLDER_KIND))
    #: the page line of the block ``render`` last met (for ``finish``'s lost-block message)
    _line: int | None = field(default=None, repr=False, compare=False)

    # SuperFences' interface -------------------------------------------------------------
    def validate(self, language: str, inputs: dict, options: dict, attrs: dict, md) -> bool:
        """Every header attribute is an option; the core judges them, so this never fails
        (a validator that raised would turn the block into plain code, silently)."""
        options.update(inputs)
        return True

    def format(self, source: str, language: str, class_name: str, options: dict, md, **kwargs: Any) -> str:
        """Render one block. Never raises: an unexpected error is reported and shown in place
        (SuperFences would swallow an exception and print the block as ordinary code)."""
        if self.pending is not None:
            return self.defer(source, dict(options))
        return self.render_safely(source, dict(options))

    def render_safely(self, source: str, options: dict[str, Any]) -> str:
        try:
            return self.render(source, options)
        except Exception as exc:  # noqa: BLE001 - see format()
            self.report(self.page.path, None, "internal", f"stlite-docs failed on a block: {exc!r}")
            return render_invalid([f"stlite-docs failed on this block: {exc!r}"], source)

    # Deferred rendering ------------------------------------------------------------------
    # A block's HTML depends on its syntax check, which the Python 3.13 compile server
    # answers. Rendered at once, each block would wait for the server to compile its files;
    # deferred to the end of the page (``finish``, a postprocessor), the server compiles them
    # while the rest of the page converts. The block's files are sent to the server now.
    def defer(self, source: str, options: dict[str, Any]) -> str:
        """A placeholder for the block's HTML, which ``finish`` puts in."""
        assert self.pending is not None
        if FILE_ATTRIBUTE not in options and includes(self.settings.check, "syntax"):
            send_ahead(source)
        self.pending.append((self.page, source, options))
        return self.placeholders.mark(len(self.pending) - 1)

    def finish(self, html: str) -> str:
        """Render the page's deferred blocks, in their order (a block's line is found by
        walking the page), into their placeholders. A block whose placeholder is gone
        (another extension removed the HTML comment, or the stashed HTML that held it) is
        still checked, and reported as lost: the page shows nothing in its place."""
        pending, self.pending = self.pending or [], None
        page = self.page
        rendered, where = [], []
        for self.page, source, options in pending:  # (the page they were met on)
            self._line = None
            rendered.append(self.render_safely(source, options))
            where.append((self.page.path, self._line))
        self.page = page

        def lost(index: int) -> None:
            path, line = where[index]
            self.report(path, line, "lost", LOST_MESSAGE)

        return self.placeholders.fill(html, rendered, on_missing=lost)

    def finish_lost(self) -> None:
        """After a conversion: blocks still pending lost every placeholder (the text that held
        them never reached the postprocessor): check and report them now."""
        if self.pending:
            self.finish("")

    def holds_placeholders(self, html: str) -> bool:
        """Whether ``html`` holds this conversion's placeholders (see FencePostprocessor)."""
        return bool(self.pending) and self.placeholders.start in html

    # ------------------------------------------------------------------------------------
    def render(self, source: str, options: dict[str, Any]) -> str:
        entry_file = options.pop(FILE_ATTRIBUTE, None)
        result: BuildResult = build_app(
            source,
            options,
            self.settings,
            SourceTree(base_dir=self.docs_dir, root_dir=self.docs_dir, served=self.served),
            entry_file=entry_file,
            on_dependency=self.on_dependency,
        )
        first_line = self._line = self.page.locate(source)
        for problem in result.problems:
            if problem.path is not None:
                path, line = str(self.docs_dir / problem.path), problem.line
            elif problem.line is not None and first_line is not None:
                path, line = self.page.path, first_line + problem.line - 1
            else:
                path, line = self.page.path, (first_line - 1 if first_line else None)
            self.report(path, line, problem.kind, problem.message, note=problem.note)
        if result.app is None:
            return render_invalid([p.message for p in result.problems if not p.note], result.code)
        app = result.app
        self.on_app(app, self.page.path, first_line)
        if self.site_dir is not None:
            publish_files(app, self.site_dir)
        elif app.previews:
            # Nobody copies the images into the site (Zensical copies docs_dir only, and the
            # previews folder lies beside it): a preview would be a broken image.
            app = replace(app, previews=())
        app = app.for_page(self.page.settings)
        fence_line = first_line - 1 if first_line else None
        message = self.page.shared.differs(app, fence_line)
        if message:
            self.report(self.page.path, fence_line, "option", message)
        return render_mount(app, self.page.url)


# ---------------------------------------------------------------------------- wiring
#: The attribute of a ``Markdown`` instance that holds the fences of its current conversion.
_MD_ATTRIBUTE = "stlite_docs_fences"


class FencePreprocessor(Preprocessor):
    """Hooks the fence into SuperFences when it is in use; otherwise finds top-level
    ```` ```stlite ```` fences itself, as Python-Markdown's ``fenced_code`` would.

    The decision is taken when the page is converted, not when extensions load, so the
    order of ``markdown_extensions`` does not matter.
    """

    _BLOCK = re.compile(
        r"^(?P<fence>`{3,}|~{3,})[ \t]*\{?\.?stlite\b(?P<attrs>[^\n`]*?)\}?[ \t]*\n(?P<code>.*?)(?<=\n)(?P=fence)[ \t]*$",
        re.MULTILINE | re.DOTALL,
    )

    def __init__(self, md: markdown.Markdown, fences_for: Callable[[markdown.Markdown, str], StliteFences]):
        super().__init__(md)
        #: gives the fences for one conversion, from the Markdown instance and the page text
        self.fences_for = fences_for

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        fences = self.fences_for(self.md, text)
        setattr(self.md, _MD_ATTRIBUTE, fences)
        # An earlier conversion lost its placeholders (an extension dropped stashed HTML):
        # its blocks are still checked, and reported (the MkDocs plugin does this as soon as
        # the page is converted; Python-Markdown alone has no such moment).
        fences.finish_lost()
        # This conversion's blocks are rendered at its end (FencePostprocessor).
        fences.pending, fences.placeholders = [], StandIns(PLACEHOLDER_KIND)
        superfences = _superfences(self.md)
        if superfences is not None:
            _hook_into(superfences)
            return lines

        def replace(match: re.Match) -> str:
            options = {m.group("key"): _attribute_value(m) for m in _ATTRIBUTE.finditer(match.group("attrs"))}
            html = fences.format(match.group("code"), LANGUAGE, LANGUAGE, options, self.md)
            return self.md.htmlStash.store(html)

        return self._BLOCK.sub(replace, text).split("\n")


class FencePostprocessor(Postprocessor):
    """Puts the HTML of the conversion's deferred blocks in (``StliteFences.finish``), after
    Python-Markdown restored the stashed HTML that holds their placeholders."""

    def run(self, text: str) -> str:
        fences = getattr(self.md, _MD_ATTRIBUTE, None)
        # Postprocessors also run on pieces of the page (the toc extension runs them on each
        # heading's text): only the text that holds the placeholders is the page.
        if fences is None or not fences.holds_placeholders(text):
            return text
        return fences.finish(text)


def _attribute_value(match: re.Match) -> str:
    for group in ("dq", "sq", "bare"):
        if match.group(group) is not None:
            return match.group(group)
    return ""


def _superfences(md: markdown.Markdown):
    return next((ext for ext in md.registeredExtensions if type(ext).__name__ == "SuperFencesCodeExtension"), None)


def _hook_into(superfences) -> None:
    """Register the fence with SuperFences unless the user's ``custom_fences`` already did."""
    if any(entry.get("name") == LANGUAGE for entry in superfences.superfences):
        return
    from pymdownx.superfences import _formatter, _reset, _validator, default_reset

    superfences.extend_super_fences(
        LANGUAGE,
        functools.partial(_formatter, class_name=LANGUAGE, _fmt=format_fence),
        functools.partial(_validator, validator=validate_fence),
        functools.partial(_reset, _reset=default_reset),
    )


# SuperFences' custom fence interface. Usable by name in ``custom_fences`` too:
#   format: !!python/name:stlite_docs.markdown.format_fence
#   validator: !!python/name:stlite_docs.markdown.validate_fence
def validate_fence(language: str, inputs: dict, options: dict, attrs: dict, md) -> bool:
    """Every header attribute is an option; the core judges them in ``format_fence``."""
    options.update(inputs)
    return True


def format_fence(source: str, language: str, class_name: str, options: dict, md, **kwargs: Any) -> str:
    """Render one fence with the fences of ``md``'s current conversion (or, where the
    extension is not loaded, with the defaults and whatever the docs tool's context says)."""
    fences = getattr(md, _MD_ATTRIBUTE, None) or _standalone_fences(md, "", {})
    return fences.format(source, language, class_name, options, md, **kwargs)


def superfences_entry(fences: StliteFences) -> dict[str, Any]:
    """A ``custom_fences`` entry for ``pymdownx.superfences``, for configuring it by hand."""
    return {"name": LANGUAGE, "class": LANGUAGE, "validator": fences.validate, "format": fences.format}


#: The extension's options besides the site settings.
EXTENSION_OPTIONS = {
    "docs_dir": ["", "folder that file paths are relative to (default: the docs tool's, else '.')"],
    "page_url": ["", "URL of the page relative to the site root"],
    "page_path": ["", "source path of the page, for messages"],
}


class StliteExtension(Extension):
    """``markdown.markdown(text, extensions=["stlite_docs.markdown"])``.

    Options: the site settings (``requirements``, ``height``, ``load``, ``stlite_url``,
    ``pyodide_url``), plus ``docs_dir`` (where ``file=`` and ``files`` paths start; default:
    Zensical's docs_dir under Zensical, else the current directory), ``page_url`` and
    ``page_path``; or ``fences``, a ready ``StliteFences`` (the MkDocs plugin passes its own).
    """

    def __init__(self, **kwargs: Any):
        self.config = {
            # Python-Markdown turns a None default into a boolean option, so "" stands for None.
            **{name: ["" if default is None else default, f"site-wide {name}"] for name, default in SETTING_DEFAULTS.items()},
            **{name: list(entry) for name, entry in EXTENSION_OPTIONS.items()},
            "fences": ["", "a StliteFences to use instead of one made from these options"],
        }
        unknown = [key for key in kwargs if key not in self.config]
        if unknown:  # Python-Markdown would raise a bare KeyError
            known = [key for key in self.config if key != "fences"]
            raise SettingsError(
                f"stlite_docs.markdown: unknown option {unknown[0]!r}{_did_you_mean(unknown[0], known)}; known options: {', '.join(known)}"
            )
        super().__init__(**kwargs)

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        fences = self.getConfig("fences") or None
        if fences is not None:
            fences_for = lambda md, text: fences  # noqa: E731 - the plugin sets the page itself
        else:
            # Settings are checked now, so a bad value fails the build at once, with its name.
            settings = SiteSettings.from_raw({name: self.getConfig(name) or None for name in SETTING_DEFAULTS})
            explicit = {name: self.getConfig(name) for name in EXTENSION_OPTIONS}
            fences_for = functools.partial(_standalone_fences, settings=settings, explicit=explicit)
        # Priority 29: before fenced_code and SuperFences (both 25), and after
        # normalize_whitespace (30), which would otherwise mangle the stash placeholders.
        md.preprocessors.register(FencePreprocessor(md, fences_for), "stlite_fence", 29)
        # Priority 5: after raw_html (30), which restores the stashed HTML with the
        # placeholders, and amp_substitute (20); nothing after it touches the blocks' HTML.
        md.postprocessors.register(FencePostprocessor(md), "stlite_fence", 5)
        md.registerExtension(self)


def _standalone_fences(md: markdown.Markdown, text: str, explicit: dict[str, str], settings: SiteSettings | None = None) -> StliteFences:
    """Fences for one conversion outside MkDocs: the page comes from the explicit options,
    else from Zensical's rendering context, else it is an anonymous ``<markdown>`` text."""
    from .zensical import zensical_context

    context = zensical_context(md)
    docs_dir = Path(explicit.get("docs_dir") or (context.docs_dir if context else "."))
    page = Page(
        path=explicit.get("page_path") or (context.page_path if context else "<markdown>"),
        url=explicit.get("page_url") or (context.page_url if context else ""),
        text=text,
    )
    settings = (settings or SiteSettings()).anchored(docs_dir.resolve().parent)  # beside docs_dir, as with MkDocs
    fences = StliteFences(
        settings=settings,
        docs_dir=docs_dir,
        served=context is not None,
        page=page,
    )
    if context is not None and _FENCE_ANYWHERE.search(text):
        context.check_assets(fences.report, page.path)
    return fences


def makeExtension(**kwargs: Any) -> StliteExtension:  # Python-Markdown's entry point
    return StliteExtension(**kwargs)

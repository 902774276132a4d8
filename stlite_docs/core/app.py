"""Turn one author's block into an ``App``, or into located problems. The heart of the core.

Front-ends call ``build_app`` with what they parsed (the body, the options they read, the
file argument) and a ``SourceTree`` that says where relative paths start. They get back a
``BuildResult``; they never re-validate anything themselves.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..check.syntax import SyntaxChecker
from .block import parse_body, with_final_newline
from .checks import Origin, check_app, includes
from .options import canonical_key, merge_requirements
from .previews import attach_preview
from .problems import BlockError, Problem
from .session import BuildSession
from .settings import BLOCK_OPTIONS, SiteSettings, unknown_option_message
from .spec import App, AppFile

#: Where published files land, from the site root. Content-addressed, so names are the same
#: on every machine and a changed file never hides behind a browser cache.
PUBLISH_DIR = "_stlite_docs/files"


@dataclass(frozen=True)
class SourceTree:
    """How the front-end's source files look to the core.

    ``base_dir``: where relative paths start (Sphinx: the document's folder; MkDocs: docs_dir).
    ``root_dir``: where ``/``-rooted paths start; no file outside it may be read.
    ``served``: the docs tool copies every file of ``root_dir`` into the site at the same
    relative path, on every build (Zensical does). App files are then fetched from those
    copies instead of being inlined or published: Zensical caches a rendered page until the
    page itself changes, so inlined text would go stale, and files written into its site
    folder do not survive the next build.
    """

    base_dir: Path
    root_dir: Path
    served: bool = False

    def resolve(self, ref: str, what: str) -> Path:
        ref = ref.strip()
        if not ref:
            raise BlockError("file", f"{what}: empty path")
        candidate = (self.root_dir / ref.lstrip("/")) if ref.startswith("/") else (self.base_dir / ref)
        try:
            real = Path(os.path.realpath(candidate))
            root = Path(os.path.realpath(self.root_dir))
            inside = real == root or root in real.parents
            found = inside and real.is_file()
        except (OSError, ValueError) as exc:  # a NUL byte, a name longer than the OS allows
            raise BlockError("file", f"{what} {ref!r} is not a usable path: {exc}") from None
        if not inside:
            raise BlockError("file", f"{what} {ref!r} is outside the source directory {root}")
        if not found:
            raise BlockError("file", f"{what} {ref!r} not found (looked for {self.display(real)})")
        return real

    def display(self, path: Path) -> str:
        """A path as authors recognise it: relative to the source root when inside it."""
        try:
            return Path(path).relative_to(os.path.realpath(self.root_dir)).as_posix()
        except ValueError:
            return str(path)


@dataclass
class BuildResult:
    app: App | None
    problems: list[Problem] = field(default_factory=list)
    #: the code to show: in the no-JS view of a good app, and under the notice of a bad one
    code: str = ""


def build_app(
    body: str,
    options: Mapping[str, Any],
    settings: SiteSettings,
    tree: SourceTree,
    entry_file: str | None = None,
    on_dependency: Callable[[Path], None] = lambda path: None,
    session: BuildSession | None = None,
) -> BuildResult:
    """Validate and assemble one block.

    ``body``: the block's text (``#|`` lines and ``## file:`` lines included).
    ``options``: options the front-end read outside the body (directive options, fence
    attributes), as raw strings; their problems carry no line.
    ``entry_file``: the directive argument / ``file=`` attribute, if any.
    ``on_dependency``: called with every source file read, so the front-end rebuilds the
    page when it changes (Sphinx ``note_dependency``, MkDocs ``watch``).
    ``session``: the build's (its checker, its caches); without one, a session for this block.
    """
    if session is None:
        with BuildSession() as session:
            return build_app(body, options, settings, tree, entry_file, on_dependency, session)
    body = with_final_newline(body)
    parsed = parse_body(body)
    problems = list(parsed.problems)

    values = _normalize_options(options, parsed.options, parsed.option_lines, problems)
    level = values.get("check", settings.check)
    syntax = session.syntax if includes(level, "syntax") else None
    origins: dict[str, Origin] = {}

    if entry_file is not None:
        files, code = _entry_from_file(entry_file, parsed, tree, on_dependency, problems, syntax, origins)
    else:
        files, code = _entry_from_body(parsed, problems, syntax, origins)

    for app_path, ref in values.get("files", {}).items():
        published = _publish(app_path, ref, tree, on_dependency, problems)
        if published is None:
            continue
        if any(f.path == app_path for f in files):
            problems.append(Problem("file-path", f"attached file {ref!r} would replace the app file {app_path!r}"))
            continue
        shown = tree.display(Path(published.source))
        origins[app_path] = Origin(shown)
        if syntax and app_path.endswith(".py"):
            problems.extend(_check_attached_syntax(syntax, app_path, Path(published.source), shown))
        files.append(published)

    show_code, editable = _code_view(values, settings, parsed.option_lines, problems)
    if problems or not files:
        return BuildResult(None, problems, body if entry_file is None else code)

    app = App(
        entrypoint=files[0].path,
        files=tuple(files),
        requirements=tuple(merge_requirements(settings.requirements, values.get("requirements", []))),
        config=values.get("config", {}),
        height=values.get("height", settings.height),
        max_height=values.get("max-height", settings.max_height),
        load=values.get("load", settings.load),
        caption=values.get("caption"),
        name=values.get("name"),
        stlite_url=settings.stlite_url,
        pyodide_url=settings.pyodide_url,
        stlite_integrity=settings.stlite_integrity,
        code=code,
        theme=values.get("theme", settings.theme),
        theme_from_block="theme" in values,
        max_live_apps=settings.max_live_apps,
        concurrency=settings.concurrency,
        show_code=show_code,
        editable=editable,
        share_url=settings.share_url if values.get("share", settings.share) else None,
        runtime=settings.runtime,
    )
    # A missing or bad preview image is reported, and the app works without a preview.
    app, notes = attach_preview(app, values.get("preview", "auto"), _previews_dir(settings, tree), _resolver(tree, on_dependency))
    # The app is built whatever these find: a failed import or run is reported, but the
    # reader still gets the app (the check's environment is not the browser's).
    return BuildResult(app, notes + check_app(app, origins, level, settings.check_timeout, session), code)


def _resolver(tree: SourceTree, on_dependency: Callable[[Path], None]):
    def resolve(ref: str, what: str) -> Path:
        path = tree.resolve(ref, what)
        on_dependency(path)
        return path

    return resolve


def _previews_dir(settings: SiteSettings, tree: SourceTree) -> str:
    """The previews folder: as the front-end made it absolute, else beside the source root."""
    return os.path.join(tree.root_dir, settings.previews_dir)  # (an absolute one stays as it is)


def _code_view(values: dict, settings: SiteSettings, lines: Mapping[str, int], problems: list[Problem]) -> tuple[str, bool]:
    """``show-code`` and ``editable``. An editor needs its code on the page: an editable app
    whose show-code comes from the site's ``none`` shows it above the app; a block that asks
    for both ``editable`` and ``show-code: none`` is a contradiction, reported at its line."""
    show_code = values.get("show-code", settings.show_code)
    editable = values.get("editable", False)
    if editable and show_code == "none":
        if "show-code" in values:
            problems.append(
                Problem(
                    "option",
                    "option 'editable' shows the code in an editor, but 'show-code' is none: "
                    "use show-code above, below, left, right or tabs, or drop one of the two",
                    lines.get("show-code", lines.get("editable")),
                )
            )
        show_code = "above"
    return show_code, editable


def _normalize_options(
    outer: Mapping[str, Any], inner: Mapping[str, Any], inner_lines: Mapping[str, int], problems: list[Problem]
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    sources: dict[str, tuple[Any, int | None, str]] = {}
    given = [(key, value, None) for key, value in outer.items()]
    given += [(key, value, inner_lines.get(key)) for key, value in inner.items()]
    for written, value, line in given:
        key = canonical_key(written)  # show_code and show-code are one option
        if key in sources:
            first_line, first_written = sources[key][1:]
            where = (
                "outside the code and on a '#|' line"
                if first_line is None and line is not None
                else f"as {first_written!r} and {written!r}"
            )
            problems.append(Problem("option", f"option {key!r} is given twice: {where}", line))
            continue
        sources[key] = (value, line, written)
    for key, (value, line, _) in sources.items():
        normalizer = BLOCK_OPTIONS.get(key)
        if normalizer is None:
            problems.append(Problem("option", unknown_option_message(key), line))
            continue
        try:
            values[key] = normalizer(key, value)
        except BlockError as exc:
            problems.append(Problem(exc.problem.kind, exc.problem.message, line))
    return values


def _entry_from_body(parsed, problems: list[Problem], syntax: SyntaxChecker | None, origins: dict) -> tuple[list[AppFile], str]:
    if not parsed.segments or not parsed.code.strip():
        problems.append(Problem("empty", "the block has no code: write the app in the block, or name a file"))
        return [], parsed.code
    files = []
    for seg in parsed.segments:
        origins[seg.path] = Origin(None, seg.first_line - 1)
        if syntax:
            problems.extend(check_syntax(syntax, seg.path, seg.text, line_offset=seg.first_line - 1))
        files.append(AppFile(seg.path, text=seg.text))
    return files, parsed.code


def _entry_from_file(
    entry_file, parsed, tree, on_dependency, problems, syntax: SyntaxChecker | None, origins: dict
) -> tuple[list[AppFile], str]:
    if parsed.code.strip():
        first = next((s.first_line for s in parsed.segments if s.text.strip()), None)
        problems.append(
            Problem(
                "content",
                f"this block takes its code from {entry_file!r}; its content may only hold '#|' option lines",
                first,
            )
        )
    try:
        path = tree.resolve(entry_file, "app file")
    except BlockError as exc:
        problems.append(exc.problem)
        return [], ""
    on_dependency(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem("file", f"app file {entry_file!r} is not UTF-8 text: {exc.reason} at byte {exc.start}"))
        return [], ""
    except OSError as exc:  # unreadable, or removed since it was resolved
        problems.append(Problem("file", f"app file {entry_file!r} cannot be read: {exc.strerror or exc}"))
        return [], ""
    shown = tree.display(path)
    origins[path.name] = Origin(shown)
    if syntax:
        problems.extend(check_syntax(syntax, path.name, text, line_offset=0, path=shown))
    if tree.served:
        return [_served(path.name, path, text.encode("utf-8"), tree, problems)], text
    return [AppFile(path.name, text=text)], text


def _check_attached_syntax(checker: SyntaxChecker, app_path: str, source: Path, shown: str) -> list[Problem]:
    try:
        text = source.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [Problem("file", f"attached Python file {shown!r} is not readable UTF-8 text: {exc}")]
    return check_syntax(checker, app_path.rsplit("/", 1)[-1], text, line_offset=0, path=shown)


def _publish(app_path, ref, tree, on_dependency, problems) -> AppFile | None:
    try:
        path = tree.resolve(ref, "attached file")
    except BlockError as exc:
        problems.append(exc.problem)
        return None
    on_dependency(path)
    try:
        content = path.read_bytes()
    except OSError as exc:
        problems.append(Problem("file", f"attached file {ref!r} cannot be read: {exc.strerror or exc}"))
        return None
    if tree.served:
        return _served(app_path, path, content, tree, problems)
    digest = hashlib.sha256(content).hexdigest()[:16]
    return AppFile(app_path, source=str(path), site_path=f"{PUBLISH_DIR}/{digest}/{path.name}")


#: Files a docs tool renders into pages instead of copying: they have no served copy.
RENDERED_SUFFIXES = (".md", ".markdown")


def _served(app_path: str, path: Path, content: bytes, tree: SourceTree, problems: list[Problem]) -> AppFile:
    """An app file fetched from the copy the docs tool serves; the content hash in the query
    keeps a browser from running an old copy after the file changed."""
    shown = tree.display(path)
    if path.suffix.lower() in RENDERED_SUFFIXES:
        problems.append(
            Problem(
                "file",
                f"{shown!r} is a Markdown page, which the docs tool renders instead of copying; give the file another extension",
            )
        )
    digest = hashlib.sha256(content).hexdigest()[:16]
    return AppFile(app_path, source=str(path), site_path=f"{shown}?v={digest}", served=True)


def check_syntax(checker: SyntaxChecker, name: str, text: str, line_offset: int = 0, path: str | None = None) -> list[Problem]:
    """Compile a Python file of the app as Python 3.13 (see ``check.syntax``); a
    ``SyntaxError`` becomes a located problem.

    ``line_offset`` maps the file's lines to the block body; with ``path`` the line is a line
    of that file instead.
    """
    if not name.endswith(".py"):
        return []
    error = checker.check(text, name)
    if error is None:
        return []
    if error.line is None:
        return [Problem("syntax", f"Python syntax error in {name}: {error.message}", line_offset + 1, path)]
    return [
        Problem("syntax", f"Python syntax error in {name}, line {error.line}: {error.message}", error.line + line_offset, path)
    ]

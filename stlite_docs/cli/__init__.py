"""The ``stlite-docs`` command.

``stlite-docs check PATH...``: the build-time checks of every stlite block in Markdown and
reStructuredText sources, outside a docs build (for pre-commit and CI). One located line per
problem, exit status 1 if there is any.

``stlite-docs assets DEST``: copy the browser loader and its CSS into ``DEST/stlite-docs/``, for
docs tools that run no plugins and serve only their docs folder (Zensical). The build itself
never writes into the docs folder; this command is the one step that does, when the author
runs it (again after each upgrade of stlite-docs: the build warns when the copy is stale).

``stlite-docs previews [SOURCE_DIR]``: capture the build-time preview of every app
(``stlite_docs.capture``).

``stlite-docs fetch`` and ``stlite-docs info``: the pinned runtime, see ``runtime_cli``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .._version import __version__
from ..core.assets import LOADER, STYLESHEET, asset_files, install_assets
from ..core.options import CHECK_LEVELS
from .runtime import COMMANDS as RUNTIME_COMMANDS
from .runtime import add_commands as add_runtime_commands
from .runtime import run as run_runtime_command


def build_parser() -> argparse.ArgumentParser:
    """The command line's definition: ``main`` parses with it, and the manual's CLI reference
    (``docs/_ext/cli_reference.py``) is generated from it."""
    parser = argparse.ArgumentParser(prog="stlite-docs", description="Live Streamlit apps in documentation, run by stlite.")
    parser.add_argument("--version", action="version", version=f"stlite-docs {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    assets = commands.add_parser(
        "assets",
        help="copy the loader and its CSS into a folder of your docs (for Zensical)",
        description="Copy the browser loader and its CSS into DEST/stlite-docs/ and print the "
        "extra_javascript and extra_css entries that load them.",
    )
    assets.add_argument("dest", type=Path, help="a folder inside your docs folder, e.g. docs/assets")
    assets.add_argument(
        "--docs-dir", type=Path, default=Path("docs"), help="your docs folder, to print paths relative to it (default: docs)"
    )
    assets.add_argument("--check", action="store_true", help="change nothing; exit 1 if DEST is not up to date (for CI)")

    check = commands.add_parser(
        "check",
        help="check the stlite blocks of Markdown/reST files (syntax, imports, run)",
        description="Run the build-time checks on every stlite block of the given files (folders: "
        "their .md, .markdown and .rst files). Settings and paths come from the nearest "
        "mkdocs.yml, properdocs.yml, zensical.toml or conf.py above each file.",
    )
    check.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    check.add_argument(
        "--check",
        choices=CHECK_LEVELS,
        help="the check level for every block without its own (default: the project's, else syntax)",
    )
    check.add_argument("--timeout", type=float, help="seconds an app's headless run may take (default: the project's, else 60)")

    previews = commands.add_parser(
        "previews",
        help="capture a picture of every app, shown until the live app is ready",
        description="Build the docs project(s) at or below SOURCE_DIR (conf.py, mkdocs.yml, properdocs.yml), "
        "serve the site on 127.0.0.1, boot every app that lacks a current preview in headless Chromium "
        "and write its picture into the project's previews folder (default _stlite_previews/, beside the "
        "configuration file; commit it). Images no app uses any more are removed.",
    )
    previews.add_argument("source", nargs="?", type=Path, default=Path("."), metavar="SOURCE_DIR")
    previews.add_argument(
        "--runtime",
        metavar="DIR_OR_URL",
        help="a complete runtime (a folder with stlite/ and pyodide/, "
        "served by the command, or the URL of one); default: the site's own configuration",
    )
    previews.add_argument("--jobs", type=int, default=2, metavar="N", help="apps captured at a time (default 2)")
    previews.add_argument(
        "--timeout",
        type=float,
        default=120,
        metavar="SECONDS",
        help="an app that has not rendered by then gets no preview (default 120)",
    )
    previews.add_argument("--strict", action="store_true", help="exit 1 when any app got no preview")

    add_runtime_commands(commands)  # fetch, info
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "assets":
        return _assets(args.dest, args.docs_dir, args.check)
    if args.command == "check":
        return run_checks(args.paths, args.check, args.timeout)
    if args.command == "previews":
        from ..previews import run as capture_previews

        return capture_previews(args.source, args.runtime, args.jobs, args.timeout, args.strict)
    if args.command in RUNTIME_COMMANDS:
        return run_runtime_command(args)
    return 2  # argparse has rejected anything else already


def _assets(dest: Path, docs_dir: Path, check: bool) -> int:
    if check:
        stale = [rel for rel, source in asset_files() if not _same(dest / rel, source)]
        if stale:
            print(
                f"stlite-docs: {dest} is not up to date with stlite-docs {__version__}: {', '.join(stale)}; "
                f"run `stlite-docs assets {dest}`",
                file=sys.stderr,
            )
            return 1
        print(f"{dest}: stlite-docs {__version__} assets are up to date")
        return 0
    written, removed = install_assets(dest)
    print(f"{dest}/stlite-docs: {len(written)} file(s) written, {len(removed)} removed (stlite-docs {__version__})")
    prefix = _relative(dest, docs_dir)
    print(
        "\nLoad them on every page (mkdocs.yml):\n"
        "  extra_javascript:\n"
        f"    - path: {prefix}{LOADER}\n"
        "      type: module\n"
        "  extra_css:\n"
        f"    - {prefix}{STYLESHEET}\n"
        "\nor (zensical.toml, under [project]):\n"
        f'  extra_javascript = [{{ path = "{prefix}{LOADER}", type = "module" }}]\n'
        f'  extra_css = ["{prefix}{STYLESHEET}"]'
    )
    return 0


def run_checks(paths: list[Path], level: str | None, timeout: float | None) -> int:
    from ..core.document import read_document, source_files
    from ..core.document import shown_path as _shown
    from ..core.project import find_project
    from ..core.session import BuildSession
    from ..core.settings import SettingsError, SiteSettings

    try:
        documents = source_files(paths)
    except FileNotFoundError as exc:
        print(f"stlite-docs check: {exc.filename}: no such file or folder", file=sys.stderr)
        return 2
    problems = blocks = 0
    with BuildSession() as session:
        for document in documents:
            project = find_project(document)
            raw = dict(project.settings)
            raw.update({k: v for k, v in (("check", level), ("check_timeout", timeout)) if v is not None})
            try:
                settings = SiteSettings.from_raw(raw)
            except SettingsError as exc:
                print(f"{_shown(project.config)}: {exc}", file=sys.stderr)
                return 2
            text = document.read_bytes().decode("utf-8", errors="replace")
            built = read_document(
                text, document.suffix.lower(), settings, project.tree(document), session, myst=project.kind == "sphinx"
            )
            for block in built:
                blocks += 1
                for problem, where in block.located:
                    first, *more = problem.message.splitlines() or [""]
                    label = "note: " if problem.note else ""
                    print(f"{_shown(where.path or document)}:{where.line}: {label}{first} [stlite.{problem.kind}]")
                    for row in more:
                        print(f"    {row}")
                    problems += 0 if problem.note else 1
    summary = f"stlite-docs check: {problems} problem(s) in {blocks} block(s) of {len(documents)} file(s)"
    print(summary, file=sys.stderr)
    return 1 if problems else 0


def _same(target: Path, source: Path) -> bool:
    return target.is_file() and target.read_bytes() == source.read_bytes()


def _relative(dest: Path, docs_dir: Path) -> str:
    """``dest`` as a site path (relative to the docs folder), ending in '/'; '' for the root."""
    try:
        rel = Path(os.path.relpath(dest.resolve(), docs_dir.resolve())).as_posix()
    except ValueError:  # another drive
        rel = dest.as_posix()
    if rel.startswith(".."):
        rel = dest.as_posix()
    return "" if rel == "." else rel.rstrip("/") + "/"

"""The ``stlite-docs`` command.

``stlite-docs assets DEST``: copy the browser loader and its CSS into ``DEST/stlite-docs/``, for
docs tools that run no plugins and serve only their docs folder (Zensical). The build itself
never writes into the docs folder; this command is the one step that does, when the author
runs it (again after each upgrade of stlite-docs: the build warns when the copy is stale).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ._version import __version__
from .assets import LOADER, STYLESHEET, asset_files, install_assets


def main(argv: list[str] | None = None) -> int:
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
    assets.add_argument("--docs-dir", type=Path, default=Path("docs"), help="your docs folder, to print paths relative to it (default: docs)")
    assets.add_argument("--check", action="store_true", help="change nothing; exit 1 if DEST is not up to date (for CI)")

    args = parser.parse_args(argv)
    if args.command == "assets":
        return _assets(args.dest, args.docs_dir, args.check)
    return 2  # argparse has rejected anything else already


def _assets(dest: Path, docs_dir: Path, check: bool) -> int:
    if check:
        stale = [rel for rel, source in asset_files() if not _same(dest / rel, source)]
        if stale:
            print(f"stlite-docs: {dest} is not up to date with stlite-docs {__version__}: {', '.join(stale)}; "
                  f"run `stlite-docs assets {dest}`", file=sys.stderr)
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

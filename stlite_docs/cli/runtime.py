"""``stlite-docs fetch`` and ``stlite-docs info``: the pinned runtime outside a docs build.

``fetch --dest DIR`` fills a folder to use as ``runtime_dir`` on machines without internet:
``DIR/stlite/`` (the stlite build, no source maps) and ``DIR/pyodide/`` (Pyodide's core, the
wheels Streamlit and the given requirements need, and a lock listing exactly those).
``fetch --site DOCS_DIR`` writes the runtime where a self-hosted site serves it
(``DOCS_DIR/_stlite_docs/runtime/``): for Zensical, which copies ``docs/`` but runs no plugin.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..core.options import normalize_requirements
from ..core.problems import BlockError
from ..runtime import (
    DEFAULT_MIRROR_URL,
    DEFAULT_STLITE_URL,
    MIRROR_PYODIDE_CORE_PATH,
    MIRROR_PYODIDE_PATH,
    MIRROR_STLITE_PATH,
    PYODIDE_VERSION,
    SELFHOST_PYODIDE_URL,
    SELFHOST_STLITE_URL,
    STLITE_VERSION,
)
from ..runtime.downloads import runtime_cache
from ..runtime.pins import load_pins

COMMANDS = ("fetch", "info")


def add_commands(commands) -> None:
    fetch = commands.add_parser(
        "fetch",
        help="download the pinned stlite and Pyodide for offline or self-hosted use",
        description="Fill a folder with the pinned stlite build and the part of Pyodide that Streamlit "
        "and the given requirements need, verified by sha256 (through the user cache).",
    )
    where = fetch.add_mutually_exclusive_group(required=True)
    where.add_argument("--dest", type=Path, help="a folder to use as runtime_dir: DEST/stlite/ and DEST/pyodide/")
    where.add_argument(
        "--site",
        type=Path,
        metavar="DOCS_DIR",
        help="write the runtime as a self-hosted site serves it, into DOCS_DIR/_stlite_docs/runtime/ (Zensical)",
    )
    fetch.add_argument(
        "--requirements",
        nargs="*",
        default=[],
        metavar="REQ",
        help="the apps' requirements, to include what Pyodide's lock provides for them",
    )
    fetch.add_argument(
        "--vendor-requirements",
        action="store_true",
        help="also fetch pure-Python wheels from PyPI for requirements the lock lacks",
    )
    fetch.add_argument("--runtime-dir", type=Path, help="copy from this folder (stlite/, pyodide/) instead of downloading")
    fetch.add_argument("--mirror-url", default=DEFAULT_MIRROR_URL, help=f"where to download from (default: {DEFAULT_MIRROR_URL})")
    fetch.add_argument("--quiet", action="store_true", help="no progress bars")

    commands.add_parser(
        "info",
        help="print the pinned versions, their URLs and integrity, and the download cache",
        description="Print the pinned stlite and Pyodide versions, the URLs and Subresource Integrity "
        "a build uses, and where the download cache is and what it holds.",
    )


def run(args: argparse.Namespace) -> int:
    if args.command == "fetch":
        return _fetch(args)
    return _info()


def _fetch(args: argparse.Namespace) -> int:
    from ..core.settings import SettingsError, SiteSettings
    from ..runtime.selfhost import RUNTIME_DIR_LAYOUT, SITE_LAYOUT, Need, SelfHostError, describe, materialize

    try:
        requirements = normalize_requirements("--requirements", list(args.requirements))
        settings = SiteSettings.from_raw(
            {
                "assets": "self-host",
                "runtime_dir": str(args.runtime_dir) if args.runtime_dir else None,
                "mirror_url": args.mirror_url,
                "vendor_requirements": args.vendor_requirements,
            },
            prefix="--",
        )
    except (BlockError, SettingsError) as exc:
        message = exc.problem.message if isinstance(exc, BlockError) else str(exc)
        print(f"stlite-docs fetch: {message}", file=sys.stderr)
        return 2
    target = args.dest if args.dest is not None else args.site
    layout = RUNTIME_DIR_LAYOUT if args.dest is not None else SITE_LAYOUT
    try:
        result = materialize(
            target, [Need(r, r) for r in requirements], settings, base_dir=Path.cwd(), progress=not args.quiet, layout=layout
        )
    except SelfHostError as exc:
        print(f"stlite-docs fetch: {exc}", file=sys.stderr)
        return 1
    for _where, message in result.problems:
        print(f"stlite-docs fetch: {message}", file=sys.stderr)
    print(f"{target}: {describe(result)}")
    if args.dest is not None:
        print(f"\nUse it with assets: self-host and runtime_dir: {args.dest}")
    else:
        print("\nSet assets: self-host in the extension's settings: every app then loads it from the site.")
    return 1 if result.problems else 0


def _info() -> int:
    pins = load_pins()
    cache = runtime_cache()
    print(f"stlite     @stlite/browser {STLITE_VERSION}")
    print(f"Pyodide    {PYODIDE_VERSION}")
    print(f"CDN        stlite_url  {DEFAULT_STLITE_URL}")
    print("           pyodide_url None: stlite's own pinned Pyodide URL")
    for name, value in sorted(pins["stlite"]["integrity"].items()):
        print(f"           integrity   {name} {value}")
    print(f"self-host  stlite_url  {SELFHOST_STLITE_URL}  (from the site root)")
    print(f"           pyodide_url {SELFHOST_PYODIDE_URL}")
    print(
        f"downloads  mirror_url  {DEFAULT_MIRROR_URL} + {MIRROR_STLITE_PATH}, {MIRROR_PYODIDE_CORE_PATH}, {MIRROR_PYODIDE_PATH}"
    )
    print(f"           PyPI wheels through pip: {', '.join(sorted(e['file_name'] for e in pins['pypi'].values()))}")
    print(f"cache      {cache}")
    if not cache.is_dir():
        print("           (empty)")
        return 0
    for folder in sorted(p for p in cache.iterdir() if p.is_dir()):
        files = [p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".tmp-")]
        print(f"           {folder.name + '/':24} {len(files):4} files {sum(p.stat().st_size for p in files) / 1e6:8.1f} MB")
    return 0

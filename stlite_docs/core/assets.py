"""Where the browser assets live, in a wheel and in a source checkout."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

#: The folder, inside a built site's asset folder, that holds the loader and its CSS.
ASSET_FOLDER = "stlite-docs"
LOADER = f"{ASSET_FOLDER}/loader.js"
STYLESHEET = f"{ASSET_FOLDER}/stlite-docs.css"


def assets_root() -> Path:
    """The folder that contains ``stlite-docs/``.

    A wheel carries it as ``stlite_docs/assets`` (hatch force-include); an editable install
    or a source checkout has it at the repository's top-level ``assets/``.
    """
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "assets", package.parent / "assets"):
        if (candidate / LOADER).is_file():
            return candidate
    raise FileNotFoundError(f"stlite-docs browser assets not found next to {package}")


_VERSION_LINE = re.compile(r'^export const VERSION = "([^"]+)";$', re.MULTILINE)


def loader_version(path: Path) -> str | None:
    """The stlite-docs version a copy of ``loader.js`` belongs to; None if there is none."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    match = _VERSION_LINE.search(text)
    return match.group(1) if match else "unknown"


def asset_files() -> list[tuple[str, Path]]:
    """Every browser asset, as (path under the asset folder's parent, file), sorted."""
    root = assets_root()
    return [
        (path.relative_to(root).as_posix(), path)
        for path in sorted((root / ASSET_FOLDER).rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    ]


def install_assets(dest: Path) -> tuple[list[str], list[str]]:
    """Put this version's assets into ``dest/stlite-docs/``, for docs tools that serve only
    what is in their docs folder (Zensical). That folder is ours: files of an older version
    that this one no longer has are removed. Each file is written atomically.

    Returns (files written or replaced, files removed), as paths under ``dest``.
    """
    dest = Path(dest)
    written, wanted = [], set()
    for rel, source in asset_files():
        target = dest / rel
        wanted.add(target.resolve())
        content = source.read_bytes()
        if target.is_file() and target.read_bytes() == content:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as out:
            out.write(content)
        os.replace(tmp, target)
        written.append(rel)
    removed = []
    folder = dest / ASSET_FOLDER
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_file() and path.resolve() not in wanted:
            path.unlink()
            removed.append(path.relative_to(dest).as_posix())
    return written, removed

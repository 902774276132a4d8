"""Where the browser assets live, in a wheel and in a source checkout."""

from __future__ import annotations

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
    here = Path(__file__).resolve().parent
    for candidate in (here / "assets", here.parent / "assets"):
        if (candidate / LOADER).is_file():
            return candidate
    raise FileNotFoundError(f"stlite-docs browser assets not found next to {here}")

"""Build-time previews: a picture of each app as it first renders, shown until it is live.

Framework-neutral. ``stlite-docs previews`` (``stlite_docs/previews/``) boots every app once in
headless Chromium and writes one image per app and colour scheme into the project's previews
folder (``_stlite_previews/`` beside ``conf.py`` / ``mkdocs.yml``); a build only looks the images
up here, by a key, and never starts a browser.

The key is a hash of everything that changes what the app shows: its files (text, or the
content of source-tree files), requirements, config, height, the capture width, and the stlite
and Pyodide versions. The colour scheme is part of the image's name, ``<key>-<scheme>``. Same
inputs, same name; any change, a new name, so a stale image is simply never found again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import struct
from dataclasses import dataclass, replace
from pathlib import Path

from ..runtime import PYODIDE_VERSION, STLITE_VERSION
from .problems import BlockError, Problem
from .spec import App

#: The width, in CSS pixels, apps are captured at: a typical docs column (Streamlit's own
#: centred layout is at most 736 px wide), so the live app rarely differs from its picture.
CAPTURE_WIDTH = 704
#: Bumped when the capture itself changes (viewport, waiting, encoding): every key changes.
CAPTURE_FORMAT = 1
#: The default previews folder, relative to conf.py / mkdocs.yml.
DEFAULT_DIR = "_stlite_previews"
#: Image formats the cache holds, in order of preference.
CACHE_SUFFIXES = (".webp", ".png")
#: Formats an author's own preview may have (the browser shows them all; the build reads their size).
AUTHOR_SUFFIXES = (".webp", ".png", ".jpg", ".jpeg", ".gif")
#: Where previews land in the site, from its root.
SITE_DIR = "_stlite_docs/previews"
#: A cache file name: ``<key>-<scheme>.<ext>``.
CACHE_NAME = re.compile(r"^(?P<key>[0-9a-f]{20})-(?P<scheme>light|dark)\.(?:webp|png)$")


@dataclass(frozen=True)
class PreviewImage:
    """One picture of an app. ``scheme``: ``light``, ``dark`` or ``any`` (an author's image)."""

    scheme: str
    source: str
    site_path: str
    width: int
    height: int


# ------------------------------------------------------------------ the key
def preview_key(app: App, width: int = CAPTURE_WIDTH) -> str:
    """The hash of what the app shows (not of where it is, nor of how it is loaded: the
    capture build points the apps at another runtime and must find the same keys)."""
    files = {}
    for f in app.files:
        if f.text is not None or f.source is None:
            files[f.path] = ["text", f.text or ""]
        else:
            files[f.path] = ["sha256", hashlib.sha256(Path(f.source).read_bytes()).hexdigest()]
    payload = {
        "format": CAPTURE_FORMAT,
        "entrypoint": app.entrypoint,
        "files": files,
        "requirements": list(app.requirements),
        "config": app.config,
        "height": app.height,
        # an auto-height app taller than this is pictured, as it is shown, cut at this height
        "max_height": app.max_height,
        "width": width,
        "stlite": STLITE_VERSION,
        "pyodide": PYODIDE_VERSION,
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def schemes(app: App) -> tuple[str, ...]:
    """The colour schemes a reader can see the app in, one picture each (see frame.js:
    a config's ``theme.base`` wins; a custom theme is light unless forced; ``auto`` follows
    the page, so it needs both)."""
    base = app.config.get("theme.base")
    if base in ("light", "dark"):
        return (base,)
    if app.theme in ("light", "dark"):
        return (app.theme,)
    if any(key.startswith("theme.") for key in app.config):
        return ("light",)
    return ("light", "dark")


def preview_name(key: str, scheme: str) -> str:
    return f"{key}-{scheme}"


# ------------------------------------------------------------------ the block option
def normalize_preview(key: str, value) -> str:
    """``auto`` (use the cache), ``off``, or the path of an image the author made."""
    if value is False:  # YAML reads a bare `off` as false
        return "off"
    if not isinstance(value, str) or not value.strip():
        raise BlockError("option", f"option '{key}' must be auto, off or the path of an image; got {value!r}")
    text = value.strip()
    if text.lower() in ("auto", "off"):
        return text.lower()
    if not text.lower().endswith(AUTHOR_SUFFIXES):
        raise BlockError("option", f"option '{key}': {text!r} is not a {', '.join(s[1:] for s in AUTHOR_SUFFIXES)} image")
    return text


# ------------------------------------------------------------------ lookup
def attach_preview(app: App, choice: str, previews_dir: str | None, resolve) -> tuple[App, list[Problem]]:
    """``app`` with its preview images, and what to tell the author.

    ``choice``: the block's ``preview`` option. ``resolve(path, what)`` is the source tree's
    path resolution (raises ``BlockError``). The cache is looked up for every scheme the app
    may be shown in (a page may still change ``theme``); ``images_for`` picks at render time.
    """
    if choice == "off":
        return app, []
    if choice != "auto":
        try:
            path = resolve(choice, "preview image")
            width, height = image_size(path)
        except BlockError as exc:
            return app, [exc.problem]
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        image = PreviewImage("any", str(path), f"{SITE_DIR}/{digest}/{path.name}", width, height)
        return replace(app, previews=(image,)), []
    key = preview_key(app)
    app = replace(app, preview_key=key)
    if not previews_dir or not os.path.isdir(previews_dir):
        return app, []  # a project that has never captured previews is not told about each app
    found = []
    for scheme in ("light", "dark"):
        image = _cached(Path(previews_dir), key, scheme)
        if image is not None:
            found.append(image)
    app = replace(app, previews=tuple(found))
    missing = [s for s in schemes(app) if not any(i.scheme == s for i in found)]
    if not missing:
        return app, []
    label = f"app {app.name!r}" if app.name else (f"app {app.caption!r}" if app.caption else "this app")
    which = " and ".join(missing)
    return app, [
        Problem(
            "preview",
            f"no current preview of {label} ({which} scheme, {preview_name(key, missing[0])}): "
            "run `stlite-docs previews` to capture it",
            note=True,
        )
    ]


def _cached(folder: Path, key: str, scheme: str) -> PreviewImage | None:
    for suffix in CACHE_SUFFIXES:
        path = folder / (preview_name(key, scheme) + suffix)
        try:
            width, height = image_size(path)
        except BlockError:
            continue
        return PreviewImage(scheme, str(path), f"{SITE_DIR}/{path.name}", width, height)
    return None


def images_for(app: App) -> tuple[PreviewImage, ...]:
    """The pictures the mount point shows: an author's image, or one per scheme the app needs
    (none unless all of them are there: half a set would show the wrong scheme)."""
    if any(i.scheme == "any" for i in app.previews):
        return app.previews[:1]
    wanted = schemes(app)
    chosen = tuple(i for s in wanted for i in app.previews if i.scheme == s)
    return chosen if len(chosen) == len(wanted) else ()


def alt_text(app: App) -> str:
    return app.caption or (f"Preview of the app {app.name}" if app.name else "Preview of the app")


# ------------------------------------------------------------------ image sizes
def image_size(path: Path) -> tuple[int, int]:
    """(width, height) of a PNG, WebP, JPEG or GIF file, read from its header (no Pillow
    needed at build time). Raises ``BlockError`` for anything else."""
    try:
        with open(path, "rb") as f:
            head = f.read(64 * 1024)
    except OSError as exc:
        raise BlockError("file", f"preview image {str(path)!r} cannot be read: {exc.strerror or exc}") from None
    size = _png(head) or _webp(head) or _gif(head) or _jpeg(head)
    if not size or min(size) <= 0:
        raise BlockError("file", f"preview image {Path(path).name!r} is not a PNG, WebP, JPEG or GIF image")
    return size


def _png(b: bytes):
    if b[:8] == b"\x89PNG\r\n\x1a\n" and b[12:16] == b"IHDR":
        return struct.unpack(">II", b[16:24])
    return None


def _gif(b: bytes):
    if b[:6] in (b"GIF87a", b"GIF89a"):
        return struct.unpack("<HH", b[6:10])
    return None


def _webp(b: bytes):
    if b[:4] != b"RIFF" or b[8:12] != b"WEBP":
        return None
    chunk = b[12:16]
    if chunk == b"VP8X":
        return 1 + int.from_bytes(b[24:27], "little"), 1 + int.from_bytes(b[27:30], "little")
    if chunk == b"VP8L" and b[20:21] == b"\x2f":
        bits = int.from_bytes(b[21:25], "little")
        return 1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF)
    if chunk == b"VP8 " and b[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", b[26:30])
        return width & 0x3FFF, height & 0x3FFF
    return None


def _jpeg(b: bytes):
    if b[:2] != b"\xff\xd8":
        return None
    i = 2
    while i + 9 < len(b):
        if b[i] != 0xFF:
            return None
        marker = b[i + 1]
        length = struct.unpack(">H", b[i + 2 : i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            height, width = struct.unpack(">HH", b[i + 5 : i + 9])
            return width, height
        i += 2 + length
    return None

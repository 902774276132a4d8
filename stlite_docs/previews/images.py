"""Compress a screenshot for the previews folder: WebP with Pillow, else the PNG as taken."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

#: A typical 700x400 app should stay below this; the quality steps down until it does.
BUDGET = 60 * 1024
QUALITIES = (80, 70, 60, 50, 40)


def encode(png: bytes) -> tuple[bytes, str]:
    """(image bytes, suffix): WebP when Pillow is installed, else the PNG unchanged."""
    try:
        from PIL import Image
    except ImportError:
        return png, ".png"
    image = Image.open(io.BytesIO(png)).convert("RGB")
    data = b""
    for quality in QUALITIES:
        buffer = io.BytesIO()
        image.save(buffer, "WEBP", quality=quality, method=6)
        data = buffer.getvalue()
        if len(data) <= BUDGET:
            break
    return data, ".webp"


def write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(tmp, 0o644)  # a file authors commit: readable like any other (mkstemp makes it 0600)
    os.replace(tmp, path)

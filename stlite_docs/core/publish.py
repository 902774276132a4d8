"""Copy an app's attached files to their content-addressed place in a built site."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .spec import App


def publish_files(app: App, site_dir: Path) -> None:
    """Copy ``app``'s published files under ``site_dir``.

    Called while writing the page that uses them, so parallel writers and incremental builds
    need no shared state: the name is a hash of the content, so any writer writes the same
    bytes, and the atomic rename means a reader never sees half a file.
    """
    for f in app.published_files:
        dest = Path(site_dir) / f.site_path
        if dest.exists():
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".tmp-")
        os.close(fd)
        shutil.copyfile(f.source, tmp)
        os.replace(tmp, dest)

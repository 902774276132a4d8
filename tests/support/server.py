"""Serve built sites in tests, with the same server as ``scripts/serve.py``."""

from __future__ import annotations

import contextlib
import importlib.util
import threading
from pathlib import Path

_SPEC = importlib.util.spec_from_file_location(
    "stlite_docs_serve", Path(__file__).resolve().parents[2] / "scripts" / "serve.py"
)
serve = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(serve)


@contextlib.contextmanager
def serving(root: Path, mounts: dict[str, Path] | None = None):
    """Yield the base URL (ending in "/") of ``root`` served on 127.0.0.1."""
    server = serve.make_server(str(root), {k: str(v) for k, v in (mounts or {}).items()}, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()

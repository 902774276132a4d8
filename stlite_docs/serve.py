"""Serve folders over http on 127.0.0.1, each under a URL prefix: the demo
(``scripts/serve.py``), the tests, and ``stlite-docs previews``, which boots the apps of a
freshly built site from it.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import mimetypes
import os
import posixpath
import sys
import threading
import urllib.parse
from pathlib import Path

# Module scripts and wasm must carry the right type, whatever the machine's mime database says.
for ext, kind in {
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".wasm": "application/wasm",
    ".json": "application/json",
    ".css": "text/css",
    ".whl": "application/zip",
}.items():
    mimetypes.add_type(kind, ext)


class PrefixHandler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, mounts: dict[str, str], **kwargs):
        self.mounts = mounts
        super().__init__(*args, directory=mounts["/"], **kwargs)

    def translate_path(self, path: str) -> str:
        url_path = urllib.parse.unquote(urllib.parse.urlsplit(path).path)
        for prefix in sorted(self.mounts, key=len, reverse=True):
            if prefix != "/" and (url_path + "/").startswith(prefix):
                rest = url_path[len(prefix) :]
                return self._inside(self.mounts[prefix], rest)
        return self._inside(self.mounts["/"], url_path)

    @staticmethod
    def _inside(root: str, rest: str) -> str:
        parts = [p for p in posixpath.normpath("/" + rest).split("/") if p not in ("", ".", "..")]
        return os.path.join(root, *parts)

    def log_message(self, format, *args):  # quiet: one line per request is noise here
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A browser that stops a download it no longer needs (the loader reads only the first
        # bytes of Pyodide's wasm) resets the connection: that is not an error worth a traceback.
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)


def make_server(root: str, extra: dict[str, str], port: int = 0) -> http.server.ThreadingHTTPServer:
    mounts = {"/": os.path.abspath(root)}
    for prefix, folder in extra.items():
        mounts["/" + prefix.strip("/") + "/"] = os.path.abspath(folder)
    handler = functools.partial(PrefixHandler, mounts=mounts)
    return QuietServer(("127.0.0.1", port), handler)


@contextlib.contextmanager
def serving(root: Path | str, mounts: dict[str, Path | str] | None = None):
    """Yield the base URL (ending in "/") of ``root`` served on 127.0.0.1 (any free port),
    with ``mounts`` (prefix -> folder) beside it, for as long as the block runs."""
    server = make_server(str(root), {k: str(v) for k, v in (mounts or {}).items()}, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()

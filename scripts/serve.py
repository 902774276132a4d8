#!/usr/bin/env python3
"""Serve folders over http on 127.0.0.1, each under a URL prefix.

    python scripts/serve.py [--port 8000] DIR [PREFIX=DIR ...]

The first DIR is served at "/"; "PREFIX=DIR" serves DIR under "/PREFIX/" (for example a
self-hosted stlite runtime beside the site). Only loopback: this is for local previews.
``--probe`` only checks that the port is free (scripts/demo asks before it builds anything).
"""

from __future__ import annotations

import argparse
import errno
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

from stlite_docs.serve import PrefixHandler, QuietServer, make_server  # noqa: E402,F401 - the tests use all three


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--probe", action="store_true", help="only check that the port is free")
    parser.add_argument("root", nargs="?", default=".")
    parser.add_argument("mounts", nargs="*", metavar="PREFIX=DIR")
    args = parser.parse_args()
    extra = dict(m.split("=", 1) for m in args.mounts)
    try:
        server = make_server(args.root, extra, args.port)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        sys.exit(f"Port {args.port} on 127.0.0.1 is in use (another server, or a demo still running).\n"
                 f"Choose another one: PORT={args.port + 1} scripts/demo  (or --port {args.port + 1}).")
    if args.probe:
        server.server_close()
        return
    print(f"Serving {args.root} at http://127.0.0.1:{server.server_address[1]}/ (Ctrl+C stops)", flush=True)
    for prefix, folder in extra.items():
        print(f"  and {folder} at /{prefix.strip('/')}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Write stlite_docs/runtime/data/runtime-pins.json: what stlite-docs knows about the pinned runtime.

usage: generate_runtime_pins.py STLITE_TGZ PYODIDE_TGZ WHEEL_DIR

STLITE_TGZ, PYODIDE_TGZ: ``npm pack @stlite/browser@1.9.2 pyodide@0.29.3``.
WHEEL_DIR: the pure-Python wheels of Streamlit's dependencies that Pyodide's lock does not
provide (at the versions stlite asks for), as ``pip download --only-binary=:all: --no-deps
--platform any --python-version 3.13 --implementation py -d WHEEL_DIR protobuf==7.34.1
blinker==1.9.0 itsdangerous==2.2.0 python-multipart==0.0.34`` gives them.

The pins are recomputed from the tarballs by tests/unit/test_selfhost_pins.py.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from stlite_docs.runtime.pins import compute_pins  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "stlite_docs" / "runtime" / "data" / "runtime-pins.json"


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    stlite_tgz, pyodide_tgz, wheel_dir = map(Path, argv)
    pins = compute_pins(stlite_tgz, pyodide_tgz, sorted(wheel_dir.glob("*.whl")))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(pins, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(pins['stlite']['files'])} stlite files, {len(pins['pyodide']['core'])} Pyodide core files, "
          f"{len(pins['pypi'])} PyPI wheels")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""A decoder of stlite sharing's links, written from stlite's format (packages/sharing-common in
whitphx/stlite: ``#!`` + protobuf ``AppData`` in base64 with '-' '_' ',' for '+' '/' '='), to
check what assets/stlite-docs/share.js encodes. It shares no code with the encoder."""

from __future__ import annotations

import base64


def _varint(data: bytes, i: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[i]
        value |= (byte & 0x7F) << shift
        i += 1
        shift += 7
        if not byte & 0x80:
            return value, i


def _fields(data: bytes):
    i = 0
    while i < len(data):
        key, i = _varint(data, i)
        assert key & 7 == 2, "AppData has only length-delimited fields"
        length, i = _varint(data, i)
        yield key >> 3, data[i:i + length]
        i += length


def decode(fragment: str) -> dict:
    """``{entrypoint, files: {path: text | [byte, ...]}, requirements}`` from a link's fragment."""
    assert fragment.startswith("!"), fragment[:10]
    raw = base64.b64decode(fragment[1:].replace("-", "+").replace("_", "/").replace(",", "="))
    app = {"entrypoint": "", "files": {}, "requirements": []}
    for number, value in _fields(raw):
        if number == 1:
            app["entrypoint"] = value.decode()
        elif number == 3:
            app["requirements"].append(value.decode())
        elif number == 2:
            entry = dict(_fields(value))
            [(kind, content)] = list(_fields(entry.get(2, b"")))
            app["files"][entry[1].decode()] = content.decode() if kind == 1 else list(content)
    return app

"""The Python AppSpec and the JSDoc AppSpec typedef the browser loader reads stay in step."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from stlite_docs.core.spec import SPEC_VERSION, App, AppFile, AppSpec

SPEC_JS = Path(__file__).resolve().parents[2] / "assets" / "stlite-docs" / "spec.js"


def _spec_js() -> str:
    return SPEC_JS.read_text(encoding="utf-8")


def _typedef_properties(source: str, name: str) -> list[str]:
    """The @property names of ``@typedef {Object} name``; types may hold nested braces."""
    match = re.search(r"@typedef\s*\{\s*Object\s*\}\s*" + re.escape(name) + r"\b(.*?)\*/", source, re.DOTALL)
    assert match, f"no '@typedef {{Object}} {name}' JSDoc block in {SPEC_JS.name}"
    block = match.group(1)
    names = []
    for prop in re.finditer(r"@property\s*", block):
        i = prop.end()
        assert block[i] == "{", f"@property without a type near {block[i : i + 40]!r}"
        depth = 0
        while True:
            depth += {"{": 1, "}": -1}.get(block[i], 0)
            i += 1
            if depth == 0:
                break
        names.append(re.match(r"\s*\[?\s*([A-Za-z_$][\w$]*)", block[i:]).group(1))
    return names


def test_python_spec_keys_are_what_to_spec_writes():
    app = App(entrypoint="a.py", files=(AppFile("a.py", text=""),), requirements=())
    assert list(app.to_spec("")) == list(AppSpec.__annotations__)


def test_jsdoc_typedef_has_the_python_keys():
    js_keys = _typedef_properties(_spec_js(), "AppSpec")
    assert len(js_keys) == len(set(js_keys)), f"duplicate @property in the typedef: {js_keys}"
    assert set(js_keys) == set(AppSpec.__annotations__), (
        f"only in spec.js: {sorted(set(js_keys) - set(AppSpec.__annotations__))}; "
        f"only in spec.py: {sorted(set(AppSpec.__annotations__) - set(js_keys))}"
    )


def test_jsdoc_spec_version_matches():
    match = re.search(r"export\s+const\s+SPEC_VERSION\s*=\s*(\d+)\s*;", _spec_js())
    if match is None:
        pytest.skip("spec.js exports no SPEC_VERSION constant")
    assert int(match.group(1)) == SPEC_VERSION


def test_property_parser_handles_nested_braces():
    source = """/**
     * @typedef {Object} AppSpec
     * @property {Object<string, {text: string}>} files  x
     * @property {"a"|"b"} load
     * @property {string} [title]  optional
     */"""
    assert _typedef_properties(source, "AppSpec") == ["files", "load", "title"]

"""Build-time previews in the core: the cache key, the schemes, the lookup, image sizes."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from stlite_docs.core import previews
from stlite_docs.core.app import SourceTree, build_app
from stlite_docs.core.previews import image_size, images_for, preview_key, preview_name, schemes
from stlite_docs.core.problems import BlockError
from stlite_docs.core.settings import SiteSettings
from stlite_docs.core.spec import App, AppFile

BASE = App(
    entrypoint="streamlit_app.py",
    files=(AppFile("streamlit_app.py", text="import streamlit as st\nst.write(1)\n"),),
    requirements=("numpy",),
    config={"theme.primaryColor": "#ff0000"},
    height="auto",
)

# One change to each input the key covers; every one must give another key.
CHANGES = {
    "entry text": lambda a, v: replace(a, files=(AppFile("streamlit_app.py", text=v),)),
    "entrypoint": lambda a, v: replace(a, entrypoint=v or "x.py"),
    "another file": lambda a, v: replace(a, files=a.files + (AppFile("helper.py", text=v),)),
    "requirements": lambda a, v: replace(a, requirements=a.requirements + (f"pkg{len(v)}",)),
    "config": lambda a, v: replace(a, config={**a.config, "theme.font": v}),
    "height": lambda a, v: replace(a, height=f"{len(v) + 1}px"),
    "max-height": lambda a, v: replace(a, max_height=f"{len(v) + 1}em"),
}


def test_same_inputs_same_key():
    assert preview_key(BASE) == preview_key(replace(BASE))
    assert preview_key(BASE) == preview_key(
        replace(
            BASE,
            caption="another caption",
            name="n",
            load="click",
            stlite_url="/elsewhere/",
            pyodide_url="/p/pyodide.mjs",
            show_code="tabs",
            editable=True,
            runtime="shared",
        )
    )
    assert len(preview_key(BASE)) == 20 and int(preview_key(BASE), 16) >= 0


@settings(max_examples=200, deadline=None)
@given(change=st.sampled_from(sorted(CHANGES)), value=st.text(max_size=30))
def test_any_change_gives_another_key(change, value):
    changed = CHANGES[change](BASE, value)
    if changed == BASE:  # the same text as before is no change
        return
    assert preview_key(changed) != preview_key(BASE)


def test_width_and_versions_are_in_the_key(monkeypatch):
    key = preview_key(BASE)
    assert preview_key(BASE, width=800) != key
    monkeypatch.setattr(previews, "STLITE_VERSION", "9.9.9")
    assert preview_key(BASE) != key
    monkeypatch.undo()
    monkeypatch.setattr(previews, "PYODIDE_VERSION", "0.0.1")
    assert preview_key(BASE) != key


def test_source_files_count_by_content(tmp_path):
    data = tmp_path / "data.csv"
    data.write_text("a\n1\n")
    app = replace(BASE, files=BASE.files + (AppFile("data.csv", source=str(data), site_path="x/data.csv"),))
    key = preview_key(app)
    assert (
        preview_key(replace(app, files=app.files[:1] + (AppFile("data.csv", source=str(data), site_path="y/data.csv"),))) == key
    )
    data.write_text("a\n2\n")
    assert preview_key(app) != key


@pytest.mark.parametrize(
    "theme, config, expected",
    [
        ("auto", {}, ("light", "dark")),
        ("dark", {}, ("dark",)),
        ("light", {}, ("light",)),
        ("auto", {"theme.primaryColor": "#f00"}, ("light",)),
        ("dark", {"theme.primaryColor": "#f00"}, ("dark",)),
        ("auto", {"theme.base": "dark"}, ("dark",)),
    ],
)
def test_schemes_follow_what_the_frame_does(theme, config, expected):
    assert schemes(replace(BASE, theme=theme, config=config)) == expected
    # the scheme is part of the image's name
    assert preview_name("k", expected[0]) != preview_name("k", "other")


def _png(path: Path, size=(704, 400), fmt="PNG") -> Path:
    Image.new("RGB", size, "white").save(path, fmt)
    return path


@pytest.mark.parametrize(
    "fmt, suffix, options",
    [
        ("PNG", ".png", {}),
        ("GIF", ".gif", {}),
        ("JPEG", ".jpg", {}),
        ("WEBP", ".webp", {"quality": 80}),
        ("WEBP", ".webp", {"lossless": True}),
    ],
)
def test_image_size_from_the_header(tmp_path, fmt, suffix, options):
    path = tmp_path / f"x{suffix}"
    Image.new("RGB", (321, 123), "white").save(path, fmt, **options)
    assert image_size(path) == (321, 123)


def test_image_size_refuses_other_files(tmp_path):
    (tmp_path / "x.png").write_text("not an image")
    with pytest.raises(BlockError, match="not a PNG, WebP, JPEG or GIF"):
        image_size(tmp_path / "x.png")
    with pytest.raises(BlockError, match="cannot be read"):
        image_size(tmp_path / "missing.png")


# ------------------------------------------------------------------ lookup through build_app
BODY = "import streamlit as st\nst.write('hi')\n"


def _build(tmp_path, options=None, folder="_stlite_previews"):
    settings_ = SiteSettings.from_raw({"check": "off", "previews_dir": str(tmp_path / folder)})
    return build_app(BODY, options or {}, settings_, SourceTree(tmp_path, tmp_path))


def test_no_previews_folder_no_preview_no_message(tmp_path):
    result = _build(tmp_path)
    assert result.problems == [] and result.app.previews == () and result.app.preview_key


def test_cached_previews_are_found_for_each_scheme(tmp_path):
    key = _build(tmp_path).app.preview_key
    folder = tmp_path / "_stlite_previews"
    folder.mkdir()
    _png(folder / f"{key}-light.png")
    result = _build(tmp_path, {"caption": "Demo"})
    [note] = result.problems
    assert note.note and note.kind == "preview" and "'Demo'" in note.message and "dark scheme" in note.message
    assert images_for(result.app) == ()  # half a set shows nothing
    Image.new("RGB", (704, 400), "black").save(folder / f"{key}-dark.webp", "WEBP")
    result = _build(tmp_path)
    assert result.problems == []
    assert [(i.scheme, i.width, i.height, i.site_path) for i in images_for(result.app)] == [
        ("light", 704, 400, f"_stlite_docs/previews/{key}-light.png"),
        ("dark", 704, 400, f"_stlite_docs/previews/{key}-dark.webp"),
    ]
    # a forced theme needs, and publishes, only its own picture
    forced = _build(tmp_path, {"theme": "dark"}).app
    assert [i.scheme for i in images_for(forced)] == ["dark"]
    assert [f.site_path for f in forced.published_files] == [f"_stlite_docs/previews/{key}-dark.webp"]


def test_preview_off_and_an_authors_image(tmp_path):
    off = _build(tmp_path, {"preview": "off"}).app
    assert off.preview_key is None and off.previews == ()
    _png(tmp_path / "shot.png", (600, 300))
    app = _build(tmp_path, {"preview": "shot.png"}).app
    assert app.preview_key is None
    [image] = images_for(app)
    assert (image.scheme, image.width, image.height) == ("any", 600, 300)
    assert image.site_path.startswith("_stlite_docs/previews/") and image.site_path.endswith("/shot.png")


@pytest.mark.parametrize(
    "value, message",
    [
        ("missing.png", "preview image 'missing.png' not found"),
        ("notes.txt", "is not a webp, png, jpg, jpeg, gif image"),
        ("", "must be auto, off or the path of an image"),
    ],
)
def test_bad_preview_option_is_reported_and_the_app_still_built(tmp_path, value, message):
    result = _build(tmp_path, {"preview": value})
    assert any(message in p.message and not p.note for p in result.problems), result.problems
    if value == "missing.png":  # the option itself is fine: the app is built, without a preview
        assert result.app is not None and result.app.previews == ()


def test_yaml_off_is_off(tmp_path):
    result = build_app("#| preview: off\n" + BODY, {}, SiteSettings.from_raw({"check": "off"}), SourceTree(tmp_path, tmp_path))
    assert result.problems == [] and result.app.preview_key is None

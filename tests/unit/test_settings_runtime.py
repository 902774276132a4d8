"""stlite_docs.core.settings (site settings) and stlite_docs.runtime (stlite location, page URLs)."""

from __future__ import annotations

import pytest

from stlite_docs.core.settings import SettingsError, SiteSettings
from stlite_docs.runtime import (
    DEFAULT_STLITE_URL,
    STLITE_VERSION,
    folder_url,
    is_absolute_url,
    page_root_prefix,
    site_url,
)
from stlite_docs.runtime.pins import load_pins

PINNED = "https://cdn.jsdelivr.net/npm/@stlite/browser@1.9.2/build/"


# ----------------------------------------------------------------------------- settings
def test_defaults():
    settings = SiteSettings.from_raw({})
    assert settings == SiteSettings(
        requirements=[],
        height="auto",
        load="lazy",
        stlite_url=PINNED,
        pyodide_url=None,
        stlite_integrity=load_pins()["stlite"]["integrity"],
    )
    assert DEFAULT_STLITE_URL == PINNED and STLITE_VERSION == "1.9.2"
    assert "@latest" not in settings.stlite_url and settings.stlite_url.endswith("/build/")


def test_none_means_the_default():
    raw = {"requirements": None, "height": None, "load": None, "stlite_url": None, "pyodide_url": None}
    assert SiteSettings.from_raw(raw) == SiteSettings.from_raw({})


def test_values_are_normalized():
    settings = SiteSettings.from_raw(
        {
            "requirements": "numpy, pandas>=2,<3",
            "height": 500,
            "load": "Eager",
            "stlite_url": "  _static/stlite  ",
            "pyodide_url": " _static/pyodide/pyodide.mjs ",
        }
    )
    assert settings == SiteSettings(
        requirements=["numpy", "pandas>=2,<3"],
        height="500px",
        load="eager",
        stlite_url="_static/stlite/",
        pyodide_url="_static/pyodide/pyodide.mjs",
        stlite_integrity=None,  # a custom stlite_url may hold any build: no pinned hashes
    )


@pytest.mark.parametrize(
    "given, expected",
    [
        ("https://example.com/stlite/build", "https://example.com/stlite/build/"),
        ("https://example.com/stlite/build/", "https://example.com/stlite/build/"),
        ("/static/stlite", "/static/stlite/"),
        ("_static/stlite", "_static/stlite/"),
    ],
)
def test_stlite_url_always_ends_with_a_slash(given, expected):
    assert SiteSettings.from_raw({"stlite_url": given}).stlite_url == expected


def test_pyodide_url_is_kept_without_a_slash():
    assert SiteSettings.from_raw({"pyodide_url": "https://x/pyodide.mjs"}).pyodide_url == "https://x/pyodide.mjs"


@pytest.mark.parametrize(
    "raw, expected",
    [
        (
            {"height": "50%"},
            "option 'stlite_docs_height' must be 'auto' or a positive CSS length such as 400px, 30em or 60vh; got '50%'",
        ),
        ({"height": True}, "option 'stlite_docs_height' takes a text value, not true/false"),
        ({"load": "later"}, "option 'stlite_docs_load' must be one of lazy, eager, click; got 'later'"),
        ({"requirements": {"a": 1}}, "option 'stlite_docs_requirements' takes a list of requirements, not a mapping"),
        ({"stlite_url": ""}, "stlite_docs_stlite_url must be a URL or a path from the site root, got ''"),
        ({"stlite_url": "   "}, "stlite_docs_stlite_url must be a URL or a path from the site root, got '   '"),
        ({"stlite_url": 3}, "stlite_docs_stlite_url must be a URL or a path from the site root, got 3"),
        ({"pyodide_url": ""}, "stlite_docs_pyodide_url must be a URL or a path from the site root, got ''"),
        ({"pyodide_url": ["x"]}, "stlite_docs_pyodide_url must be a URL or a path from the site root, got ['x']"),
    ],
)
def test_bad_settings_name_the_prefixed_setting(raw, expected):
    with pytest.raises(SettingsError) as info:
        SiteSettings.from_raw(raw, prefix="stlite_docs_")
    assert str(info.value) == expected


def test_settings_error_without_prefix_uses_the_bare_name():
    with pytest.raises(SettingsError, match=r"^option 'height' must be 'auto'"):
        SiteSettings.from_raw({"height": "0"})


def test_settings_error_is_a_value_error():
    assert issubclass(SettingsError, ValueError)


def test_bad_site_requirement_names_the_setting():
    with pytest.raises(SettingsError) as info:
        SiteSettings.from_raw({"requirements": ["numpy>>2"]}, prefix="stlite_docs_")
    assert "stlite_docs_requirements" in str(info.value)


# ----------------------------------------------------------------------------- runtime
@pytest.mark.parametrize(
    "page, prefix",
    [
        ("", ""),
        ("index.html", ""),
        ("a/b.html", "../"),
        ("a/b/", "../../"),
        ("a/", "../"),
        ("#document-x", ""),
        ("a/b.html#frag", "../"),
        ("a/b.html#x/y", "../"),
        ("a/b.html?q=1/2", "../"),
        ("a/b/c/d.html", "../../../"),
    ],
)
def test_page_root_prefix(page, prefix):
    assert page_root_prefix(page) == prefix


@pytest.mark.parametrize(
    "value, absolute",
    [
        ("https://x/y", True),
        ("http://x", True),
        ("//host/x", True),
        ("/abs/", True),
        ("data:text/plain,x", True),
        ("_static/stlite/", False),
        ("stlite/", False),
        ("./x", False),
        ("../x", False),
    ],
)
def test_is_absolute_url(value, absolute):
    assert is_absolute_url(value) is absolute


@pytest.mark.parametrize(
    "location, page, expected",
    [
        ("https://cdn.example/x/", "a/b.html", "https://cdn.example/x/"),
        ("https://cdn.example/x", "a/b/", "https://cdn.example/x"),
        ("//host/x", "a/b/", "//host/x"),
        ("/abs/", "a/b/", "/abs/"),
        ("_static/stlite/", "", "_static/stlite/"),
        ("_static/stlite/", "index.html", "_static/stlite/"),
        ("_static/stlite/", "#document-x", "_static/stlite/"),
        ("_static/stlite/", "a/b.html", "../_static/stlite/"),
        ("_static/stlite/", "a/b/", "../../_static/stlite/"),
        ("_static/stlite/", "a/b.html#frag", "../_static/stlite/"),
        ("_static/pyodide/pyodide.mjs", "a/b/", "../../_static/pyodide/pyodide.mjs"),
        ("_static//stlite/", "a.html", "_static/stlite/"),
        ("./_static/stlite/", "a/b.html", "../_static/stlite/"),
    ],
)
def test_site_url(location, page, expected):
    assert site_url(location, page) == expected


def test_folder_url():
    assert folder_url("a") == "a/" and folder_url("a/") == "a/" and folder_url("https://x/y") == "https://x/y/"

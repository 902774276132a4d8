"""Option normalizers, site settings and URL helpers."""

from __future__ import annotations

import pytest

from stlite_docs.core.options import (
    merge_requirements,
    normalize_block_options,
    normalize_config,
    normalize_files,
    normalize_height,
    normalize_load,
    normalize_name,
    normalize_requirements,
    split_requirements,
)
from stlite_docs.core.problems import BlockError
from stlite_docs.runtime import page_root_prefix, site_url
from stlite_docs.core.settings import SettingsError, SiteSettings


def _error(fn, *args) -> str:
    with pytest.raises(BlockError) as info:
        fn(*args)
    return info.value.problem.message


def test_split_requirements_keeps_version_ranges_extras_and_markers():
    assert split_requirements("numpy, pandas>=2,<3, rich[jupyter,pygments]>=13") == [
        "numpy", "pandas>=2,<3", "rich[jupyter,pygments]>=13",
    ]
    assert split_requirements("numpy\nscipy ; python_version<'3.14'") == ["numpy", "scipy ; python_version<'3.14'"]
    assert split_requirements(" , ") == []


def test_requirements_are_validated():
    assert normalize_requirements("requirements", ["numpy", "pandas>=2"]) == ["numpy", "pandas>=2"]
    message = _error(normalize_requirements, "requirements", "numpy>>2")
    assert message.startswith("invalid requirement 'numpy>>2': ") and "\n" not in message
    assert "takes a list" in _error(normalize_requirements, "requirements", {"a": 1})


def test_block_requirements_replace_site_ones_for_the_same_project():
    assert merge_requirements(["numpy", "Pandas>=1"], ["pandas>=2", "altair"]) == ["numpy", "pandas>=2", "altair"]


@pytest.mark.parametrize(
    "value, expected",
    [(400, "400px"), (12.5, "12.5px"), ("400", "400px"), ("400px", "400px"), ("30em", "30em"),
     ("60vh", "60vh"), ("auto", "auto"), ("AUTO", "auto")],
)
def test_height(value, expected):
    assert normalize_height("height", value) == expected


@pytest.mark.parametrize("value", ["50%", "0", 0, "-3px", "abc", "10 px"])
def test_bad_height(value):
    assert "must be 'auto' or a positive CSS length" in _error(normalize_height, "height", value)
    assert _error(normalize_height, "height", True) == "option 'height' takes a text value, not true/false"


def test_load_and_name():
    assert normalize_load("load", "Click") == "click"
    assert "must be one of lazy, eager, click" in _error(normalize_load, "load", "later")
    assert normalize_name("name", "my-app_2") == "my-app_2"
    assert "start with a letter" in _error(normalize_name, "name", "2 apps")


def test_config_flat_nested_and_as_yaml_text():
    expected = {"client.toolbarMode": "minimal", "theme.base": "dark", "theme.primaryColor": "#ff4b4b"}
    assert normalize_config("config", {"theme": {"primaryColor": "#ff4b4b", "base": "dark"},
                                       "client.toolbarMode": "minimal"}) == expected
    assert list(normalize_config("config", '{theme.primaryColor: "#ff4b4b", theme.base: dark, client.toolbarMode: minimal}')) == sorted(expected)


def test_config_errors():
    assert "unknown Streamlit config section 'theem' (did you mean 'theme'?)" in _error(normalize_config, "config", {"theem.base": "dark"})
    assert "must be a text, number" in _error(normalize_config, "config", {"theme.base": None})
    assert "takes a mapping" in _error(normalize_config, "config", "[1, 2]")
    assert "not a YAML mapping" in _error(normalize_config, "config", "{a: [")


def test_files_forms_and_in_app_paths():
    assert normalize_files("files", "data/x.csv, ../shared/y.csv /z.png") == {
        "data/x.csv": "data/x.csv", "y.csv": "../shared/y.csv", "z.png": "/z.png",
    }
    assert normalize_files("files", {"in/app.csv": "../x.csv"}) == {"in/app.csv": "../x.csv"}
    assert "attaches two files as 'x.csv'" in _error(normalize_files, "files", ["a/../x.csv", "../x.csv"])
    assert "must not contain '..'" in _error(normalize_files, "files", {"../x": "x"})


def test_unknown_option_suggests_the_close_one():
    message = _error(normalize_block_options, {"heigth": "1"})
    assert message.startswith("unknown option 'heigth' (did you mean 'height'?)")


def test_site_settings_defaults_and_errors():
    settings = SiteSettings.from_raw({})
    assert settings.stlite_url == "https://cdn.jsdelivr.net/npm/@stlite/browser@1.9.2/build/"
    assert (settings.height, settings.load, settings.requirements, settings.pyodide_url) == ("auto", "lazy", [], None)
    assert SiteSettings.from_raw({"stlite_url": "_static/stlite"}).stlite_url == "_static/stlite/"
    with pytest.raises(SettingsError, match="stlite_docs_height"):
        SiteSettings.from_raw({"height": "50%"}, prefix="stlite_docs_")
    with pytest.raises(SettingsError, match="stlite_docs_stlite_url"):
        SiteSettings.from_raw({"stlite_url": ""}, prefix="stlite_docs_")


@pytest.mark.parametrize(
    "page, prefix",
    [("", ""), ("index.html", ""), ("a/b.html", "../"), ("a/b/", "../../"), ("#document-x", ""), ("a/b.html#frag", "../")],
)
def test_page_root_prefix(page, prefix):
    assert page_root_prefix(page) == prefix


def test_site_url():
    assert site_url("https://cdn.example/x/", "a/b.html") == "https://cdn.example/x/"
    assert site_url("//cdn.example/x/", "a/b/") == "//cdn.example/x/"
    assert site_url("/abs/", "a/b/") == "/abs/"
    assert site_url("_static/stlite/", "a/b/") == "../../_static/stlite/"
    assert site_url("_static/stlite/", "index.html") == "_static/stlite/"
    assert site_url("_stlite_docs/files/ab/x.csv", "a/b.html") == "../_stlite_docs/files/ab/x.csv"

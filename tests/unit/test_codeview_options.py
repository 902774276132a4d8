"""The code-view options (``show-code``, ``editable``, ``share``) and their site settings, through
the core: normalizers, located errors with did-you-mean, and what reaches the spec."""

from __future__ import annotations

import pytest

from stlite_docs.core.app import SourceTree, build_app
from stlite_docs.core.options import normalize_share_url, normalize_show_code, normalize_switch
from stlite_docs.core.problems import BlockError
from stlite_docs.core.settings import DEFAULT_SHARE_URL, SettingsError, SiteSettings

CODE = "import streamlit as st\n"


@pytest.fixture
def tree(tmp_path) -> SourceTree:
    return SourceTree(base_dir=tmp_path, root_dir=tmp_path)


def _spec(tree, body, options=None, **settings):
    result = build_app(body, options or {}, SiteSettings.from_raw(settings), tree)
    assert result.problems == [], result.problems
    return result.app.to_spec("page.html")


@pytest.mark.parametrize(
    "value, expected",
    [
        ("tabs", "tabs"),
        (" Above ", "above"),
        ("below", "below"),
        ("none", "none"),
        (False, "none"),
        ("left", "left"),
        ("Right", "right"),
    ],
)
def test_show_code_values(value, expected):
    assert normalize_show_code("show-code", value) == expected


def test_side_by_side_reaches_the_spec(tree):
    assert _spec(tree, "#| show-code: right\n#| editable: true\n" + CODE)["showCode"] == "right"
    assert _spec(tree, CODE, show_code="left")["showCode"] == "left"


def test_show_code_typo_suggests_the_value():
    with pytest.raises(BlockError) as info:
        normalize_show_code("show-code", "tab")
    assert info.value.problem.message == (
        "option 'show-code' must be one of none, above, below, left, right, tabs; got 'tab' (did you mean 'tabs'?)"
    )


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, True),
        ("", True),
        ("true", True),
        (True, True),
        ("no", False),
        (False, False),
        ("off", False),
    ],
)
def test_switches_written_bare_mean_on(value, expected):
    assert normalize_switch("editable", value) is expected


def test_bad_switch():
    with pytest.raises(BlockError, match=r"option 'editable' must be true or false; got 'sometimes'"):
        normalize_switch("editable", "sometimes")


@pytest.mark.parametrize("value", ["https://share.example.org/", "http://127.0.0.1:8000/sharing/", "/sharing/"])
def test_share_urls(value):
    assert normalize_share_url("share_url", value) == value


@pytest.mark.parametrize("value", ["share.example.org", "ftp://x/", "https://x/#!", "sharing/", "https://"])
def test_bad_share_urls(value):
    with pytest.raises(BlockError, match="must be an http"):
        normalize_share_url("share_url", value)


def test_site_defaults_and_errors():
    settings = SiteSettings.from_raw({})
    assert (settings.show_code, settings.share, settings.share_url) == ("none", False, DEFAULT_SHARE_URL)
    with pytest.raises(SettingsError, match=r"^option 'stlite_docs_show_code' must be one of"):
        SiteSettings.from_raw({"show_code": "sideways"}, prefix="stlite_docs_")
    with pytest.raises(SettingsError, match=r"^option 'stlite_docs_share' must be true or false"):
        SiteSettings.from_raw({"share": "maybe"}, prefix="stlite_docs_")
    with pytest.raises(SettingsError, match=r"^option 'stlite_docs_share_url' must be an http"):
        SiteSettings.from_raw({"share_url": "nowhere"}, prefix="stlite_docs_")


def test_defaults_reach_the_spec(tree):
    spec = _spec(tree, CODE)
    assert (spec["showCode"], spec["editable"], spec["shareUrl"]) == ("none", False, None)


def test_block_options_reach_the_spec(tree):
    spec = _spec(tree, "#| show-code: tabs\n#| editable: true\n#| share: true\n" + CODE)
    assert (spec["showCode"], spec["editable"], spec["shareUrl"]) == ("tabs", True, DEFAULT_SHARE_URL)


def test_site_settings_are_the_defaults_and_a_block_overrides_them(tree):
    site = {"show_code": "below", "share": True, "share_url": "/sharing/"}
    spec = _spec(tree, CODE, **site)
    assert (spec["showCode"], spec["shareUrl"]) == ("below", "/sharing/")
    spec = _spec(tree, CODE, {"show-code": "none", "share": "false"}, **site)
    assert (spec["showCode"], spec["shareUrl"]) == ("none", None)


def test_editable_shows_the_code_above_when_nothing_else_says_where(tree):
    assert _spec(tree, "#| editable:\n" + CODE)["showCode"] == "above"
    assert _spec(tree, "#| editable: true\n" + CODE, show_code="tabs")["showCode"] == "tabs"
    assert _spec(tree, "#| editable: true\n#| show-code: below\n" + CODE)["showCode"] == "below"


def test_editable_with_show_code_none_is_a_located_error(tree):
    result = build_app("#| editable: true\n#| show-code: none\n" + CODE, {}, SiteSettings(), tree)
    assert result.app is None
    assert [(p.kind, p.line) for p in result.problems] == [("option", 2)]
    assert "option 'editable' shows the code in an editor, but 'show-code' is none" in result.problems[0].message


def test_bad_values_are_located_with_did_you_mean(tree):
    result = build_app("#| show-cod: tabs\n#| share: perhaps\n" + CODE, {}, SiteSettings(), tree)
    assert [(p.line, p.message.split(";")[0]) for p in result.problems] == [
        (1, "unknown option 'show-cod' (did you mean 'show-code'?)"),
        (2, "option 'share' must be true or false"),
    ]


def test_show_code_may_be_spelled_with_an_underscore(tree):
    # SuperFences (MkDocs) reads no '-' in a fence attribute's name.
    assert _spec(tree, CODE, {"show_code": "tabs"})["showCode"] == "tabs"
    assert _spec(tree, "#| show_code: below\n" + CODE)["showCode"] == "below"
    result = build_app("#| show_code: below\n#| show-code: tabs\n" + CODE, {}, SiteSettings(), tree)
    assert [(p.line, p.message) for p in result.problems] == [
        (2, "option 'show-code' is given twice: as 'show_code' and 'show-code'")
    ]
    result = build_app("#| show-code: tabs\n" + CODE, {"show_code": "tabs"}, SiteSettings(), tree)
    assert [p.message for p in result.problems] == ["option 'show-code' is given twice: outside the code and on a '#|' line"]

"""Scheduling and theme settings: site defaults, block option, page overrides (one set of
normalizers for every front-end)."""

from __future__ import annotations

import pytest

from stlite_docs.core.app import SourceTree, build_app
from stlite_docs.core.options import normalize_count, normalize_theme
from stlite_docs.core.problems import BlockError
from stlite_docs.core.settings import SettingsError, SiteSettings, page_settings


def test_defaults():
    settings = SiteSettings.from_raw({})
    assert (settings.max_live_apps, settings.concurrency, settings.theme) == (3, 1, "auto")


@pytest.mark.parametrize("value, expected", [(2, 2), ("4", 4), (" 1 ", 1)])
def test_counts(value, expected):
    assert normalize_count("max_live_apps", value) == expected


@pytest.mark.parametrize("value", [0, -1, "0", "two", 1.5, True])
def test_bad_counts(value):
    with pytest.raises(BlockError, match="must be a whole number of at least 1"):
        normalize_count("max_live_apps", value)


def test_site_setting_errors_name_the_setting():
    with pytest.raises(SettingsError, match="stlite_docs_max_live_apps' must be a whole number"):
        SiteSettings.from_raw({"max_live_apps": 0}, prefix="stlite_docs_")
    with pytest.raises(SettingsError, match="theme' must be one of auto, light, dark; got 'sepia'"):
        SiteSettings.from_raw({"theme": "sepia"})


def test_theme_values():
    assert [normalize_theme("theme", v) for v in ("auto", "LIGHT", "dark")] == ["auto", "light", "dark"]


def test_page_settings():
    assert page_settings({"max_live_apps": "2", "concurrency": 2, "theme": "dark"}) == {
        "max_live_apps": 2,
        "concurrency": 2,
        "theme": "dark",
    }
    with pytest.raises(
        SettingsError,
        match="unknown page setting 'stlite-height'; a page may set "
        "stlite-max-live-apps, stlite-concurrency, stlite-theme, stlite-runtime",
    ):
        page_settings({"height": 3}, spell=lambda n: "stlite-" + n.replace("_", "-"))


def _app(tmp_path, body, settings=None):
    tree = SourceTree(base_dir=tmp_path, root_dir=tmp_path)
    result = build_app(body, {}, settings or SiteSettings.from_raw({"max_live_apps": 5, "theme": "light"}), tree, None)
    assert not result.problems, result.problems
    return result.app


def test_spec_carries_site_and_page_settings_and_block_theme_wins(tmp_path):
    app = _app(tmp_path, "x = 1\n")
    spec = app.to_spec("")
    assert (spec["theme"], spec["maxLiveApps"], spec["concurrency"]) == ("light", 5, 1)
    spec = app.for_page({"max_live_apps": 2, "concurrency": 2, "theme": "dark"}).to_spec("")
    assert (spec["theme"], spec["maxLiveApps"], spec["concurrency"]) == ("dark", 2, 2)
    own = _app(tmp_path, "#| theme: light\nx = 1\n").for_page({"theme": "dark"})
    assert own.to_spec("")["theme"] == "light"
    assert app.for_page({}) is app


def test_runtime_setting():
    assert SiteSettings.from_raw({}).runtime == "isolated"
    assert SiteSettings.from_raw({"runtime": " Shared "}).runtime == "shared"
    with pytest.raises(SettingsError, match="stlite_docs_runtime' must be one of isolated, shared; got 'one'"):
        SiteSettings.from_raw({"runtime": "one"}, prefix="stlite_docs_")
    assert page_settings({"runtime": "shared"}) == {"runtime": "shared"}
    with pytest.raises(SettingsError, match="'stlite-runtime' must be one of isolated, shared; got 'both'"):
        page_settings({"runtime": "both"}, spell=lambda n: "stlite-" + n.replace("_", "-"))


def test_runtime_reaches_the_spec_from_site_and_page(tmp_path):
    app = _app(tmp_path, "x = 1\n", SiteSettings.from_raw({"runtime": "shared"}))
    assert app.to_spec("")["runtime"] == "shared"
    assert app.for_page({"runtime": "isolated"}).to_spec("")["runtime"] == "isolated"
    assert _app(tmp_path, "x = 1\n").for_page({"runtime": "shared"}).to_spec("")["runtime"] == "shared"


def test_runtime_is_not_a_block_option(tmp_path):
    tree = SourceTree(base_dir=tmp_path, root_dir=tmp_path)
    result = build_app("#| runtime: shared\nx = 1\n", {}, SiteSettings.from_raw({}), tree, None)
    [problem] = result.problems
    assert problem.line == 1
    assert problem.message.startswith("option 'runtime' is not a block option: all apps of a page share one Python")


def test_shared_page_check_names_the_first_app(tmp_path):
    from stlite_docs.core.spec import SharedPageCheck

    shared = SiteSettings.from_raw({"runtime": "shared"})
    plain = _app(tmp_path, "x = 1\n", shared)
    dark = _app(tmp_path, "#| theme: dark\nx = 1\n", shared)
    configured = _app(tmp_path, "#| config: {client.showErrorDetails: false}\nx = 1\n", shared)
    check = SharedPageCheck()
    assert check.differs(plain, 3) is None
    assert check.differs(plain, 9) is None
    message = check.differs(configured, 12)
    assert message.startswith(
        "this page runs its apps in one Python (runtime: shared), with one Streamlit config: "
        "this block's config differs from that of the page's first app (line 3)"
    )
    assert "this block's theme 'dark' differs from 'auto' of the page's first app (line 3)" in check.differs(dark, 15)
    # Isolated apps are never compared.
    isolated = SharedPageCheck()
    assert isolated.differs(_app(tmp_path, "x = 1\n"), 1) is None
    assert isolated.differs(_app(tmp_path, "#| theme: dark\nx = 1\n"), 2) is None

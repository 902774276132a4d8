"""stlite_docs.core.options: one normalizer per option, both string and YAML forms, exact messages."""

from __future__ import annotations

import math

import pytest

from stlite_docs.core.options import (
    merge_requirements,
    normalize_caption,
    normalize_config,
    normalize_files,
    normalize_height,
    normalize_load,
    normalize_max_height,
    normalize_name,
    normalize_requirements,
    split_requirements,
)
from stlite_docs.core.problems import BlockError
from stlite_docs.core.settings import BLOCK_OPTIONS, SettingsError, SiteSettings, normalize_block_options
from stlite_docs.runtime import page_root_prefix, site_url

KNOWN = "requirements, height, max-height, files, config, caption, name, load, check, theme, show-code, editable, share, preview"


def error(fn, *args) -> tuple[str, str]:
    with pytest.raises(BlockError) as info:
        fn(*args)
    return info.value.problem.kind, info.value.problem.message


def message(fn, *args) -> str:
    return error(fn, *args)[1]


# ----------------------------------------------------------------------------- requirements
@pytest.mark.parametrize(
    "text, expected",
    [
        ("numpy, pandas>=2,<3, rich[jupyter,pygments]>=13", ["numpy", "pandas>=2,<3", "rich[jupyter,pygments]>=13"]),
        ("numpy,pandas", ["numpy", "pandas"]),
        ("pandas >= 2 , < 3", ["pandas >= 2 , < 3"]),
        ("a>=1, !=1.5, ~=1.2, ==1.*", ["a>=1, !=1.5, ~=1.2, ==1.*"]),
        ("numpy\npandas>=2,<3\n\n  rich  \n", ["numpy", "pandas>=2,<3", "rich"]),
        ("numpy\r\nscipy", ["numpy", "scipy"]),
        ('pkg; python_version<"3.14"', ['pkg; python_version<"3.14"']),
        ('pkg; python_version<"3.14", numpy', ['pkg; python_version<"3.14"', "numpy"]),
        ("pkg (>=1,<2), numpy", ["pkg (>=1,<2)", "numpy"]),
        ("", []),
        (" , ,\n,", []),
    ],
)
def test_split_requirements(text, expected):
    assert split_requirements(text) == expected


def test_normalize_requirements_forms():
    assert normalize_requirements("requirements", "numpy, pandas>=2,<3") == ["numpy", "pandas>=2,<3"]
    assert normalize_requirements("requirements", ["numpy", " pandas>=2,<3 "]) == ["numpy", "pandas>=2,<3"]
    assert normalize_requirements("requirements", 'pkg; python_version<"3.14"') == ['pkg; python_version<"3.14"']
    assert normalize_requirements("requirements", None) == []
    assert normalize_requirements("requirements", "") == []


def test_a_list_item_is_one_requirement_even_with_commas():
    assert normalize_requirements("requirements", ["pandas>=2,<3"]) == ["pandas>=2,<3"]
    kind, text = error(normalize_requirements, "requirements", ["numpy, pandas"])
    assert kind == "requirement" and text.startswith("invalid requirement 'numpy, pandas': ")


@pytest.mark.parametrize("spec", ["numpy>>2", "pandas[", "pkg==", "a b", "@x"])
def test_invalid_requirement_message(spec):
    kind, text = error(normalize_requirements, "requirements", f"numpy, {spec}")
    assert kind == "requirement"
    assert text.startswith(f"invalid requirement {spec!r}: ")
    reason = text[len(f"invalid requirement {spec!r}: ") :]
    assert reason and "\n" not in reason and "^" not in reason  # no caret diagram


def test_requirements_refuse_other_types():
    assert error(normalize_requirements, "requirements", {"a": 1}) == (
        "option",
        "option 'requirements' takes a list of requirements, not a mapping",
    )
    assert error(normalize_requirements, "requirements", 3) == (
        "option",
        "option 'requirements' takes a list of requirements, not int",
    )
    assert error(normalize_requirements, "requirements", [True]) == (
        "option",
        "option 'requirements' takes a text value, not true/false",
    )


def test_merge_block_overrides_site_by_canonical_name_and_keeps_order():
    site = ["numpy", "Pandas>=1", "scikit_learn", "altair<5"]
    block = ["pandas>=2", "scikit-learn==1.5", "rich"]
    assert merge_requirements(site, block) == ["numpy", "altair<5", "pandas>=2", "scikit-learn==1.5", "rich"]


def test_merge_edge_cases():
    assert merge_requirements([], []) == []
    assert merge_requirements(["numpy"], []) == ["numpy"]
    assert merge_requirements([], ["b", "a"]) == ["b", "a"]
    # the same requirement in both: once, at the block's position
    assert merge_requirements(["numpy", "scipy"], ["numpy"]) == ["scipy", "numpy"]
    # a block entry with extras or a marker still replaces the site entry of that project
    assert merge_requirements(["rich"], ["rich[jupyter]>=13"]) == ["rich[jupyter]>=13"]
    assert merge_requirements(["a", "pkg"], ['pkg; python_version<"3.14"']) == ["a", 'pkg; python_version<"3.14"']
    # names compare canonically on both sides (case, '_', '.', '-')
    assert merge_requirements(["scikit-learn", "zope.interface"], ["Scikit_Learn==1.5", "ZOPE-Interface"]) == [
        "Scikit_Learn==1.5",
        "ZOPE-Interface",
    ]
    # identical block duplicates collapse
    assert merge_requirements([], ["x", "x"]) == ["x"]


# ----------------------------------------------------------------------------- height
@pytest.mark.parametrize(
    "value, expected",
    [
        (400, "400px"),
        (1, "1px"),
        (12.5, "12.5px"),
        (400.0, "400px"),
        ("400", "400px"),
        (" 400 ", "400px"),
        ("400px", "400px"),
        ("400PX", "400px"),
        ("30em", "30em"),
        ("1.5rem", "1.5rem"),
        (".5em", ".5em"),
        ("60vh", "60vh"),
        ("60dvh", "60dvh"),
        ("auto", "auto"),
        ("AUTO", "auto"),
        (" Auto ", "auto"),
    ],
)
def test_height_accepted(value, expected):
    assert normalize_height("height", value) == expected


@pytest.mark.parametrize(
    "value", ["50%", "0", "0px", "0.0em", 0, 0.0, -3, "-3px", "abc", "10 px", "px", "", "1e3px", "calc(10px)"]
)
def test_height_refused(value):
    assert error(normalize_height, "height", value) == (
        "option",
        f"option 'height' must be 'auto' or a positive CSS length such as 400px, 30em or 60vh; got {value!r}",
    )


@pytest.mark.parametrize(
    "value, kind", [(True, "true/false"), (False, "true/false"), (None, "nothing"), ([400], "a list"), ({"a": 1}, "a mapping")]
)
def test_height_refuses_non_scalars(value, kind):
    assert message(normalize_height, "height", value) == f"option 'height' takes a text value, not {kind}"


def test_height_refuses_infinity():
    with pytest.raises(BlockError):
        normalize_height("height", math.inf)


def test_height_number_and_text_forms_agree():
    assert normalize_height("height", 1234567) == normalize_height("height", "1234567") == "1234567px"


# ----------------------------------------------------------------------------- max-height
@pytest.mark.parametrize(
    "value, expected",
    [
        ("80vh", "80vh"),
        (600, "600px"),
        ("600", "600px"),
        ("40EM", "40em"),
        ("none", "none"),
        (" None ", "none"),
    ],
)
def test_max_height_accepted(value, expected):
    assert normalize_max_height("max_height", value) == expected


@pytest.mark.parametrize("value", ["auto", "50%", "0", -1, "", None, True, [600], {"a": 1}, "calc(1px)"])
def test_max_height_refused(value):
    assert error(normalize_max_height, "max_height", value) == (
        "option",
        f"option 'max_height' must be 'none' or a positive CSS length such as 600px, 40em or 80vh; got {value!r}",
    )


# ----------------------------------------------------------------------------- load, name, caption
@pytest.mark.parametrize(
    "value, expected", [("lazy", "lazy"), ("eager", "eager"), ("click", "click"), ("LAZY", "lazy"), (" Click ", "click")]
)
def test_load_accepted(value, expected):
    assert normalize_load("load", value) == expected


@pytest.mark.parametrize("value", ["later", "", 1, "lazy,eager"])
def test_load_refused(value):
    assert error(normalize_load, "load", value) == ("option", f"option 'load' must be one of lazy, eager, click; got {value!r}")


def test_load_refuses_true():
    assert message(normalize_load, "load", True) == "option 'load' takes a text value, not true/false"


@pytest.mark.parametrize("value", ["a", "app1", "my-app_2", "App", " padded "])
def test_name_accepted(value):
    assert normalize_name("name", value) == value.strip()


@pytest.mark.parametrize("value", ["2apps", "a b", "", "-x", "_x", "é", "a.b", "a#b", 'a"b'])
def test_name_refused(value):
    assert error(normalize_name, "name", value) == (
        "option",
        "option 'name' must start with a letter and use only letters, digits, '-' and '_' "
        f"(it becomes the HTML id); got {value!r}",
    )


def test_caption():
    assert normalize_caption("caption", "  A <b>caption</b>  ") == "A <b>caption</b>"
    assert normalize_caption("caption", 42) == "42"
    assert error(normalize_caption, "caption", "   ") == ("option", "option 'caption' is empty")


# ----------------------------------------------------------------------------- config
def test_config_flat_nested_and_mixed():
    assert normalize_config("config", {"theme.primaryColor": "#f00"}) == {"theme.primaryColor": "#f00"}
    assert normalize_config("config", {"theme": {"primaryColor": "#f00", "base": "dark"}}) == {
        "theme.base": "dark",
        "theme.primaryColor": "#f00",
    }
    assert normalize_config("config", {"theme": {"sidebar": {"primaryColor": "#0f0"}}, "client.toolbarMode": "minimal"}) == {
        "client.toolbarMode": "minimal",
        "theme.sidebar.primaryColor": "#0f0",
    }


def test_config_output_is_sorted():
    result = normalize_config("config", {"theme.z": 1, "client.b": 2, "theme.a": 3, "browser.x": 4})
    assert list(result) == ["browser.x", "client.b", "theme.a", "theme.z"]


def test_config_as_yaml_text():
    assert normalize_config("config", '{theme.primaryColor: "#ff4b4b", client.toolbarMode: minimal}') == {
        "client.toolbarMode": "minimal",
        "theme.primaryColor": "#ff4b4b",
    }
    assert normalize_config("config", "theme:\n  base: dark\n  baseFontSize: 14\nclient.showErrorDetails: false\n") == {
        "client.showErrorDetails": False,
        "theme.base": "dark",
        "theme.baseFontSize": 14,
    }
    assert normalize_config("config", "") == {} and normalize_config("config", "  ") == {}
    assert normalize_config("config", {}) == {}


def test_config_values_can_be_scalars_or_lists_of_scalars():
    value = {"a": "x", "b": 1, "c": 1.5, "d": True, "e": ["x", 2, False]}
    assert normalize_config("config", {"server": value}) == {f"server.{k}": v for k, v in value.items()}


def test_config_unknown_section_with_hint():
    assert error(normalize_config, "config", {"theem.base": "dark"}) == (
        "option",
        "option 'config': unknown Streamlit config section 'theem' (did you mean 'theme'?)",
    )
    assert error(normalize_config, "config", {"zzzzz": {"x": 1}}) == (
        "option",
        "option 'config': unknown Streamlit config section 'zzzzz'",
    )
    assert message(normalize_config, "config", "{clinet.toolbarMode: minimal}") == (
        "option 'config': unknown Streamlit config section 'clinet' (did you mean 'client'?)"
    )


@pytest.mark.parametrize("value", [None, object(), [{"family": "x"}], [[1]], [None]])
def test_config_refuses_non_scalar_values(value):
    assert error(normalize_config, "config", {"theme.base": value}) == (
        "option",
        "option 'config': theme.base must be a text, number, true/false or a list of those",
    )


def test_config_refuses_yaml_dates():
    assert message(normalize_config, "config", "{theme.base: 2020-01-01}") == (
        "option 'config': theme.base must be a text, number, true/false or a list of those"
    )


def test_config_refuses_non_mappings_and_bad_keys():
    assert error(normalize_config, "config", "[1, 2]") == (
        "option",
        "option 'config' takes a mapping such as {theme.primaryColor: \"#ff4b4b\"}, not a list",
    )
    assert message(normalize_config, "config", 3) == (
        "option 'config' takes a mapping such as {theme.primaryColor: \"#ff4b4b\"}, not int"
    )
    assert message(normalize_config, "config", "{a: [").startswith("option 'config' is not a YAML mapping: ")
    assert message(normalize_config, "config", {"theme": 1}) == (
        "option 'config': 'theme' is not a Streamlit config key such as theme.primaryColor"
    )
    assert message(normalize_config, "config", {"Theme.base": 1}) == (
        "option 'config': 'Theme.base' is not a Streamlit config key such as theme.primaryColor"
    )
    assert message(normalize_config, "config", {"theme": {1: 2}}) == "option 'config': config keys must be text, got 1"


@pytest.mark.parametrize("text", ["{theme.baseRadius: .nan}", "{theme.baseFontSize: .inf}"])
def test_config_refuses_non_finite_numbers(text):
    with pytest.raises(BlockError):
        normalize_config("config", text)


# ----------------------------------------------------------------------------- files
def test_files_from_a_string_list():
    assert normalize_files("files", "data/x.csv, ../shared/y.csv /z.png\n  w.txt") == {
        "data/x.csv": "data/x.csv",
        "y.csv": "../shared/y.csv",
        "z.png": "/z.png",
        "w.txt": "w.txt",
    }


def test_files_from_a_yaml_list_keep_order():
    result = normalize_files("files", ["b.csv", "data/a.csv"])
    assert list(result.items()) == [("b.csv", "b.csv"), ("data/a.csv", "data/a.csv")]


@pytest.mark.parametrize(
    "src, app_path",
    [
        ("data/x.csv", "data/x.csv"),
        ("x.csv", "x.csv"),
        ("../shared/x.csv", "x.csv"),
        ("/data/x.csv", "x.csv"),
        ("a/../x.csv", "x.csv"),
        ("..\\x.csv", "x.csv"),
    ],
)
def test_default_in_app_paths(src, app_path):
    assert normalize_files("files", [src]) == {app_path: src}


def test_files_mapping_names_the_in_app_path():
    assert normalize_files("files", {"in/app.csv": "../x.csv", "b.bin": "/b.bin"}) == {
        "in/app.csv": "../x.csv",
        "b.bin": "/b.bin",
    }


def test_files_empty_forms():
    assert normalize_files("files", None) == {}
    assert normalize_files("files", "") == {}
    assert normalize_files("files", []) == {}


def test_files_duplicate_target():
    assert error(normalize_files, "files", ["../a/x.csv", "/b/x.csv"]) == (
        "file-path",
        "option 'files' attaches two files as 'x.csv'",
    )
    assert error(normalize_files, "files", "x.csv x.csv") == ("file-path", "option 'files' attaches two files as 'x.csv'")


def test_files_bad_in_app_paths():
    assert error(normalize_files, "files", {"/abs.csv": "x.csv"}) == (
        "file-path",
        "app file path '/abs.csv' must be relative, with '/' separators",
    )
    assert error(normalize_files, "files", {"../x": "x"}) == ("file-path", "app file path '../x' must not contain '..'")
    assert error(normalize_files, "files", ["data\\x.csv"]) == (
        "file-path",
        "app file path 'data\\\\x.csv' must be relative, with '/' separators",
    )


def test_files_refuse_other_types():
    assert error(normalize_files, "files", 3) == ("option", "option 'files' takes a list of files or a mapping, not int")
    assert message(normalize_files, "files", [None]) == "option 'files' takes a text value, not nothing"


# ----------------------------------------------------------------------------- registry
def test_registry_keys():
    assert ", ".join(BLOCK_OPTIONS) == KNOWN


def test_unknown_option_with_did_you_mean():
    assert error(normalize_block_options, {"heigth": "1"}) == (
        "option",
        f"unknown option 'heigth' (did you mean 'height'?); known options: {KNOWN}",
    )
    assert message(normalize_block_options, {"requirement": "x"}) == (
        f"unknown option 'requirement' (did you mean 'requirements'?); known options: {KNOWN}"
    )
    assert message(normalize_block_options, {"zzz": "1"}) == f"unknown option 'zzz'; known options: {KNOWN}"


def test_normalize_block_options_normalizes_every_key():
    assert normalize_block_options({"height": "400", "load": "Eager", "requirements": "a, b"}) == {
        "height": "400px",
        "load": "eager",
        "requirements": ["a", "b"],
    }


# ----------------------------------------------------------------------------- (from the first core tests)
def _error(fn, *args) -> str:
    with pytest.raises(BlockError) as info:
        fn(*args)
    return info.value.problem.message


def test_split_requirements_keeps_version_ranges_extras_and_markers():
    assert split_requirements("numpy, pandas>=2,<3, rich[jupyter,pygments]>=13") == [
        "numpy",
        "pandas>=2,<3",
        "rich[jupyter,pygments]>=13",
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
    [
        (400, "400px"),
        (12.5, "12.5px"),
        ("400", "400px"),
        ("400px", "400px"),
        ("30em", "30em"),
        ("60vh", "60vh"),
        ("auto", "auto"),
        ("AUTO", "auto"),
    ],
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
    assert (
        normalize_config("config", {"theme": {"primaryColor": "#ff4b4b", "base": "dark"}, "client.toolbarMode": "minimal"})
        == expected
    )
    assert list(
        normalize_config("config", '{theme.primaryColor: "#ff4b4b", theme.base: dark, client.toolbarMode: minimal}')
    ) == sorted(expected)


def test_config_errors():
    assert "unknown Streamlit config section 'theem' (did you mean 'theme'?)" in _error(
        normalize_config, "config", {"theem.base": "dark"}
    )
    assert "must be a text, number" in _error(normalize_config, "config", {"theme.base": None})
    assert "takes a mapping" in _error(normalize_config, "config", "[1, 2]")
    assert "not a YAML mapping" in _error(normalize_config, "config", "{a: [")


def test_files_forms_and_in_app_paths():
    assert normalize_files("files", "data/x.csv, ../shared/y.csv /z.png") == {
        "data/x.csv": "data/x.csv",
        "y.csv": "../shared/y.csv",
        "z.png": "/z.png",
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

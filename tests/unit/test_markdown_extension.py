"""``stlite_docs.markdown`` (the Markdown front-end) on its own (plain Python-Markdown), the loader-setup check used
under Zensical, and the ``stlite-docs assets`` command."""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path

import markdown
import pytest

from stlite_docs import __version__
from stlite_docs.cli import main
from stlite_docs.core.assets import asset_files, loader_version
from stlite_docs.frontends.markdown.zensical import asset_problems

SPEC = re.compile(r'<script type="application/json" class="stlite-docs-spec">(.*?)</script>', re.S)


def specs(html: str) -> list[dict]:
    return [json.loads(raw)[0] for raw in SPEC.findall(html)]


def test_plain_python_markdown_without_superfences():
    html = markdown.markdown(
        'Text\n\n```stlite height="300"\nimport streamlit as st\nst.write(1)\n```\n',
        extensions=["stlite_docs.frontends.markdown"],
    )
    [spec] = specs(html)
    assert spec["files"] == {"streamlit_app.py": {"text": "import streamlit as st\nst.write(1)\n"}}
    assert spec["height"] == "300px" and spec["generator"] == __version__


def test_short_name_and_superfences_inside_an_admonition():
    text = "!!! note\n    ```stlite\n    #| caption: Inside\n    import streamlit as st\n    ```\n"
    html = markdown.markdown(
        text,
        extensions=["admonition", "pymdownx.superfences", "stlite_docs"],
        extension_configs={"stlite_docs": {"load": "click"}},
    )
    [spec] = specs(html)
    assert (spec["title"], spec["load"]) == ("Live app: Inside", "click")
    assert '<div class="admonition note">' in html


def test_blocks_render_in_place_with_headings_and_tabs():
    """With the toc extension and blocks in content tabs and admonitions, every block ends up
    in place, in order."""
    text = (
        "# Title `code`\n\n```stlite\n#| caption: One\nimport streamlit as st\n```\n\n## Second\n\n"
        '=== "Tab"\n\n    ```stlite\n    #| caption: Two\n    import streamlit as st\n    ```\n\n'
        "!!! note\n    ```stlite\n    #| caption: Three\n    x = (\n    ```\n"
    )
    md = markdown.Markdown(extensions=["toc", "admonition", "pymdownx.superfences", "pymdownx.tabbed", "stlite_docs"])
    html = md.convert(text)
    assert "stlite-docs-block" not in html
    assert [spec["title"] for spec in specs(html)] == ["Live app: One", "Live app: Two"]
    assert html.index("Live app: One") < html.index("Second") < html.index("Live app: Two") < html.index("admonition")
    assert "stlite-docs-invalid" in html.split('class="admonition note"', 1)[1]  # Three: a syntax error
    assert [t["name"] for t in md.toc_tokens] == ["Title code"]
    md.reset()
    assert specs(md.convert("```stlite\nimport streamlit as st\n```\n"))  # the next conversion too


def test_bad_site_setting_fails_at_once_with_its_name():
    with pytest.raises(ValueError, match="height"):
        markdown.markdown("x", extensions=["stlite_docs.markdown"], extension_configs={"stlite_docs.markdown": {"height": "50%"}})


def test_concurrent_conversions_share_nothing(tmp_path):
    """Zensical may convert pages concurrently: each conversion keeps its own page and
    docs_dir, even through one SuperFences registration per Markdown instance."""
    results: dict[int, list[dict]] = {}

    def convert(n: int) -> None:
        docs = tmp_path / f"docs{n}"
        (docs / "apps").mkdir(parents=True)
        (docs / "apps" / "a.py").write_text(f"N = {n}\n")
        md = markdown.Markdown(
            extensions=["pymdownx.superfences", "stlite_docs.markdown"],
            extension_configs={"stlite_docs.markdown": {"docs_dir": str(docs), "page_url": f"p{n}/"}},
        )
        out = []
        for _ in range(20):
            out += specs(md.convert('```stlite file="apps/a.py"\n```\n'))
        results[n] = out

    threads = [threading.Thread(target=convert, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for n, found in results.items():
        assert [s["files"]["a.py"]["text"] for s in found] == [f"N = {n}\n"] * 20


# ------------------------------------------------------------------ loader setup (Zensical)
MODULE = [{"path": "assets/stlite-docs/loader.js", "type": "module"}]
CSS = ["assets/stlite-docs/stylesheet.css", "assets/stlite-docs/stlite-docs.css"]


@pytest.fixture
def docs(tmp_path) -> Path:
    assert main(["assets", str(tmp_path / "docs" / "assets")]) == 0
    return tmp_path / "docs"


def test_a_complete_setup_has_no_problem(docs):
    assert asset_problems(docs, "docs", MODULE, CSS) == []


def test_a_loader_from_another_host_is_not_compared(docs):
    assert asset_problems(docs, "docs", [{"path": "https://example.org/stlite-docs/loader.js", "type": "module"}], CSS) == []


@pytest.mark.parametrize(
    "scripts, styles, expected",
    [
        (
            [],
            [],
            [
                "no stlite-docs loader on this page, so its apps cannot start (Zensical runs no plugins): "
                "run `stlite-docs assets docs/assets` and list the files it names under extra_javascript and extra_css"
            ],
        ),
        (
            [{"path": "assets/stlite-docs/loader.js", "type": None}],
            CSS,
            ["extra_javascript entry 'assets/stlite-docs/loader.js' must have 'type: module' (the loader is an ES module)"],
        ),
        (
            [{"path": "js/stlite-docs/loader.js", "type": "module"}],
            CSS,
            [
                "extra_javascript names 'js/stlite-docs/loader.js', but docs/js/stlite-docs/loader.js does not exist: run `stlite-docs assets docs/js`"
            ],
        ),
        (
            MODULE,
            [],
            [
                "extra_css does not list the stlite-docs stylesheet (stlite-docs/stlite-docs.css): "
                "run `stlite-docs assets docs/assets` and list the files it names under extra_javascript and extra_css"
            ],
        ),
    ],
)
def test_setup_problems(docs, scripts, styles, expected):
    assert asset_problems(docs, "docs", scripts, styles) == expected


# ------------------------------------------------------------------ stlite-docs assets
def test_assets_command_writes_replaces_and_removes(tmp_path, capsys):
    dest = tmp_path / "docs" / "assets"
    assert main(["assets", str(dest), "--docs-dir", str(tmp_path / "docs")]) == 0
    out = capsys.readouterr().out
    assert f"{len(asset_files())} file(s) written, 0 removed" in out
    assert "- path: assets/stlite-docs/loader.js\n      type: module" in out
    assert 'extra_css = ["assets/stlite-docs/stlite-docs.css"]' in out
    for rel, source in asset_files():
        assert (dest / rel).read_bytes() == source.read_bytes()
    assert loader_version(dest / "stlite-docs" / "loader.js") == __version__

    (dest / "stlite-docs" / "old.js").write_text("// from an older release")
    (dest / "stlite-docs" / "loader.js").write_text("// edited")
    assert main(["assets", str(dest), "--check"]) == 1
    assert "stlite-docs/loader.js" in capsys.readouterr().err
    assert main(["assets", str(dest)]) == 0
    assert "1 file(s) written, 1 removed" in capsys.readouterr().out
    assert not (dest / "stlite-docs" / "old.js").exists()
    assert main(["assets", str(dest), "--check"]) == 0


def test_loader_version_matches_the_package():
    [loader] = [source for rel, source in asset_files() if rel == "stlite-docs/loader.js"]
    assert loader_version(loader) == __version__


# ----------------------------------------------------------------------------- option syntax
HEADERS = [
    'show-code="tabs" max-height="300px"',
    'show_code="tabs" max_height="300px"',
    "show-code=tabs max-height=300px",
    '{.stlite show-code="tabs" max-height="300px"}',
]


@pytest.mark.parametrize("superfences", [True, False], ids=["superfences", "alone"])
@pytest.mark.parametrize("header", HEADERS)
def test_options_are_read_with_hyphens_or_underscores(header, superfences):
    fence = f"``` {header}" if header.startswith("{") else f"```stlite {header}"
    if header.startswith("{") and not superfences:
        pytest.skip("the {.stlite ...} form is SuperFences' syntax")
    extensions = ["pymdownx.superfences", "stlite_docs"] if superfences else ["stlite_docs"]
    [spec] = specs(markdown.markdown(f"{fence}\nimport streamlit as st\n```\n", extensions=extensions))
    assert (spec["showCode"], spec["maxHeight"]) == ("tabs", "300px")


@pytest.mark.parametrize(
    "files, expected",
    [
        ('"{in/app.csv: data/x.csv}"', {"in/app.csv"}),
        ("'[data/x.csv, data/y.csv]'", {"data/x.csv", "data/y.csv"}),
        ('"data/x.csv, data/y.csv"', {"data/x.csv", "data/y.csv"}),
    ],
)
def test_files_as_a_mapping_or_a_list_in_a_fence_attribute(tmp_path, files, expected):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "x.csv").write_text("a\n1\n")
    (tmp_path / "data" / "y.csv").write_text("b\n2\n")
    html = markdown.markdown(
        f"```stlite files={files}\nimport streamlit as st\n```\n",
        extensions=["pymdownx.superfences", "stlite_docs"],
        extension_configs={"stlite_docs": {"docs_dir": str(tmp_path)}},
    )
    [spec] = specs(html)
    assert set(spec["files"]) == {"streamlit_app.py"} | expected


def test_a_bad_files_value_is_located_at_the_fence(tmp_path, caplog):
    text = '# Title\n\nText.\n\n```stlite files="{in/app.csv: [}"\nimport streamlit as st\n```\n'
    markdown.markdown(
        text,
        extensions=["pymdownx.superfences", "stlite_docs"],
        extension_configs={"stlite_docs": {"docs_dir": str(tmp_path), "page_path": "docs/p.md"}},
    )
    [record] = [r for r in caplog.records if "stlite.option" in r.getMessage()]
    assert record.getMessage().startswith("docs/p.md:5: option 'files' is not a YAML list or mapping: ")

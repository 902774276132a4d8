"""The settings schema is the one declaration: every front-end's settings and options, and the
reference tables of the manual, come from it."""

from __future__ import annotations

import re

import markdown
import pytest

from stlite_docs.core.settings import BLOCK_OPTIONS, PAGE_SETTINGS, SCHEMA, SETTING_DEFAULTS, SiteSettings, reference


def _names(table: str, fmt: str) -> list[str]:
    pattern = r"^\| `([^`]+)` \|" if fmt == "markdown" else r"^   \* - ``([^`]+)``$"
    return re.findall(pattern, table, re.MULTILINE)


@pytest.mark.parametrize("fmt", ["markdown", "rst"])
def test_the_reference_tables_cover_every_setting_and_option(fmt):
    site, block = reference("site", fmt), reference("block", fmt)
    assert _names(site, fmt) == list(SETTING_DEFAULTS) and len(SETTING_DEFAULTS) == 21
    assert _names(block, fmt) == list(BLOCK_OPTIONS)
    for setting in SCHEMA:  # its doc line and example are in the table of each place it is set
        for table in ([site] if "site" in setting.scopes else []) + ([block] if "block" in setting.scopes else []):
            assert setting.doc.replace("|", "\\|") in table or setting.doc in table
            assert setting.example in table
    assert "site, page, block" in site  # theme: where it may be set


def test_the_markdown_table_renders_as_a_table():
    html = markdown.markdown(reference("site"), extensions=["tables"])
    assert html.count("<tr>") == len(SETTING_DEFAULTS) + 1


def test_the_rst_table_is_a_list_table_docutils_reads():
    from docutils.core import publish_doctree

    doctree = publish_doctree(reference("block", "rst"), settings_overrides={"report_level": 2, "halt_level": 2})
    rows = [node for node in doctree.findall() if node.tagname == "row"]
    assert len(rows) == len(BLOCK_OPTIONS) + 1


def test_every_front_end_reads_the_schema():
    from stlite_docs.frontends.markdown import StliteExtension
    from stlite_docs.frontends.mkdocs.plugin import StliteConfig

    assert set(SETTING_DEFAULTS) | {"enabled"} == {name for name, _ in StliteConfig._schema}
    assert set(SETTING_DEFAULTS) <= set(StliteExtension().config)
    assert set(PAGE_SETTINGS) == {"max_live_apps", "concurrency", "theme", "runtime"}
    # the defaults: what a build without settings uses, normalized
    assert SiteSettings.from_raw({}) == SiteSettings()

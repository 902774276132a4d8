"""`runtime: isolated | shared`: a site setting and a page setting (never a block option), the
same in Sphinx and MkDocs, with located errors; the real sphinx-build and mkdocs build."""

from __future__ import annotations

import re
from pathlib import Path

from support.builds import mkdocs_build, sphinx_build
from support.html import scan

BODY = 'import streamlit as st\nst.write("shared")\n'
FIGURE = re.compile(r'<figure class="stlite-docs".*?</figure>', re.S)


def _sphinx(tmp_path: Path, page: str, conf: str = "") -> tuple:
    src = tmp_path / "sphinx"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["myst_parser", "stlite_docs"]\n' + conf)
    (src / "index.md").write_text(page)
    return sphinx_build(src, tmp_path / "s-out"), src


def _mkdocs(tmp_path: Path, page: str, plugin: str = "stlite") -> tuple:
    project = tmp_path / "mk"
    (project / "docs").mkdir(parents=True)
    (project / "mkdocs.yml").write_text(f"site_name: x\nplugins:\n  - {plugin}\nmarkdown_extensions: [pymdownx.superfences]\n")
    (project / "docs" / "index.md").write_text(page)
    return mkdocs_build(project, tmp_path / "m-out"), project


def test_page_override_gives_the_same_shared_app_in_sphinx_and_mkdocs(tmp_path):
    sphinx, _ = _sphinx(tmp_path, f"---\nstlite-runtime: shared\n---\n# Page\n\n```stlite\n{BODY}```\n")
    mkdocs, _ = _mkdocs(tmp_path, f"---\nstlite:\n  runtime: shared\n---\n# Page\n\n```stlite\n{BODY}```\n")
    assert sphinx.returncode == 0 and mkdocs.returncode == 0, sphinx.output + mkdocs.output
    [s] = scan(sphinx.page("index.html")).mounts
    [m] = scan(mkdocs.page("index.html")).mounts
    assert s.spec["runtime"] == "shared"
    assert s.spec == m.spec
    assert FIGURE.findall(sphinx.page("index.html")) == FIGURE.findall(mkdocs.page("index.html"))


def test_site_setting_and_a_page_back_to_isolated(tmp_path):
    page = f"---\nstlite-runtime: isolated\n---\n# Page\n\n```stlite\n{BODY}```\n"
    sphinx, src = _sphinx(tmp_path, page, 'stlite_docs_runtime = "shared"\n')
    (src / "other.md").write_text(f"# Other\n\n```stlite\n{BODY}```\n")
    sphinx = sphinx_build(src, tmp_path / "s-out2")
    mkdocs, project = _mkdocs(
        tmp_path,
        page.replace("stlite-runtime: isolated", "stlite:\n  runtime: isolated"),
        plugin="stlite:\n      runtime: shared",
    )
    (project / "docs" / "other.md").write_text(f"# Other\n\n```stlite\n{BODY}```\n")
    mkdocs = mkdocs_build(project, tmp_path / "m-out2")
    assert sphinx.returncode == 0 and mkdocs.returncode == 0, sphinx.output + mkdocs.output
    for build, other in ((sphinx, "other.html"), (mkdocs, "other/index.html")):
        assert scan(build.page("index.html")).mounts[0].spec["runtime"] == "isolated"
        assert scan(build.page(other)).mounts[0].spec["runtime"] == "shared"


def test_bad_page_value_is_located_and_the_site_setting_applies(tmp_path):
    src = tmp_path / "sphinx"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["stlite_docs"]\n')
    (src / "index.rst").write_text(f":stlite-runtime: both\n\nPage\n====\n\n.. stlite::\n\n   {BODY.splitlines()[0]}\n")
    sphinx = sphinx_build(src, tmp_path / "s-out")
    mkdocs, project = _mkdocs(tmp_path, f"---\nstlite:\n  runtime: both\n---\n# Page\n\n```stlite\n{BODY}```\n")
    assert sphinx.returncode == 0 and mkdocs.returncode == 0
    assert (
        f"{src / 'index.rst'}: WARNING: option 'stlite-runtime' must be one of isolated, shared; got 'both' "
        "[stlite.option]" in sphinx.output
    ), sphinx.output
    assert "docs/index.md: option 'runtime' must be one of isolated, shared; got 'both' [stlite.option]" in mkdocs.output, (
        mkdocs.output
    )
    for build in (sphinx, mkdocs):
        assert scan(build.page("index.html")).mounts[0].spec["runtime"] == "isolated"


def test_bad_site_value_stops_the_build_naming_the_setting(tmp_path):
    sphinx, _ = _sphinx(tmp_path, f"# Page\n\n```stlite\n{BODY}```\n", 'stlite_docs_runtime = "one"\n')
    mkdocs, _ = _mkdocs(tmp_path, f"# Page\n\n```stlite\n{BODY}```\n", plugin="stlite:\n      runtime: one")
    assert sphinx.returncode != 0 and "stlite_docs_runtime' must be one of isolated, shared; got 'one'" in sphinx.output
    assert mkdocs.returncode != 0 and "must be one of isolated, shared; got 'one'" in mkdocs.output, mkdocs.output


def test_runtime_on_a_block_is_a_located_error(tmp_path):
    sphinx, src = _sphinx(tmp_path, f"# Page\n\n```stlite\n#| runtime: shared\n{BODY}```\n")
    mkdocs, _ = _mkdocs(tmp_path, f"# Page\n\n```stlite\n#| runtime: shared\n{BODY}```\n")
    message = "option 'runtime' is not a block option: all apps of a page share one Python or none does"
    assert f"{src / 'index.md'}:4: WARNING: {message}" in sphinx.output, sphinx.output
    assert f"docs/index.md:4: {message}" in mkdocs.output, mkdocs.output
    # The block is still on the page, as code with the notice.
    for build in (sphinx, mkdocs):
        html = build.page("index.html")
        assert "stlite-docs-invalid" in html and "shared" in html.split("stlite-docs-source")[1]


def test_apps_of_a_shared_page_that_disagree_on_config_are_located(tmp_path):
    page = (
        f"---\nstlite-runtime: shared\n---\n# Page\n\n```stlite\n{BODY}```\n\n"
        f"```stlite\n#| config: {{client.showErrorDetails: false}}\n{BODY}```\n"
    )
    sphinx, src = _sphinx(tmp_path, page)
    mkdocs, _ = _mkdocs(tmp_path, page.replace("stlite-runtime: shared", "stlite:\n  runtime: shared"))
    assert sphinx.returncode == 0 and mkdocs.returncode == 0
    message = (
        "this page runs its apps in one Python (runtime: shared), with one Streamlit config: this block's "
        "config differs from that of the page's first app (line {first})"
    )
    # The fence lines, counted from the top of the file, front matter included, in both (the
    # MkDocs front matter is one line longer).
    assert f"{src / 'index.md'}:11: WARNING: " + message.format(first=6) in sphinx.output, sphinx.output
    assert "docs/index.md:12: " + message.format(first=7) in mkdocs.output, mkdocs.output
    # Both apps are still built.
    for build in (sphinx, mkdocs):
        assert len(scan(build.page("index.html")).mounts) == 2

"""``stlite-docs check``: the build's checks on sources, outside a build, located as the builds
locate them (the same bad-input projects and expectations as the Sphinx and MkDocs tests)."""

from __future__ import annotations

from pathlib import Path

from support.bad_input import EXPECTED_BAD, EXPECTED_SPHINX
from support.builds import copy_root, sphinx_build, stlite_docs


def lines_of(result) -> list[str]:
    return [line for line in result.stdout.splitlines() if not line.startswith("    ")]


def test_sphinx_project_problems_are_the_builds(tmp_path):
    copy_root("bad", tmp_path)
    result = stlite_docs("check", "bad", cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    found = lines_of(result)
    for path, line, fragment, kind in EXPECTED_SPHINX:
        matches = [f for f in found if f.startswith(f"bad/{path}:{line}: ") and fragment in f and f.endswith(f"[stlite.{kind}]")]
        assert len(matches) == 1, f"bad/{path}:{line}: {fragment}\n" + result.stdout
    assert len(found) == len(EXPECTED_SPHINX), result.stdout
    assert result.stderr.strip() == f"stlite-docs check: {len(EXPECTED_SPHINX)} problem(s) in 13 block(s) of 2 file(s)"


def test_mkdocs_project_problems_are_the_builds(tmp_path):
    copy_root("mkdocs-bad", tmp_path)
    result = stlite_docs("check", "mkdocs-bad/docs/index.md", cwd=tmp_path)
    assert result.returncode == 1
    found = lines_of(result)
    for line, fragment, kind in EXPECTED_BAD:
        where = f"mkdocs-bad/docs/index.md:{line}: " if line else "mkdocs-bad/docs/apps/broken.py:3: "
        assert len([f for f in found if f.startswith(where) and fragment in f and f.endswith(f"[stlite.{kind}]")]) == 1, (
            result.stdout
        )
    assert len(found) == len(EXPECTED_BAD), result.stdout


def test_good_sources_pass_and_folders_are_searched(tmp_path):
    project = copy_root("mkdocs-material", tmp_path)
    (project / "site").mkdir()
    (project / "site" / "junk.md").write_text("```stlite\nx = (\n```\n")  # a build folder: skipped
    result = stlite_docs("check", str(project), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert "0 problem(s) in 7 block(s) of 3 file(s)" in result.stderr


def test_project_settings_and_the_command_line_level(tmp_path):
    """The check level comes from conf.py (read, not run), and --check overrides it."""
    (tmp_path / "conf.py").write_text('extensions = ["stlite_docs"]\nstlite_docs_check = "off"\nimport os\n')
    (tmp_path / "index.rst").write_text(".. stlite::\n\n   x = (\n")
    assert stlite_docs("check", "index.rst", cwd=tmp_path).returncode == 0
    result = stlite_docs("check", "--check", "syntax", "index.rst", cwd=tmp_path)
    assert result.returncode == 1 and result.stdout.startswith("index.rst:3: Python syntax error in streamlit_app.py, line 1")


def test_myst_pages_give_what_sphinx_gives(tmp_path):
    """MyST reads every stlite fence as the directive: ``:key:`` option lines, an argument."""
    (tmp_path / "conf.py").write_text('extensions = ["myst_parser", "stlite_docs"]\n')
    (tmp_path / "apps").mkdir()
    (tmp_path / "apps" / "demo.py").write_text("import streamlit as st\n")
    (tmp_path / "index.md").write_text(
        "# Page\n\n```{stlite}\n:heigth: 300px\n:caption: x\n\nimport streamlit as st\nst.write(\n```\n\n"
        "```{stlite} apps/demo.py\n:load: later\n```\n\n"
        "- item\n\n  ```stlite\n  #| caption: nested\n  if True\n  ```\n\n"
        '```stlite caption="an argument in MyST"\nx = 1\n```\n'
    )
    result = stlite_docs("check", "index.md", cwd=tmp_path)
    build = sphinx_build(tmp_path, tmp_path / "_build")
    warnings = [line.split(": WARNING: ") for line in build.output.splitlines() if ": WARNING: " in line]
    expected = [f"{Path(where).name}: {message}" for where, message in warnings]
    assert sorted(lines_of(result)) == sorted(expected) and len(expected) == 6, build.output + result.stdout


def test_zensical_toml_settings(tmp_path):
    (tmp_path / "zensical.toml").write_text(
        '[project]\nsite_name = "x"\n[project.markdown_extensions.stlite_docs]\ncheck = "off"\n'
    )
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("```stlite\nx = (\n```\n")
    assert stlite_docs("check", "docs", cwd=tmp_path).returncode == 0


def test_a_missing_path_is_a_usage_error(tmp_path):
    result = stlite_docs("check", "nowhere.md", cwd=tmp_path)
    assert result.returncode == 2 and "nowhere.md: no such file or folder" in result.stderr

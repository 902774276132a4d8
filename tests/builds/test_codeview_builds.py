"""show-code, editable and share through the real builds: Sphinx (reST directive options, MyST
``#|`` lines) and MkDocs (fence attributes, ``#|`` lines) give the same mount points, site
settings reach every app, and mistakes are warnings at their file and line."""

from __future__ import annotations

import re

from support.builds import mkdocs_build, sphinx_build
from support.html import scan

FIGURE = re.compile(r'<figure class="stlite-docs".*?</figure>', re.S)
APP = 'import streamlit as st\nst.write("hi")\n'
# (reST directive options, MkDocs fence attributes, '#|' lines) meaning the same three blocks
BLOCKS = [
    (":show-code: tabs\n   :share: true", 'show_code="tabs" share="true"', "#| show-code: tabs\n#| share: true\n"),
    (":editable:\n   :show-code: below", 'editable="true" show_code="below"', "#| editable: true\n#| show-code: below\n"),
    (":share: false", 'share="false"', "#| share: false\n"),
]


def _rst(options: str) -> str:
    return f".. stlite::\n   {options}\n\n   " + APP.replace("\n", "\n   ").rstrip() + "\n\n"


def _write(folder, files: dict[str, str]):
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder


def test_same_code_view_options_same_mount_points(tmp_path):
    sphinx_src = _write(
        tmp_path / "sphinx",
        {
            "conf.py": 'extensions = ["myst_parser", "stlite_docs"]\nstlite_docs_share = True\n'
            'stlite_docs_share_url = "/sharing/"\nstlite_docs_show_code = "above"\n',
            "index.rst": "Page\n====\n\n" + "".join(_rst(rst) for rst, _, _ in BLOCKS) + ".. toctree::\n\n   myst\n",
            "myst.md": "# Page\n\n" + "".join(f"```stlite\n{lines}{APP}```\n\n" for _, _, lines in BLOCKS),
        },
    )
    mk = _write(
        tmp_path / "mk",
        {
            "mkdocs.yml": "site_name: x\nplugins:\n  - stlite:\n      share: true\n      share_url: /sharing/\n"
            "      show_code: above\nmarkdown_extensions: [pymdownx.superfences]\n",
            "docs/index.md": "# Page\n\n" + "".join(f"```stlite {attrs}\n{APP}```\n\n" for _, attrs, _ in BLOCKS),
            "docs/lines.md": "# Page\n\n" + "".join(f"```stlite\n{lines}{APP}```\n\n" for _, _, lines in BLOCKS),
        },
    )
    sphinx = sphinx_build(sphinx_src, tmp_path / "s-out", "html", "-W")
    mkdocs = mkdocs_build(mk, tmp_path / "m-out", "--strict")
    assert sphinx.returncode == 0 and mkdocs.returncode == 0, sphinx.output + mkdocs.output
    pages = [sphinx.page("index.html"), sphinx.page("myst.html"), mkdocs.page("index.html"), mkdocs.page("lines/index.html")]
    specs = [[(m.spec["showCode"], m.spec["editable"], m.spec["shareUrl"]) for m in scan(page).mounts] for page in pages]
    assert specs[0] == [("tabs", False, "/sharing/"), ("below", True, "/sharing/"), ("above", False, None)]
    assert all(found == specs[0] for found in specs), specs
    figures = [FIGURE.findall(page) for page in pages]
    assert len(figures[0]) == 3 and all(found == figures[0] for found in figures)


def test_mistakes_are_located_in_sphinx_and_mkdocs(tmp_path):
    body = "#| show-code: tab\n#| editable: sometimes\n" + APP
    sphinx_src = _write(
        tmp_path / "sphinx",
        {
            "conf.py": 'extensions = ["stlite_docs"]\n',
            "index.rst": "Page\n====\n\n.. stlite::\n   :editable:\n   :show-code: none\n\n   import streamlit as st\n\n"
            ".. stlite::\n\n   " + body.replace("\n", "\n   ").rstrip() + "\n",
        },
    )
    mk = _write(
        tmp_path / "mk",
        {
            "mkdocs.yml": "site_name: x\nplugins: [stlite]\nmarkdown_extensions: [pymdownx.superfences]\n",
            "docs/index.md": f'# Page\n\n```stlite editable="true" show_code="none"\n{APP}```\n\n```stlite\n{body}```\n',
        },
    )

    sphinx = sphinx_build(sphinx_src, tmp_path / "s-out")
    mkdocs = mkdocs_build(mk, tmp_path / "m-out")
    assert sphinx.returncode == 0 and mkdocs.returncode == 0, sphinx.output + mkdocs.output
    expected = [
        (4, 3, "option 'editable' shows the code in an editor, but 'show-code' is none"),
        (12, 9, "option 'show-code' must be one of none, above, below, left, right, tabs; got 'tab' (did you mean 'tabs'?)"),
        (13, 10, "option 'editable' must be true or false; got 'sometimes'"),
    ]
    for rst_line, md_line, message in expected:
        assert re.search(rf"index\.rst:{rst_line}: WARNING: {re.escape(message)}.*\[stlite\.option\]", sphinx.output), (
            sphinx.output
        )
        assert re.search(rf"docs/index\.md:{md_line}: {re.escape(message)}.*\[stlite\.option\]", mkdocs.output), mkdocs.output
    for page in (sphinx.page("index.html"), mkdocs.page("index.html")):
        found = scan(page)
        assert len(found.invalid) == 2 and not found.mounts  # each shows its code with the notice
    strict = mkdocs_build(mk, tmp_path / "strict", "--strict")
    assert strict.returncode != 0

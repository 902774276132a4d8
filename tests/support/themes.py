"""The docs themes readers use, each built by its real tool from one source (tests/browser/themes).

Used by the layout tests (tests/browser/test_layout.py) and by ``scripts/gallery``. Every site
has the same pages: ``states`` (apps in every kind: plain, with a preview, with their code in
tabs, editable, waiting for a click), ``paused`` (a budget of one live app, so the second app
waits paused) and ``showcase`` (one app as a real docs page has it, for pictures). Sphinx
themes share one reST source (``-D html_theme=``); the MkDocs themes,
ProperDocs' and Zensical's share one Markdown source with a ``mkdocs.yml`` written per theme.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from support.builds import ZENSICAL_ASSETS, mkdocs_build, sphinx_build, stlite_docs, zensical_build

SOURCES = Path(__file__).resolve().parents[1] / "browser" / "themes"
#: The preview picture of the app with ``preview: poster.png`` (made here, not committed).
POSTER_SIZE = (704, 300)


#: Why a theme's site has no paused app: under Zensical the Markdown extension never sees a page's
#: front matter, so the paused page's budget of one live app does not apply there.
FRONT_MATTER_IGNORED = "Zensical 0.0.73 does not hand a page's front matter (stlite: max_live_apps) to the extension"


@dataclass(frozen=True)
class Theme:
    name: str
    tool: str  # "sphinx" | "mkdocs" | "zensical"
    #: Sphinx: the html_theme; MkDocs and Zensical: the ``theme:`` block of mkdocs.yml
    config: str
    #: the scheme the page shows: "light", "dark", or "system" (its CSS follows the reader's)
    scheme: str
    #: how a reader switches the page to dark, as (element, attribute, value), or None for a
    #: light-only theme
    dark_toggle: tuple[str, str, str] | None = None

    def page(self, name: str) -> str:
        """The URL path of a page, relative to the site root: ``states``, ``paused``, ``showcase``."""
        if self.tool == "sphinx":
            return "index.html" if name == "states" else f"{name}.html"
        return "" if name == "states" else f"{name}/"


_OFFLINE_FONTS = "  font: false  # offline: no Google Fonts\n"
#: Material's and Zensical's light/dark toggle, as most sites have it (without a palette, the
#: theme loads no dark colours at all).
_TOGGLE = """  palette:
    - scheme: default
      toggle: {icon: material/brightness-7, name: Dark mode}
    - scheme: slate
      toggle: {icon: material/brightness-4, name: Light mode}
"""
_MATERIAL = "  name: material\n" + _OFFLINE_FONTS
THEMES = {
    theme.name: theme
    for theme in [
        Theme("material", "mkdocs", _MATERIAL + _TOGGLE, "light", ("body", "data-md-color-scheme", "slate")),
        Theme(
            "material-slate",
            "mkdocs",
            _MATERIAL + "  palette:\n    scheme: slate\n",
            "dark",
            ("body", "data-md-color-scheme", "slate"),
        ),
        Theme("zensical", "zensical", _OFFLINE_FONTS + _TOGGLE, "light", ("body", "data-md-color-scheme", "slate")),
        # highlight.js comes from a CDN in these two: off, the tests run offline.
        Theme("mkdocs", "mkdocs", "  name: mkdocs\n  highlightjs: false\n", "light", ("html", "data-bs-theme", "dark")),
        Theme("readthedocs", "mkdocs", "  name: readthedocs\n  highlightjs: false\n", "light"),
        Theme("alabaster", "sphinx", "alabaster", "light"),
        Theme("furo", "sphinx", "furo", "system", ("body", "data-theme", "dark")),
        Theme("pydata", "sphinx", "pydata_sphinx_theme", "system", ("html", "data-theme", "dark")),
        Theme("rtd", "sphinx", "sphinx_rtd_theme", "light"),
        Theme("book", "sphinx", "sphinx_book_theme", "system", ("html", "data-theme", "dark")),
    ]
}


def make_poster(path: Path) -> None:
    """A picture that looks like a small Streamlit app: the preview of the app that has one."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", POSTER_SIZE, "#f0f2f6")
    draw = ImageDraw.Draw(image)
    draw.rectangle([24, 24, 330, 56], fill="#31333f")  # a title
    draw.rectangle([24, 90, POSTER_SIZE[0] - 24, 96], fill="#d5dae5")  # a slider's track
    draw.rectangle([24, 90, 260, 96], fill="#ff4b4b")
    draw.ellipse([252, 84, 268, 100], fill="#ff4b4b")
    draw.rectangle([24, 130, 420, 146], fill="#808495")  # a line of text
    image.save(path)


def _mkdocs_yml(theme: Theme, stlite_url: str, pyodide_url: str | None) -> str:
    settings = f"      stlite_url: {stlite_url}\n" + (f"      pyodide_url: {pyodide_url}\n" if pyodide_url else "")
    head = f"site_name: stlite-docs example ({theme.name})\ntheme:\n{theme.config}nav:\n  - index.md\n  - paused.md\n  - showcase.md\n"
    if theme.tool == "zensical":
        # No plugins there: the extension takes the settings. Nor front matter: the states
        # page's budget is the site's (see FRONT_MATTER_IGNORED).
        settings += "      max_live_apps: 6\n      concurrency: 5\n"
        return head + "markdown_extensions:\n  - pymdownx.superfences\n  - stlite_docs.markdown:\n" + settings + ZENSICAL_ASSETS
    return head + "plugins:\n  - search\n  - stlite:\n" + settings + "markdown_extensions:\n  - pymdownx.superfences\n"


def build_theme_site(theme: Theme, dest: Path, stlite_url: str, pyodide_url: str | None = None) -> Path:
    """Build ``theme``'s site below ``dest`` with the real tool; return the site's folder."""
    dest.mkdir(parents=True, exist_ok=True)
    if theme.tool == "sphinx":
        src = dest / "src"
        shutil.copytree(SOURCES / "sphinx", src, dirs_exist_ok=True)
        make_poster(src / "poster.png")
        extra = ["-D", f"html_theme={theme.config}", "-D", f"stlite_docs_stlite_url={stlite_url}"]
        if pyodide_url:
            extra += ["-D", f"stlite_docs_pyodide_url={pyodide_url}"]
        build = sphinx_build(src, dest / "html", "html", "-W", *extra)
    else:
        project = dest / "project"
        shutil.copytree(SOURCES / "markdown", project, dirs_exist_ok=True)
        make_poster(project / "docs" / "poster.png")
        (project / "mkdocs.yml").write_text(_mkdocs_yml(theme, stlite_url, pyodide_url))
        if theme.tool == "zensical":
            assets = stlite_docs("assets", "docs/assets", cwd=project)
            assert assets.returncode == 0, assets.stderr
            build = zensical_build(project, "--clean")
        else:
            build = mkdocs_build(project, dest / "site", "--strict")
    if build.returncode != 0 or "[stlite." in build.output:
        raise RuntimeError(f"the {theme.name} site did not build:\n{build.output}")
    return build.outdir

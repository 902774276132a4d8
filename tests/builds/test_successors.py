"""Real builds with MkDocs' successors, Zensical and ProperDocs, from one mkdocs.yml.

The project is the Material test project made ready for Zensical the documented way: the
``stlite_docs.markdown`` extension under ``markdown_extensions``, the loader and its CSS put
into ``docs/assets`` by ``stlite-docs assets`` and listed in ``extra_javascript``/``extra_css``.
The MkDocs build of the same files is the reference every other build is compared to.
"""

from __future__ import annotations

import posixpath
import re
import shutil
from pathlib import Path

import pytest

from stlite_docs import __version__
from stlite_docs.core.assets import asset_files
from support.bad_input import EXPECTED_BAD
from support.builds import ZENSICAL_ASSETS, copy_root, mkdocs_build, properdocs_build, stlite_docs, zensical_build
from support.html import scan

ZENSICAL_TOML = """\
[project]
site_name = "Zensical build test"
extra_javascript = [{ path = "assets/stlite-docs/loader.js", type = "module" }]
extra_css = ["assets/stlite-docs/stlite-docs.css"]

[project.theme]
variant = "classic"

[project.markdown_extensions.admonition]
[project.markdown_extensions.attr_list]
[project.markdown_extensions.pymdownx.details]
[project.markdown_extensions.pymdownx.superfences]
[project.markdown_extensions.pymdownx.tabbed]
alternate_style = true
[project.markdown_extensions.stlite_docs]
height = "auto"
"""


def make_ready(project: Path, extension: str = "  - stlite_docs.markdown\n") -> Path:
    """The documented Zensical setup, added to a MkDocs project; returns it."""
    config = project / "mkdocs.yml"
    text = config.read_text()
    if "markdown_extensions:\n" not in text:
        text += "markdown_extensions:\n"
    text = text.replace("markdown_extensions:\n", "markdown_extensions:\n" + extension, 1)
    config.write_text(text + ZENSICAL_ASSETS)
    result = stlite_docs("assets", "docs/assets", cwd=project)
    assert result.returncode == 0, result.stderr
    return project


def _resolve(page: str, url: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), url.split("?")[0]))


def _content_spec(build, page: str, spec: dict) -> dict:
    """The spec with every file as its bytes, wherever the build put them: MkDocs inlines an
    entry file and publishes attachments; Zensical fetches both from its copy of docs_dir."""
    files = {}
    for path, entry in spec["files"].items():
        if "url" in entry:
            files[path] = (build.outdir / _resolve(page, entry["url"])).read_bytes()
        else:
            files[path] = entry["text"].encode()
    return {**spec, "files": files}


PAGES = ("index.html", "guide/nested/index.html", "plain/index.html")


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("successors")
    project = make_ready(copy_root("mkdocs-material", tmp))
    shutil.copy(project / "mkdocs.yml", project / "properdocs.yml")
    result = {
        "mkdocs": mkdocs_build(project, tmp / "mkdocs-site", "--strict"),
        "properdocs": properdocs_build(project, tmp / "properdocs-site", "--strict"),
        "zensical": zensical_build(project, "--clean"),
    }
    for name, build in result.items():
        assert build.returncode == 0, f"{name}:\n{build.output}"
    return result


@pytest.mark.parametrize("tool", ["properdocs", "zensical"])
def test_same_apps_as_the_mkdocs_build(builds, tool):
    reference = builds["mkdocs"]
    for page in PAGES:
        expected = scan(reference.page(page)).mounts
        found = scan(builds[tool].page(page)).mounts
        assert [m.caption for m in found] == [m.caption for m in expected], page
        for mine, theirs in zip(found, expected, strict=False):
            assert _content_spec(builds[tool], page, mine.spec) == _content_spec(reference, page, theirs.spec)
    captions = [m.caption for m in scan(builds[tool].page("index.html")).mounts]
    assert captions == [
        "Top level",
        "In an admonition",
        "In the first tab",
        "In the second tab",
        "In closed details",
        "In a list",
    ]


def test_properdocs_pages_are_the_mkdocs_pages(builds):
    figure = re.compile(r'<figure class="stlite-docs".*?</figure>', re.S)
    for page in PAGES:
        assert figure.findall(builds["properdocs"].page(page)) == figure.findall(builds["mkdocs"].page(page))


def test_inline_apps_are_byte_identical_in_zensical(builds):
    figure = re.compile(r'<figure class="stlite-docs".*?</figure>', re.S)
    inline = lambda html: [f for f in figure.findall(html) if '"url"' not in f]  # noqa: E731
    zensical, mkdocs = builds["zensical"].page("index.html"), builds["mkdocs"].page("index.html")
    assert len(inline(zensical)) == 5 and inline(zensical) == inline(mkdocs)


@pytest.mark.parametrize("tool", ["mkdocs", "properdocs", "zensical"])
def test_loader_and_css_once_per_page_with_working_urls(builds, tool):
    build = builds[tool]
    for page in PAGES:
        found = scan(build.page(page))
        loaders = [s for s in found.scripts if "stlite-docs/loader.js" in s.get("src", "")]
        assert len(loaders) == 1, (page, loaders)  # never twice: the plugin leaves it to the theme
        assert loaders[0]["type"] == "module"
        assert (build.outdir / _resolve(page, loaders[0]["src"])).read_bytes() == (
            build.srcdir / "assets/stlite-docs/loader.js"
        ).read_bytes()
        [css] = [link for link in found.links if "stlite-docs/stlite-docs.css" in link.get("href", "")]
        assert (build.outdir / _resolve(page, css["href"])).is_file()


def test_zensical_build_never_writes_into_docs(builds):
    docs = builds["zensical"].srcdir
    assert sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file()) == sorted(
        ["index.md", "plain.md", "guide/nested.md", "apps/counter.py", "data/table.csv"]
        + [f"assets/{rel}" for rel, _ in asset_files()]
    )


def test_zensical_serves_app_files_fresh_despite_its_page_cache(tmp_path):
    """Zensical re-renders a page only when the page changes; the app file is fetched from
    its copy in the site, which every build refreshes."""
    project = make_ready(copy_root("mkdocs-material", tmp_path))
    assert zensical_build(project, "--clean").returncode == 0
    app = project / "docs" / "apps" / "counter.py"
    app.write_text(app.read_text().replace("count * 2", "count * 9"))
    build = zensical_build(project)  # no --clean: the page comes from Zensical's cache
    assert build.returncode == 0, build.output
    second = next(m for m in scan(build.page("index.html")).mounts if m.caption == "In the second tab")
    served = build.outdir / _resolve("index.html", second.spec["files"]["counter.py"]["url"])
    assert "count * 9" in served.read_text()


def test_zensical_toml_gives_the_same_apps(builds, tmp_path):
    project = copy_root("mkdocs-material", tmp_path)
    (project / "mkdocs.yml").unlink()
    (project / "zensical.toml").write_text(ZENSICAL_TOML)
    assert stlite_docs("assets", "docs/assets", cwd=project).returncode == 0
    build = zensical_build(project, "--clean", config="zensical.toml")
    assert build.returncode == 0, build.output
    assert "stlite." not in build.output, build.output
    for page in PAGES:
        found = [_content_spec(build, page, m.spec) for m in scan(build.page(page)).mounts]
        expected = [_content_spec(builds["zensical"], page, m.spec) for m in scan(builds["zensical"].page(page)).mounts]
        assert found == expected


def test_zensical_bad_input_is_located(tmp_path):
    project = make_ready(copy_root("mkdocs-bad", tmp_path))
    build = zensical_build(project, "--clean")
    assert build.returncode == 0, build.output
    messages = [line for line in build.output.splitlines() if "[stlite." in line]
    for line, fragment, kind in EXPECTED_BAD:
        where = f"docs/index.md:{line}: " if line else f"{(project / 'docs' / 'apps' / 'broken.py').resolve()}:3: "
        matches = [m for m in messages if m.startswith(where) and fragment in m and m.endswith(f"[stlite.{kind}]")]
        assert len(matches) == 1, f"{where}{fragment}\n" + "\n".join(messages)
    assert len(messages) == len(EXPECTED_BAD), "\n".join(messages)
    found = scan(build.page("index.html"))
    assert len(found.invalid) == 7 and len(found.mounts) == 1


def test_properdocs_strict_fails_on_bad_input(tmp_path):
    project = copy_root("mkdocs-bad", tmp_path)
    # ProperDocs ships no theme of its own: the Material theme is what its users have.
    (project / "properdocs.yml").write_text((project / "mkdocs.yml").read_text() + "theme: {name: material}\n")
    (project / "mkdocs.yml").unlink()
    lenient = properdocs_build(project, tmp_path / "site")
    assert lenient.returncode == 0, lenient.output
    assert "docs/index.md:3: unknown option 'heigth'" in lenient.output
    assert properdocs_build(project, tmp_path / "strict", "--strict").returncode != 0


def test_zensical_says_when_the_loader_setup_is_missing(tmp_path):
    project = copy_root("mkdocs-material", tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("markdown_extensions:\n", "markdown_extensions:\n  - stlite_docs.markdown\n"))
    build = zensical_build(project, "--clean")
    assert build.returncode == 0
    lines = [line for line in build.output.splitlines() if "[stlite.assets]" in line]
    # one message per page with apps, located at the page; none for the page without apps
    assert sorted(line.split(":", 1)[0] for line in lines) == ["docs/guide/nested.md", "docs/index.md"], lines
    assert all("run `stlite-docs assets docs/assets`" in line for line in lines), lines


def test_zensical_says_when_the_loader_copy_is_stale(tmp_path):
    project = make_ready(copy_root("mkdocs-material", tmp_path))
    loader = project / "docs" / "assets" / "stlite-docs" / "loader.js"
    loader.write_text(loader.read_text().replace(f'VERSION = "{__version__}"', 'VERSION = "0.0.1"'))
    check = stlite_docs("assets", "docs/assets", "--check", cwd=project)
    assert check.returncode == 1 and "stlite-docs/loader.js" in check.stderr
    build = zensical_build(project, "--clean")
    stale = [line for line in build.output.splitlines() if "[stlite.assets]" in line]
    assert len(stale) == 2 and all(
        f"docs/assets/stlite-docs/loader.js is the loader of stlite-docs 0.0.1, but this build is {__version__}: "
        "run `stlite-docs assets docs/assets` again" in line
        for line in stale
    ), stale
    assert stlite_docs("assets", "docs/assets", cwd=project).returncode == 0
    assert stlite_docs("assets", "docs/assets", "--check", cwd=project).returncode == 0
    build = zensical_build(project, "--clean")
    assert "[stlite." not in build.output, build.output


@pytest.mark.parametrize("tool", ["mkdocs", "properdocs"])
def test_the_plugin_takes_its_settings_from_the_extension_entry(tmp_path, tool):
    """One mkdocs.yml for every tool: settings written once, under the extension."""
    project = make_ready(
        copy_root("mkdocs-plain", tmp_path), "  - stlite_docs.markdown:\n      load: click\n      requirements: [rich]\n"
    )
    (project / "mkdocs.yml").write_text((project / "mkdocs.yml").read_text() + "theme: {name: material}\n")
    if tool == "mkdocs":
        build = mkdocs_build(project, tmp_path / "site", "--strict")
    else:  # ProperDocs still reads a mkdocs.yml
        build = properdocs_build(project, tmp_path / "site", "--strict", config="mkdocs.yml")
    assert build.returncode == 0, build.output
    [index] = scan(build.page("index.html")).mounts
    assert (index.spec["load"], index.spec["requirements"]) == ("click", ["rich"])


@pytest.mark.parametrize(
    "entry, message",
    [
        (
            "  - stlite_docs.markdown:\n      height: 500px\n",
            "'height' is set both as a plugin option ('300px') and under markdown_extensions: stlite_docs.markdown ('500px')",
        ),
        ("  - stlite_docs:\n      heigth: 500px\n", "stlite_docs.markdown: unknown option 'heigth' (did you mean 'height'?)"),
    ],
)
def test_settings_in_two_places_or_unknown_fail_the_build(tmp_path, entry, message):
    project = make_ready(copy_root("mkdocs-plain", tmp_path), entry)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - stlite\n", "  - stlite:\n      height: 300px\n"))
    build = mkdocs_build(project, tmp_path / "site")
    assert build.returncode != 0 and message in build.output, build.output

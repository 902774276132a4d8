"""An offline link checker for a built site: every internal link and anchor must resolve.

``broken_links(site)`` reads every ``.html`` file below ``site``, collects the ids each page
defines, and checks every ``href``/``src`` that stays inside the site: the file must exist
(a folder URL means its ``index.html``) and a ``#fragment`` must be an id of the target page.
Links with a scheme (``https:``, ``mailto:``...) or starting with ``//`` are external and not
followed: the checker needs no network.
"""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

_LINK_ATTRS = {("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"), ("iframe", "src")}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)
            elif (tag, name) in _LINK_ATTRS:
                self.links.append(value)


def _read(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def broken_links(site: Path) -> list[str]:
    """``"page.html: href (why)"`` for every internal link of the site that does not resolve."""
    pages = {p.relative_to(site).as_posix(): _read(p) for p in sorted(site.rglob("*.html"))}
    problems = []
    for name, page in pages.items():
        for href in page.links:
            parts = urlsplit(href)
            if parts.scheme or href.startswith("//"):
                continue  # external: not checked offline
            if parts.path:
                target = posixpath.normpath(posixpath.join(posixpath.dirname(name), unquote(parts.path)))
                if href.split("#")[0].split("?")[0].endswith("/") or (site / target).is_dir():
                    target = posixpath.normpath(posixpath.join(target, "index.html"))
            else:
                target = name  # "#anchor" on the same page
            if target.startswith("../") or not (site / target).is_file():
                problems.append(f"{name}: {href} (no file {target})")
                continue
            fragment = unquote(parts.fragment)
            if fragment and target in pages and fragment not in pages[target].ids:
                problems.append(f"{name}: {href} (no id {fragment!r} in {target})")
    return problems

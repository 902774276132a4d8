"""Read mount points back out of built HTML, the way a browser would."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Mount:
    attrs: dict[str, str]
    spec: dict | None = None
    spec_text: str = ""
    source_text: str = ""
    caption: str | None = None


@dataclass
class _Scan(HTMLParser):
    mounts: list = field(default_factory=list)
    scripts: list = field(default_factory=list)  # (attrs) of every <script>
    links: list = field(default_factory=list)  # (attrs) of every <link>
    invalid: list = field(default_factory=list)  # text of every .stlite-docs-invalid

    def __post_init__(self):
        super().__init__(convert_charrefs=True)
        self._stack: list[tuple[str, dict]] = []
        self._in_spec = self._in_source = self._in_caption = False
        self._invalid_depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        classes = attrs.get("class", "").split()
        if tag == "script":
            self.scripts.append(attrs)
        if tag == "link":
            self.links.append(attrs)
        if "data-stlite-docs" in attrs:
            self.mounts.append(Mount(attrs))
        if "stlite-docs-invalid" in classes:
            self.invalid.append("")
            self._invalid_depth = 1
        elif self._invalid_depth and tag not in ("br", "img", "input", "meta", "link"):
            self._invalid_depth += 1
        if self.mounts and tag == "script" and "stlite-docs-spec" in classes:
            self._in_spec = True
        if self.mounts and "stlite-docs-source" in classes:
            self._in_source = True
        if self.mounts and tag == "figcaption":
            self._in_caption = True
            self.mounts[-1].caption = ""

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_spec = False
        if tag == "pre":
            self._in_source = False
        if tag == "figcaption":
            self._in_caption = False
        if self._invalid_depth:
            self._invalid_depth -= 1

    def handle_data(self, data):
        if self._in_spec:
            self.mounts[-1].spec_text += data
        elif self._in_source:
            self.mounts[-1].source_text += data
        elif self._in_caption:
            self.mounts[-1].caption += data
        if self._invalid_depth:
            self.invalid[-1] += data


def scan(html: str) -> _Scan:
    parser = _Scan()
    parser.feed(html)
    parser.close()
    for mount in parser.mounts:
        wrapped = json.loads(mount.spec_text)  # [spec]: see stlite_docs/render.py
        assert isinstance(wrapped, list) and len(wrapped) == 1, mount.spec_text[:80]
        mount.spec = wrapped[0]
    return parser

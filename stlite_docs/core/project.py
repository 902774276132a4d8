"""The docs project a source file belongs to, read without building it.

``stlite-docs check`` needs what a build would know: the site settings, and where a block's
relative paths start. It finds the nearest project file above the document:

- ``mkdocs.yml`` / ``properdocs.yml`` (MkDocs, ProperDocs, Zensical): paths start at
  ``docs_dir``; settings come from the ``stlite`` plugin's options and the
  ``stlite_docs.markdown`` extension's entry.
- ``zensical.toml``: the same, from ``[project]``.
- ``conf.py`` (Sphinx): paths start at the document's folder (``/`` at the source folder);
  settings are the ``stlite_docs_<name> = <literal>`` assignments (``conf.py`` is read, never
  executed).

Without any, paths start at the document's folder and the settings are the defaults.
"""

from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .app import SourceTree
from .settings import SETTING_DEFAULTS

MKDOCS_FILES = ("mkdocs.yml", "mkdocs.yaml", "properdocs.yml", "properdocs.yaml")
#: How ``markdown_extensions`` may name the Markdown extension (module path, or entry-point name).
EXTENSION_NAMES = ("stlite_docs.markdown", "stlite_docs")


@dataclass(frozen=True)
class Project:
    kind: str  # "mkdocs", "zensical", "sphinx" or "none"
    #: the project file, or None
    config: Path | None
    #: docs_dir (MkDocs, Zensical) or the source folder (Sphinx)
    root: Path | None
    settings: dict[str, Any] = field(default_factory=dict)

    def tree(self, document: Path) -> SourceTree:
        if self.kind in ("mkdocs", "zensical") and self.root is not None:
            return SourceTree(base_dir=self.root, root_dir=self.root)
        return SourceTree(base_dir=document.parent, root_dir=self.root or document.parent)


def find_project(document: Path) -> Project:
    for folder in Path(document).resolve().parents:
        for name in MKDOCS_FILES:
            if (folder / name).is_file():
                return _mkdocs_project(folder / name)
        if (folder / "zensical.toml").is_file():
            return _zensical_project(folder / "zensical.toml")
        if (folder / "conf.py").is_file():
            return Project("sphinx", folder / "conf.py", folder, _conf_settings(folder / "conf.py"))
    return Project("none", None, None)


# ------------------------------------------------------------------ MkDocs-like
class _TolerantLoader(yaml.SafeLoader):
    """YAML as MkDocs reads it, without running anything: ``!ENV`` is resolved, any other
    tag (``!!python/name:...``) becomes its text."""


def _env_tag(loader: yaml.Loader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        items = loader.construct_sequence(node)
        names, default = items[:-1] or items, items[-1] if len(items) > 1 else None
    for name in names:
        if isinstance(name, str) and name in os.environ:
            return yaml.safe_load(os.environ[name])
    return default


def _other_tag(loader: yaml.Loader, suffix: str, node: yaml.Node) -> Any:
    return loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else None


_TolerantLoader.add_constructor("!ENV", _env_tag)
_TolerantLoader.add_multi_constructor("", _other_tag)


def _mkdocs_project(config: Path) -> Project:
    try:
        data = yaml.load(config.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
    except (OSError, yaml.YAMLError):
        data = {}
    settings: dict[str, Any] = {}
    for entry in data.get("plugins") or []:
        if isinstance(entry, dict) and isinstance(entry.get("stlite"), dict):
            settings.update(entry["stlite"])
    for entry in data.get("markdown_extensions") or []:
        if isinstance(entry, dict):
            for name in EXTENSION_NAMES:
                if isinstance(entry.get(name), dict):
                    settings = {**entry[name], **settings}  # the plugin's own options win
    docs = config.parent / str(data.get("docs_dir") or "docs")
    return Project("mkdocs", config, docs.resolve(), _known(settings))


def _zensical_project(config: Path) -> Project:
    try:
        import tomllib
    except ImportError:  # Python 3.10
        return Project("zensical", config, (config.parent / "docs").resolve())
    try:
        data = tomllib.loads(config.read_text(encoding="utf-8")).get("project", {})
    except (OSError, ValueError):
        data = {}
    extensions = data.get("markdown_extensions") or {}
    settings: dict[str, Any] = {}
    for name in ("stlite_docs", "stlite_docs.markdown"):
        entry = extensions.get(name) if isinstance(extensions, dict) else None
        if isinstance(entry, dict):
            settings.update(entry)
    nested = extensions.get("stlite_docs", {}).get("markdown") if isinstance(extensions, dict) else None
    if isinstance(nested, dict):  # [project.markdown_extensions.stlite_docs.markdown]
        settings.update(nested)
    docs = config.parent / str(data.get("docs_dir") or "docs")
    return Project("zensical", config, docs.resolve(), _known(settings))


# ------------------------------------------------------------------ Sphinx
_PREFIX = re.compile(r"^stlite_docs_(?P<name>\w+)$")


def _conf_settings(conf: Path) -> dict[str, Any]:
    try:
        tree = ast.parse(conf.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return {}
    settings: dict[str, Any] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            match = _PREFIX.match(node.targets[0].id)
            if match:
                try:
                    settings[match.group("name")] = ast.literal_eval(node.value)
                except ValueError:
                    pass  # computed in conf.py: the default stands in
    return _known(settings)


def _known(settings: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in settings.items() if name in SETTING_DEFAULTS and value is not None}

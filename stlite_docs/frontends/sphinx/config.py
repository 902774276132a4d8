"""``conf.py`` settings: ``stlite_docs_<name>`` for every name in ``SETTING_DEFAULTS``."""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError

from ...core.session import BuildSession
from ...core.settings import SETTING_DEFAULTS, SettingsError, SiteSettings

PREFIX = "stlite_docs_"
MYST_FENCE = "stlite"
#: The Sphinx application's attributes that hold this build's settings and session.
SETTINGS, SESSION = "_stlite_docs_settings", "_stlite_docs_session"


def add_config_values(app: Sphinx) -> None:
    for name, default in SETTING_DEFAULTS.items():
        # "env": a change re-reads every document, since settings end up in every app spec.
        app.add_config_value(PREFIX + name, default, "env", types=frozenset())


def validate_config(app: Sphinx, config: Config) -> None:
    """On ``config-inited``: validate once, and let plain ```stlite fences work in MyST."""
    raw = {name: getattr(config, PREFIX + name) for name in SETTING_DEFAULTS}
    try:
        # previews_dir is relative to conf.py
        setattr(app, SETTINGS, SiteSettings.from_raw(raw, prefix=PREFIX).anchored(app.confdir))
    except SettingsError as exc:
        raise ConfigError(f"stlite-docs: {exc}") from None
    _enable_myst_fence(config)


def site_settings(app: Sphinx) -> SiteSettings:
    return getattr(app, SETTINGS)


def build_session(app: Sphinx) -> BuildSession:
    return getattr(app, SESSION)


def _enable_myst_fence(config: Config) -> None:
    """Add ``stlite`` to ``myst_fence_as_directive`` when MyST is in use, keeping whatever
    the user listed there."""
    if "myst_parser" not in config.extensions or not hasattr(config, "myst_fence_as_directive"):
        return
    current = config.myst_fence_as_directive or []
    if MYST_FENCE not in current:
        config.myst_fence_as_directive = [*current, MYST_FENCE]

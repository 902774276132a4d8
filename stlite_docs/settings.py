"""Site-wide settings, shared by every front-end.

Sphinx reads them from ``conf.py`` (``stlite_docs_<name>``), MkDocs from the plugin's options;
both hand the raw values to ``SiteSettings.from_raw`` so validation and defaults live here once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .options import normalize_check, normalize_height, normalize_load, normalize_requirements, normalize_timeout
from .problems import BlockError
from .runtime import DEFAULT_STLITE_URL, folder_url

#: name -> default; the documented setting names (conf.py adds the ``stlite_docs_`` prefix).
SETTING_DEFAULTS: dict[str, Any] = {
    "requirements": [],
    "height": "auto",
    "load": "lazy",
    "stlite_url": DEFAULT_STLITE_URL,
    "pyodide_url": None,
    "check": "syntax",
    "check_timeout": 60,
}


class SettingsError(ValueError):
    """A site setting is invalid; front-ends turn this into their own config error."""


@dataclass(frozen=True)
class SiteSettings:
    requirements: list[str] = field(default_factory=list)
    height: str = "auto"
    load: str = "lazy"
    stlite_url: str = DEFAULT_STLITE_URL
    pyodide_url: str | None = None
    #: the build-time check every block gets unless it sets its own ``check``
    check: str = "syntax"
    #: seconds an app's first headless run may take (``check: run``)
    check_timeout: float = 60.0

    @classmethod
    def from_raw(cls, raw: dict[str, Any], prefix: str = "") -> SiteSettings:
        """Validate raw values; ``prefix`` is how the front-end spells the names in errors."""
        values = dict(SETTING_DEFAULTS)
        values.update({k: v for k, v in raw.items() if v is not None})
        try:
            requirements = normalize_requirements(prefix + "requirements", values["requirements"])
        except BlockError as exc:
            message = exc.problem.message
            if exc.problem.kind == "requirement":  # it names the requirement, not the setting
                message = f"{prefix}requirements: {message}"
            raise SettingsError(message) from None
        try:
            return cls(
                requirements=requirements,
                height=normalize_height(prefix + "height", values["height"]),
                load=normalize_load(prefix + "load", values["load"]),
                stlite_url=folder_url(_location(prefix + "stlite_url", values["stlite_url"])),
                pyodide_url=(
                    _location(prefix + "pyodide_url", values["pyodide_url"])
                    if values["pyodide_url"] is not None else None
                ),
                check=normalize_check(prefix + "check", values["check"]),
                check_timeout=normalize_timeout(prefix + "check_timeout", values["check_timeout"]),
            )
        except BlockError as exc:
            raise SettingsError(exc.problem.message) from None


def _location(name: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SettingsError(f"{name} must be a URL or a path from the site root, got {value!r}")
    return value.strip()

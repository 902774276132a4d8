"""The normalizers of the block options and site settings (``settings.SCHEMA`` says which is whose).

Every option arrives either as a string (a reST directive option, a Markdown fence attribute)
or as a YAML value (a ``#| key: value`` line). Each normalizer accepts both forms and returns
the canonical value, or raises ``BlockError`` with a message that says what was expected.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from typing import Any

import yaml
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from ..runtime import folder_url
from .problems import BlockError

LOAD_MODES = ("lazy", "eager", "click")
#: The app's Streamlit theme: follow the host page (and the reader's toggle), or force one.
THEMES = ("auto", "light", "dark")
#: Where a page's apps run: each in its own iframe, worker and Python (``isolated``), or all
#: in the page itself, sharing one Python through stlite's SharedWorker (``shared``).
RUNTIMES = ("isolated", "shared")
#: Build-time checks, each including the ones before it (see ``stlite_docs.check``).
CHECK_LEVELS = ("off", "syntax", "imports", "run")
#: Where the app's code is shown once the app runs: nowhere (the app replaces its listing), above
#: or below the app, left or right of it (above it in a box narrower than about 900 px), or in
#: App / Code tabs.
SHOW_CODE = ("none", "above", "below", "left", "right", "tabs")

# A CSS length the iframe box can use. Percentages are refused: a percentage height inside a
# box whose own height is automatic collapses to nothing.
_LENGTH = re.compile(r"^(?:\d+(?:\.\d+)?|\.\d+)(?:px|em|rem|vh|svh|lvh|dvh|ex|ch|cm|mm|in|pt|pc)?$")
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_CONFIG_KEY = re.compile(r"^[a-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)+$")
#: Streamlit's config sections (``streamlit config show``). A typo in a section is an error;
#: option names inside a section are left to Streamlit, which warns about unknown ones itself.
CONFIG_SECTIONS = frozenset(
    {
        "global",
        "logger",
        "client",
        "runner",
        "server",
        "browser",
        "mapbox",
        "ui",
        "magic",
        "theme",
        "secrets",
        "deprecation",
        "dataFrameSerialization",
    }
)


def _text(key: str, value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise BlockError("option", f"option '{key}' takes a text value, not {_kind(value)}")
    return str(value).strip()


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", bool: "true/false", type(None): "nothing"}.get(type(value), type(value).__name__)


# --------------------------------------------------------------------------- requirements
def split_requirements(text: str) -> list[str]:
    """Split ``"numpy, pandas>=2,<3, rich[jupyter,pygments]"`` into requirement strings.

    Commas separate requirements, except inside brackets (extras) and before a version
    clause (``>=2,<3``), so authors can write the natural comma-separated list. Newlines
    always separate.
    """
    items: list[str] = []
    for line in text.splitlines():
        current, depth = "", 0
        for i, ch in enumerate(line):
            if ch in "[(":
                depth += 1
            elif ch in "])":
                depth -= 1
            if ch == "," and depth == 0 and not re.match(r"\s*[<>=!~]", line[i + 1 :]):
                items.append(current)
                current = ""
            else:
                current += ch
        items.append(current)
    return [item.strip() for item in items if item.strip()]


def normalize_requirements(key: str, value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        raw = split_requirements(value)
    elif isinstance(value, list):
        raw = [_text(key, item) for item in value]
    else:
        raise BlockError("option", f"option '{key}' takes a list of requirements, not {_kind(value)}")
    result = []
    for spec in raw:
        try:
            project_name(spec)
        except InvalidRequirement as exc:
            reason = str(exc).splitlines()[0]  # packaging adds a caret diagram below
            raise BlockError("requirement", f"invalid requirement {spec!r}: {reason}") from None
        result.append(spec)
    return result


@lru_cache(maxsize=1024)
def project_name(spec: str) -> str:
    """The canonical project name of a requirement; raises ``InvalidRequirement``.

    Cached: a site names the same few requirements in block after block, and each is
    validated, then read again to merge it with the site's (packaging's parser is pure
    Python, about 30 µs a requirement). An invalid one raises each time: errors are not cached."""
    return str(canonicalize_name(Requirement(spec).name))


def merge_requirements(site: list[str], block: list[str]) -> list[str]:
    """Site-wide requirements first, then the block's; a block entry replaces a site entry
    for the same project, so a block can pin a different version."""
    block_names = {project_name(r) for r in block}
    merged = [r for r in site if project_name(r) not in block_names]
    for req in block:
        if req not in merged:
            merged.append(req)
    return merged


# --------------------------------------------------------------------------- simple values
def normalize_height(key: str, value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value > 0:
        # The same text a directive string of that number gives: no exponent, no lossy rounding.
        return format(Decimal(repr(value)), "f").rstrip("0").rstrip(".") + "px" if isinstance(value, float) else f"{value}px"
    text = _text(key, value).lower()
    if text == "auto":
        return "auto"
    if _LENGTH.match(text) and float(re.match(r"[\d.]+", text).group()) > 0:
        return text + "px" if text[-1].isdigit() else text
    raise BlockError(
        "option", f"option '{key}' must be 'auto' or a positive CSS length such as 400px, 30em or 60vh; got {value!r}"
    )


def normalize_max_height(key: str, value: Any) -> str:
    """The tallest a ``height: auto`` frame grows before the app scrolls inside it: a positive
    CSS length (``80vh``, ``600px``; a bare number is px), or ``none`` (no limit)."""
    if isinstance(value, str) and value.strip().lower() == "none":
        return "none"
    try:
        length = normalize_height(key, value)
    except BlockError:
        length = "auto"
    if length == "auto":
        raise BlockError(
            "option", f"option '{key}' must be 'none' or a positive CSS length such as 600px, 40em or 80vh; got {value!r}"
        )
    return length


def _one_of(key: str, value: Any, choices: tuple[str, ...], hint: bool = False) -> str:
    """``value`` as one of ``choices`` (any case), or a BlockError that lists them (and, with
    ``hint``, says which one a misspelling was probably meant to be: only where the choices are
    words apart enough for difflib's guess to help)."""
    text = _text(key, value).lower()
    if text not in choices:
        guess = did_you_mean(text, choices) if hint else ""
        raise BlockError("option", f"option '{key}' must be one of {', '.join(choices)}; got {value!r}{guess}")
    return text


def normalize_load(key: str, value: Any) -> str:
    return _one_of(key, value, LOAD_MODES)


def normalize_theme(key: str, value: Any) -> str:
    return _one_of(key, value, THEMES)


def normalize_show_code(key: str, value: Any) -> str:
    if value is False:  # YAML reads a bare `no`/`off` as false
        return "none"
    return _one_of(key, value, SHOW_CODE, hint=True)


def normalize_runtime(key: str, value: Any) -> str:
    return _one_of(key, value, RUNTIMES)


def normalize_count(key: str, value: Any) -> int:
    """A whole number of at least 1 (how many apps may run, or boot, at once)."""
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    else:
        text = _text(key, value)
        number = int(text) if re.fullmatch(r"\d+", text) else None
    if number is None or number < 1:
        raise BlockError("option", f"option '{key}' must be a whole number of at least 1; got {value!r}")
    return number


def normalize_check(key: str, value: Any) -> str:
    if value is False:  # YAML reads a bare `off` as false
        return "off"
    text = _text(key, value).lower()
    if text not in CHECK_LEVELS:
        raise BlockError("option", f"option '{key}' must be one of {', '.join(CHECK_LEVELS)}; got {value!r}")
    return text


def normalize_timeout(key: str, value: Any) -> float:
    try:
        seconds = float(_text(key, value))
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds > 0):
        raise BlockError("option", f"option '{key}' must be a positive number of seconds; got {value!r}")
    return seconds


#: Where readers' browsers get stlite and Pyodide: a CDN, or copies inside the site.
ASSET_MODES = ("cdn", "self-host")
_SRI = re.compile(r"^sha(?:256|384|512)-[A-Za-z0-9+/]+={0,2}$")
#: The stlite files whose integrity the frame enforces.
INTEGRITY_FILES = ("stlite.js", "stlite.css")


def normalize_assets(key: str, value: Any) -> str:
    text = _text(key, value).lower().replace("_", "-")
    if text == "selfhost":
        text = "self-host"
    if text not in ASSET_MODES:
        raise BlockError("option", f"option '{key}' must be one of {', '.join(ASSET_MODES)}; got {value!r}")
    return text


def normalize_flag(key: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(key, value).lower()
    if text in ("true", "yes", "on", "1"):
        return True
    if text in ("false", "no", "off", "0", ""):
        return False
    raise BlockError("option", f"option '{key}' must be true or false; got {value!r}")


def normalize_share_url(key: str, value: Any) -> str:
    """Where "Open in stlite sharing" links point: an http(s) URL, or a path from the site's
    host (``/sharing/``) for a self-hosted copy. The app goes into the URL's fragment, so the
    URL itself may not have one."""
    text = _text(key, value)
    if not re.match(r"^(?:https?://[^/\s#]+|/)[^\s#]*$", text):
        raise BlockError(
            "option", f"option '{key}' must be an http(s):// URL or a path starting with '/', without '#'; got {value!r}"
        )
    return text


def normalize_switch(key: str, value: Any) -> bool:
    """A block's on/off option: true/false, or written bare (``:editable:``, ``#| editable:``),
    which means on, as a reST flag option does."""
    if value is None or isinstance(value, str) and not value.strip():
        return True
    return normalize_flag(key, value)


def normalize_base_url(key: str, value: Any) -> str:
    """An http(s) or file URL of a folder; it always ends in '/'."""
    text = _text(key, value)
    if not re.match(r"^(?:https?|file)://", text):
        raise BlockError("option", f"option '{key}' must be an http(s):// or file:// URL; got {value!r}")
    return text if text.endswith("/") else text + "/"


def normalize_integrity(key: str, value: Any) -> dict[str, str] | str:
    """``auto`` (the pinned hashes where the pinned stlite is loaded), ``pinned`` (the pinned
    hashes whatever stlite_url is: a mirror of the pinned build), ``off``, or the Subresource
    Integrity of ``stlite.js`` and ``stlite.css`` (``{stlite.js: sha384-...}``)."""
    if isinstance(value, str) and value.strip().lower() in ("auto", "pinned", "off"):
        return value.strip().lower()
    if value is False:
        return "off"
    if isinstance(value, str):
        try:
            value = yaml.safe_load(value)
        except yaml.YAMLError:
            pass
    if not isinstance(value, Mapping) or set(value) != set(INTEGRITY_FILES):
        raise BlockError(
            "option",
            f"option '{key}' must be 'auto', 'pinned', 'off' or a mapping with exactly the keys "
            f"{', '.join(INTEGRITY_FILES)} (Subresource Integrity values such as sha384-...); got {value!r}",
        )
    result = {}
    for name in INTEGRITY_FILES:
        item = value[name]
        if not isinstance(item, str) or not all(_SRI.match(part) for part in item.split()):
            raise BlockError(
                "option", f"option '{key}': {name} must be a Subresource Integrity value such as sha384-<base64>; got {item!r}"
            )
        result[name] = item.strip()
    return result


def normalize_folder_url(key: str, value: Any) -> str:
    """A URL, or a path from the site root, of a folder: it ends in '/'."""
    return folder_url(_location(key, value))


def normalize_optional_url(key: str, value: Any) -> str | None:
    return None if value is None else _location(key, value)


def _location(key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise BlockError("option", f"{key} must be a URL or a path from the site root, got {value!r}")
    return value.strip()


def normalize_optional_folder(key: str, value: Any) -> str | None:
    return None if value is None else normalize_folder(key, value)


def normalize_folder(key: str, value: Any) -> str:
    """The path of a folder (relative to the configuration file)."""
    if not isinstance(value, str) or not value.strip():
        raise BlockError("option", f"{key} must be the path of a folder (relative to the configuration file), got {value!r}")
    return value.strip()


def normalize_caption(key: str, value: Any) -> str:
    text = _text(key, value)
    if not text:
        raise BlockError("option", f"option '{key}' is empty")
    return text


def normalize_name(key: str, value: Any) -> str:
    text = _text(key, value)
    if not _NAME.match(text):
        raise BlockError(
            "option",
            f"option '{key}' must start with a letter and use only letters, digits, '-' and '_' (it becomes the HTML id); got {value!r}",
        )
    return text


# --------------------------------------------------------------------------- config
def normalize_config(key: str, value: Any) -> dict[str, Any]:
    """Streamlit config as flat dotted keys, the form stlite's ``streamlitConfig`` takes.

    Accepts ``{theme.primaryColor: "#f00"}`` and ``{theme: {primaryColor: "#f00"}}``; a
    string is read as YAML, so a directive option can hold the same mapping.
    """
    if isinstance(value, str):
        try:
            value = yaml.safe_load(value) if value.strip() else {}
        except yaml.YAMLError as exc:
            raise BlockError("option", f"option '{key}' is not a YAML mapping: {_yaml_reason(exc)}") from None
    if not isinstance(value, Mapping):
        raise BlockError(
            "option", f"option '{key}' takes a mapping such as {{theme.primaryColor: \"#ff4b4b\"}}, not {_kind(value)}"
        )
    flat: dict[str, Any] = {}
    _flatten(key, value, "", flat)
    for dotted, item in flat.items():
        if not _CONFIG_KEY.match(dotted):
            raise BlockError("option", f"option '{key}': {dotted!r} is not a Streamlit config key such as theme.primaryColor")
        section = dotted.split(".", 1)[0]
        if section not in CONFIG_SECTIONS:
            hint = did_you_mean(section, CONFIG_SECTIONS)
            raise BlockError("option", f"option '{key}': unknown Streamlit config section {section!r}{hint}")
        if not _is_config_value(item):
            raise BlockError("option", f"option '{key}': {dotted} must be a text, number, true/false or a list of those")
    return dict(sorted(flat.items()))


def _flatten(key: str, mapping: Mapping, prefix: str, out: dict[str, Any]) -> None:
    for name, item in mapping.items():
        if not isinstance(name, str):
            raise BlockError("option", f"option '{key}': config keys must be text, got {name!r}")
        dotted = f"{prefix}{name}"
        if isinstance(item, Mapping):
            _flatten(key, item, dotted + ".", out)
        else:
            out[dotted] = item


def _is_config_value(value: Any) -> bool:
    if isinstance(value, list):
        return all(_is_config_scalar(v) for v in value)
    return _is_config_scalar(value)


def _is_config_scalar(value: Any) -> bool:
    # NaN and Infinity (YAML .nan/.inf) have no JSON form: the spec would not parse in the browser.
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, (str, int, bool))


# --------------------------------------------------------------------------- files
def normalize_files(key: str, value: Any) -> dict[str, str]:
    """Files to attach, as ``{path inside the app: path in the source tree}``.

    ``data/iris.csv`` is attached as ``data/iris.csv``; a path that leaves the document's
    folder (``../shared/iris.csv``) or starts at the source root (``/data/iris.csv``) lands
    under its file name. A mapping names the path inside the app explicitly.
    """
    if value is None:
        return {}
    if isinstance(value, str) and value.strip()[:1] in ("[", "{"):  # a YAML list or mapping
        try:
            value = yaml.load(value, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.YAMLError as exc:
            raise BlockError("option", f"option '{key}' is not a YAML list or mapping: {_yaml_reason(exc)}") from None
    if isinstance(value, str):
        value = [part for part in re.split(r"[,\s]+", value) if part]
    if isinstance(value, list):
        pairs = [(_default_app_path(_text(key, item)), _text(key, item)) for item in value]
    elif isinstance(value, Mapping):
        pairs = [(_text(key, app_path), _text(key, src)) for app_path, src in value.items()]
    else:
        raise BlockError("option", f"option '{key}' takes a list of files or a mapping, not {_kind(value)}")
    result: dict[str, str] = {}
    for app_path, src in pairs:
        app_path = check_app_path(app_path)
        if app_path in result:
            raise BlockError("file-path", f"option '{key}' attaches two files as {app_path!r}")
        result[app_path] = src
    return result


def _default_app_path(src: str) -> str:
    parts = src.replace("\\", "/").split("/")
    if src.startswith("/") or ".." in parts:
        return parts[-1]
    return src


def check_app_path(path: str) -> str:
    """Validate a path inside the app's file system; return it normalized."""
    clean = path.strip()
    parts = clean.split("/")
    if not clean or clean.startswith("/") or re.match(r"^[A-Za-z]:", clean) or "\\" in clean:
        raise BlockError("file-path", f"app file path {path!r} must be relative, with '/' separators")
    if ".." in parts:
        raise BlockError("file-path", f"app file path {path!r} must not contain '..'")
    if any(part in ("", ".") for part in parts):
        raise BlockError("file-path", f"app file path {path!r} has an empty or '.' segment")
    return clean


def canonical_key(key: str) -> str:
    """An option's name as ``settings.BLOCK_OPTIONS`` spells it: every option is accepted with
    ``_`` for ``-`` in every syntax (``show_code``, ``max_height``), as site settings spell them."""
    return key.replace("_", "-")


def did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _yaml_reason(exc: yaml.YAMLError) -> str:
    return str(getattr(exc, "problem", None) or exc).strip()

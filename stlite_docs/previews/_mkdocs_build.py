"""``python -m stlite_docs.capture._mkdocs_build TOOL CONFIG OUT STLITE_URL PYODIDE_URL``

An MkDocs (or ProperDocs) build of CONFIG into OUT, with stlite and Pyodide pointed at the given
URLs (when not empty): MkDocs has no command-line override of a plugin option, so the loaded
config is changed before the build, in the plugin's options and in the ``stlite_docs.markdown``
entry alike (the plugin refuses a setting given in both places with different values).
"""

from __future__ import annotations

import importlib
import sys

from ..core.project import EXTENSION_NAMES


def main(tool: str, config_file: str, out: str, stlite_url: str, pyodide_url: str) -> None:
    package = "properdocs" if tool == "properdocs" else "mkdocs"
    load_config = importlib.import_module(f"{package}.config").load_config
    build = importlib.import_module(f"{package}.commands.build").build
    config = load_config(config_file=config_file, site_dir=out)
    if stlite_url:
        overrides = {"stlite_url": stlite_url, "pyodide_url": pyodide_url or None, "stlite_integrity": "off"}
        plugin = config.plugins.get("stlite")
        if plugin is not None:
            plugin.config.update(overrides)
        for name in EXTENSION_NAMES:
            if name in (config.mdx_configs or {}):
                config.mdx_configs[name].update(overrides)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()


if __name__ == "__main__":
    main(*sys.argv[1:6])

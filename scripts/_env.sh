# Shared by scripts/demo and scripts/test: a project virtualenv with stlite-docs installed.
# Sourced, not run. Installs only through the ordinary clients (pip, apt-get, npm).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${STLITE_DOCS_VENV:-$ROOT/.venv}
PY=$VENV/bin/python

ensure_venv() {
  if [ ! -x "$PY" ]; then
    echo "== creating $VENV"
    python3 -m venv "$VENV"
  fi
  echo "== installing stlite-docs and its $1 dependencies"
  "$PY" -m pip install -q --disable-pip-version-check -e "$ROOT[$1]" 2> >(grep -v "WARNING: Location" >&2)
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# The three browser engines of the browser tests (see README, "Browser support"): Debian's
# Chromium and Firefox ESR (both driven by Playwright), and WebKitGTK's WebDriver with
# MiniBrowser (Safari's engine, driven by Selenium) under Xvfb.
ensure_browsers() {
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/bin/firefox-esr ] || missing+=(firefox-esr)
  [ -x /usr/bin/WebKitWebDriver ] || missing+=(webkit2gtk-driver)
  command -v Xvfb >/dev/null || missing+=(xvfb)
  if [ ${#missing[@]} = 0 ]; then return; fi
  echo "== installing Debian ${missing[*]} (browser tests)"
  if ! { as_root apt-get update -qq &&
         as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; }; then
    # Not fatal here: each engine's tests then skip and say why (and fail under CI=true).
    echo "== could not install ${missing[*]}: their browser tests will skip (fail under CI=true)" >&2
  fi
}

# The real @stlite/browser and Pyodide core, for the tests that load the real stlite module.
ensure_npm_tarballs() {
  local cache=$ROOT/.cache/npm
  mkdir -p "$cache"
  if [ ! -f "$cache/stlite-browser-1.9.2.tgz" ] || [ ! -f "$cache/pyodide-0.29.3.tgz" ]; then
    echo "== npm pack @stlite/browser@1.9.2 pyodide@0.29.3"
    (cd "$cache" && npm pack --silent @stlite/browser@1.9.2 pyodide@0.29.3 >/dev/null)
  fi
  export STLITE_DOCS_NPM_CACHE=$cache
}

# TypeScript, pinned, for `tsc --noEmit --checkJs` over the @ts-check browser modules: a check
# only (our browser code ships as written, without a build step), never shipped.
TYPESCRIPT_VERSION=5.9.3
ensure_typescript() {
  local dir=$ROOT/.cache/typescript
  if [ ! -x "$dir/node_modules/.bin/tsc" ] || ! grep -q "\"version\": \"$TYPESCRIPT_VERSION\"" "$dir/node_modules/typescript/package.json"; then
    echo "== npm install typescript@$TYPESCRIPT_VERSION (type check of the browser modules)"
    mkdir -p "$dir"
    (cd "$dir" && npm install --silent --no-audit --no-fund --no-save "typescript@$TYPESCRIPT_VERSION" >/dev/null)
  fi
  TSC=$dir/node_modules/.bin/tsc
}

"""One small browser-driver interface over three engines.

- Chromium: Debian's ``chromium`` through Playwright for Python.
- Firefox: Debian's ``firefox-esr`` through Playwright over WebDriver BiDi (``channel="moz-firefox"``;
  Playwright pinned to 1.64.x: 1.65 cannot open a page in Firefox ESR).
- WebKit (Safari's engine): WebKitGTK's ``WebKitWebDriver`` and ``MiniBrowser`` through Selenium,
  on an Xvfb display this module starts.

The interface is what the browser tests need and what all three can do: open a URL, evaluate a
function in the page or in a same-origin frame, wait for a condition or for text, click, press a
key, and list the resources the page fetched. WebKit's WebDriver has no console or network
events, so everything is observed through the page: ``resources()`` reads Resource Timing
entries of the page and its same-origin frames in every engine (a worker's own fetches are not
among them); ``requests()`` (the network log) and ``console_errors()`` are ``None`` there
("cannot tell"). Frames are addressed by a CSS selector of
the ``<iframe>`` element in the top document, or ``(selector, index)`` for the index-th match.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import threading
import time
import warnings
from pathlib import Path
from typing import Any, Protocol, Union

ENGINES = ("chromium", "firefox", "webkit")

CHROMIUM = Path("/usr/bin/chromium")
FIREFOX = Path("/usr/bin/firefox-esr")
WEBKIT_DRIVER = Path("/usr/bin/WebKitWebDriver")
MINIBROWSER = Path("/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser")
#: As root and offline: no sandbox, and no background traffic to hosts that cannot answer.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
#: Where a test did not say: generous, the machine is shared and has two cores.
DEFAULT_TIMEOUT = 30.0

Frame = Union[str, tuple[str, int], None]


class EngineUnavailable(Exception):
    """The engine cannot start on this machine; the message says why."""


class Driver(Protocol):
    engine: str  # "chromium" | "firefox" | "webkit"
    version: str

    @property
    def url(self) -> str: ...
    def open(self, url: str, until: str = "load") -> None: ...
    def evaluate(self, js: str, arg: Any = None, frame: Frame = None) -> Any: ...
    def wait_for(self, js: str, arg: Any = None, frame: Frame = None, timeout: float = DEFAULT_TIMEOUT) -> Any: ...
    def wait_for_text(self, text: str, frame: Frame | str = None, timeout: float = DEFAULT_TIMEOUT) -> None: ...
    def click(self, selector: str, text: str | None = None, frame: Frame = None, nth: int = 0) -> None: ...
    def press(self, key: str, selector: str | None = None, frame: Frame = None) -> None: ...
    def type(self, text: str, selector: str | None = None, frame: Frame = None) -> None: ...
    def resources(self) -> list[str]: ...
    def requests(self) -> list[str] | None: ...
    def workers(self) -> list[str] | None: ...
    def settle(self, quiet: float = 0.5) -> None: ...
    def console_errors(self) -> list[str] | None: ...
    def close(self) -> None: ...


# ------------------------------------------------------------------ shared page-side helpers
# Runs `source` (a JS function expression) with `arg` in the realm of the top window or of a
# same-origin frame, so one implementation serves every driver.
_IN_FRAME = """
const [frame, source, arg] = ARGS;
let win = window;
if (frame !== null) {
  const [selector, index] = Array.isArray(frame) ? frame : [frame, 0];
  const el = document.querySelectorAll(selector)[index];
  if (!el || !el.contentWindow) throw new Error('no frame ' + selector + ' #' + index);
  win = el.contentWindow;
}
return win.eval('(' + source + ')')(arg);
"""

# Every resource the page and its same-origin frames (recursively) fetched, by Resource Timing.
_RESOURCES = """() => {
  const urls = [];
  const visit = (win) => {
    try {
      for (const entry of win.performance.getEntriesByType('resource')) urls.push(entry.name);
      for (const frame of win.document.querySelectorAll('iframe')) if (frame.contentWindow) visit(frame.contentWindow);
    } catch (error) { /* a cross-origin frame: not ours to read */ }
  };
  visit(window);
  return urls;
}"""

# Mark the first element matching selector (and containing text) so a native click can find it.
_MARK = """([selector, text, nth, token]) => {
  const el = Array.from(document.querySelectorAll(selector))
    .filter((e) => text === null || (e.innerText || e.textContent || '').includes(text))[nth];
  if (!el) return false;
  el.scrollIntoView({block: 'center'});
  el.setAttribute('data-driver-target', token);
  return true;
}"""

_UNMARK = """(token) => { const el = document.querySelector(`[data-driver-target="${token}"]`);
  if (el) el.removeAttribute('data-driver-target'); }"""

_FOCUS = """(selector) => { const el = document.querySelector(selector);
  if (!el) return false; el.scrollIntoView({block: 'center'}); el.focus(); return document.activeElement === el; }"""

# Text of a document, or of the page and every same-origin frame when frame is "any".
_TEXT_IN_ANY_FRAME = """(text) => {
  const seen = (win) => {
    try {
      if ((win.document.body?.innerText || '').includes(text)) return true;
      return Array.from(win.document.querySelectorAll('iframe')).some((f) => f.contentWindow && seen(f.contentWindow));
    } catch (error) { return false; }
  };
  return seen(window);
}"""


class _Base:
    engine: str
    version: str

    def _run(self, script: str, args: list) -> Any:  # `script` reads ARGS, ends in `return`
        raise NotImplementedError

    def _sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    def evaluate(self, js: str, arg: Any = None, frame: Frame = None) -> Any:
        frame = list(frame) if isinstance(frame, tuple) else frame
        return self._run(_IN_FRAME, [frame, js, arg])

    def wait_for(self, js: str, arg: Any = None, frame: Frame = None, timeout: float = DEFAULT_TIMEOUT) -> Any:
        """Poll ``js`` until it returns a truthy value (which is returned); errors count as no."""
        deadline = time.monotonic() + timeout
        last: Any = None
        while True:
            try:
                value = self.evaluate(js, arg, frame)
                if value:
                    return value
                last = value
            except Exception as error:  # the frame or element may not exist yet
                last = error
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.engine}: {js!r} still not true after {timeout} s (last: {last!r})")
            self._sleep(0.1)

    def wait_for_text(self, text: str, frame: Frame | str = None, timeout: float = DEFAULT_TIMEOUT) -> None:
        if frame == "any":
            self.wait_for(_TEXT_IN_ANY_FRAME, text, timeout=timeout)
        else:
            self.wait_for("(text) => (document.body?.innerText || '').includes(text)", text, frame, timeout)

    def resources(self) -> list[str]:
        """What the page and its same-origin frames fetched, by their Resource Timing entries
        (cache hits included; a worker's own fetches and removed frames' are not)."""
        return list(self.evaluate(_RESOURCES))

    def requests(self) -> list[str] | None:
        """The engine's network log of the page (frames and workers too), or None without one."""
        return None

    def workers(self) -> list[str] | None:
        """URLs of the page's live dedicated workers (frames' too), or None when the driver cannot see them."""
        return None

    def settle(self, quiet: float = 0.5) -> None:
        """Wait until the document has loaded and no new resource appeared for ``quiet`` s."""
        self.wait_for("() => document.readyState === 'complete'")
        count, since = -1, time.monotonic()
        deadline = time.monotonic() + DEFAULT_TIMEOUT
        while time.monotonic() < deadline:
            now = len(self.resources())
            if now != count:
                count, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return
            self._sleep(0.1)

    def _mark(self, selector: str, text: str | None, frame: Frame, nth: int = 0) -> str:
        token = secrets.token_hex(4)
        self.wait_for(_MARK, [selector, text, nth, token], frame)
        return f'[data-driver-target="{token}"]'


# ------------------------------------------------------------------ Playwright: Chromium, Firefox
class PlaywrightEngine:
    def __init__(self, playwright, name: str):
        self.name = name
        try:
            if name == "chromium":
                if not CHROMIUM.exists():
                    raise EngineUnavailable(f"{CHROMIUM} is missing: install Debian's chromium (scripts/test does)")
                self.browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            else:
                if not FIREFOX.exists():
                    raise EngineUnavailable(f"{FIREFOX} is missing: install Debian's firefox-esr (scripts/test does)")
                self.browser = playwright.firefox.launch(
                    channel="moz-firefox", executable_path=str(FIREFOX), headless=True)
        except EngineUnavailable:
            raise
        except Exception as error:
            raise EngineUnavailable(f"{name} did not start: {error}") from error
        self.version = self.browser.version

    def new_driver(self, width: int = 1000, height: int = 800) -> "PlaywrightDriver":
        return PlaywrightDriver(self, width, height)

    def close(self) -> None:
        self.browser.close()


class PlaywrightDriver(_Base):
    def __init__(self, engine: PlaywrightEngine, width: int, height: int):
        self.engine, self.version = engine.name, engine.version
        self.context = engine.browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.page.set_default_timeout(DEFAULT_TIMEOUT * 1000)
        self._requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self._requests.append(request.url))
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))

    def _console(self, msg) -> None:
        url = (msg.location or {}).get("url", "")
        # The browser's own favicon request is not the page's doing.
        if msg.type == "error" and not url.endswith("/favicon.ico") and "favicon.ico" not in msg.text:
            self.errors.append(f"{msg.text} at {url}")

    def _run(self, script: str, args: list) -> Any:
        return self.page.evaluate(f"(ARGS) => {{ {script} }}", args)

    def _sleep(self, seconds: float) -> None:
        # The sync API handles the browser's events (requests, console, workers) only while it
        # waits in a call of its own: never in time.sleep.
        self.page.wait_for_timeout(seconds * 1000)

    @property
    def url(self) -> str:
        return self.page.url

    def open(self, url: str, until: str = "load") -> None:
        """Go to url; return after its load event, or with until="domcontentloaded" after that."""
        self.page.goto(url, wait_until=until)

    def _frame(self, frame: Frame):
        if frame is None:
            return self.page
        selector, index = frame if isinstance(frame, tuple) else (frame, 0)
        handle = self.page.locator(selector).nth(index).element_handle()
        content = handle.content_frame()
        if content is None:
            raise RuntimeError(f"{selector} #{index} is not a frame")
        return content

    def click(self, selector: str, text: str | None = None, frame: Frame = None, nth: int = 0) -> None:
        """A real click on the nth element matching selector (and containing text)."""
        target = self._mark(selector, text, frame, nth)
        self._frame(frame).locator(target).click()
        self.evaluate(_UNMARK, target.split('"')[1], frame)

    def press(self, key: str, selector: str | None = None, frame: Frame = None) -> None:
        if selector is not None:
            assert self.wait_for(_FOCUS, selector, frame), f"could not focus {selector}"
        self.page.keyboard.press(key)

    def type(self, text: str, selector: str | None = None, frame: Frame = None) -> None:
        """Type text key by key (into the focused element, or selector's after focusing it)."""
        if selector is not None:
            assert self.wait_for(_FOCUS, selector, frame), f"could not focus {selector}"
        self.page.keyboard.type(text)

    def requests(self) -> list[str] | None:
        self._sleep(0.01)  # take in the events that arrived meanwhile
        return list(self._requests)

    def workers(self) -> list[str] | None:
        self._sleep(0.01)
        return [worker.url for worker in self.page.workers]

    def settle(self, quiet: float = 0.5) -> None:
        self.page.wait_for_load_state("networkidle")
        super().settle(quiet)

    def console_errors(self) -> list[str] | None:
        self._sleep(0.01)
        return list(self.errors)

    def close(self) -> None:
        self.context.close()


# ------------------------------------------------------------------ Selenium: WebKitGTK
_KEYS = {"Enter": "ENTER", "ArrowRight": "ARROW_RIGHT", "ArrowLeft": "ARROW_LEFT", "ArrowUp": "ARROW_UP",
         "ArrowDown": "ARROW_DOWN", "Tab": "TAB", "Space": "SPACE", "Escape": "ESCAPE", "Home": "HOME",
         "End": "END", "Backspace": "BACKSPACE", "Control": "CONTROL", "Shift": "SHIFT", "Alt": "ALT",
         "Meta": "META"}


SESSION_TIMEOUT = 90.0


def _with_deadline(start, timeout: float, give_up):
    """``start()`` in a thread; after ``timeout`` s call ``give_up()`` (which must make it fail)."""
    result: dict = {}

    def run():
        try:
            with warnings.catch_warnings():  # Selenium's own deprecation inside its constructor
                warnings.simplefilter("ignore", DeprecationWarning)
                result["value"] = start()
        except BaseException as error:  # noqa: BLE001 - handed to the caller
            result["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        try:
            give_up()
        finally:
            thread.join(10)
        raise TimeoutError(f"WebKitWebDriver opened no session within {timeout} s")
    if "error" in result:
        raise result["error"]
    return result["value"]


class WebKitEngine:
    """An Xvfb display (MiniBrowser needs one, even under automation) for WebKitGTK sessions."""

    name = "webkit"

    def __init__(self):
        missing = [str(p) for p in (WEBKIT_DRIVER, MINIBROWSER) if not p.exists()]
        if missing:
            raise EngineUnavailable(f"{', '.join(missing)} missing: install Debian's webkit2gtk-driver (scripts/test does)")
        try:
            import selenium  # noqa: F401
        except ImportError as error:
            raise EngineUnavailable("selenium is not installed: pip install -e '.[test]'") from error
        self.xvfb = None
        if shutil.which("Xvfb"):
            read, write = os.pipe()
            self.xvfb = subprocess.Popen(
                ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
                pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
            os.close(write)
            with os.fdopen(read) as pipe:
                number = pipe.readline().strip()
            if not number:
                self.xvfb.kill()
                raise EngineUnavailable("Xvfb did not start")
            self.display = f":{number}"
        elif os.environ.get("DISPLAY"):
            self.display = os.environ["DISPLAY"]
        else:
            raise EngineUnavailable("no Xvfb and no DISPLAY: install Debian's xvfb (scripts/test does)")
        try:
            probe = self.new_driver()
        except Exception as error:
            self.close()
            raise EngineUnavailable(f"WebKitWebDriver did not start: {error}") from error
        self.version = probe.version
        probe.close()

    def new_driver(self, width: int = 1000, height: int = 800) -> "WebKitDriver":
        return WebKitDriver(self, width, height)

    def close(self) -> None:
        if self.xvfb is not None:
            self.xvfb.terminate()
            self.xvfb.wait(10)
            self.xvfb = None


class WebKitDriver(_Base):
    engine = "webkit"

    def __init__(self, engine: WebKitEngine, width: int, height: int):
        from selenium import webdriver
        from selenium.webdriver.webkitgtk.options import Options
        from selenium.webdriver.webkitgtk.service import Service

        for attempt in (1, 2):
            options = Options()
            options.binary_location = str(MINIBROWSER)
            options.add_argument("--automation")
            service = Service(str(WEBKIT_DRIVER), env={**os.environ, "DISPLAY": engine.display})
            try:
                self.wd = _with_deadline(lambda: webdriver.WebKitGTK(options=options, service=service),
                                         SESSION_TIMEOUT, service.stop)
                break
            except TimeoutError:
                # Seen once in a long run on a busy machine: the session request never returned.
                if attempt == 2:
                    raise
        self.version = self.wd.capabilities.get("browserVersion", "?")
        self.wd.set_script_timeout(DEFAULT_TIMEOUT)
        self._fit_viewport(width, height)

    def _fit_viewport(self, width: int, height: int) -> None:
        """Size the window so the page's viewport is width x height, as Playwright's is."""
        self.wd.set_window_size(width, height)
        for _ in range(3):
            inner = self.wd.execute_script("return [window.innerWidth, window.innerHeight]")
            if inner == [width, height]:
                return
            size = self.wd.get_window_size()
            self.wd.set_window_size(size["width"] + width - inner[0], size["height"] + height - inner[1])

    def _run(self, script: str, args: list) -> Any:
        return self.wd.execute_script(f"const ARGS = arguments[0]; {script}", args)

    @property
    def url(self) -> str:
        return self.wd.current_url

    def open(self, url: str, until: str = "load") -> None:
        if until == "load":
            self.wd.get(url)
            return
        # WebDriver's navigation waits for the load event: navigate from the page instead.
        self.wd.execute_script("location.href = arguments[0]", url)
        self.wait_for("(url) => location.href === url && document.readyState !== 'loading'", url)

    def _enter(self, frame: Frame) -> None:
        if frame is None:
            return
        selector, index = frame if isinstance(frame, tuple) else (frame, 0)
        element = self.wd.execute_script("return document.querySelectorAll(arguments[0])[arguments[1]]", selector, index)
        self.wd.switch_to.frame(element)

    def click(self, selector: str, text: str | None = None, frame: Frame = None, nth: int = 0) -> None:
        from selenium.webdriver.common.by import By

        target = self._mark(selector, text, frame, nth)
        self._enter(frame)
        try:
            self.wd.find_element(By.CSS_SELECTOR, target).click()
        finally:
            self.wd.switch_to.default_content()
        self.evaluate(_UNMARK, target.split('"')[1], frame)

    def press(self, key: str, selector: str | None = None, frame: Frame = None) -> None:
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.keys import Keys

        if selector is not None:
            assert self.wait_for(_FOCUS, selector, frame), f"could not focus {selector}"
        # A chord, as Playwright writes one: "Control+Enter", "Shift+Tab".
        *modifiers, last = key.split("+") if len(key) > 1 else [key]
        actions = ActionChains(self.wd)
        for modifier in modifiers:
            actions.key_down(getattr(Keys, _KEYS[modifier]))
        actions.send_keys(last if len(last) == 1 else getattr(Keys, _KEYS[last]))
        for modifier in reversed(modifiers):
            actions.key_up(getattr(Keys, _KEYS[modifier]))
        actions.perform()

    def type(self, text: str, selector: str | None = None, frame: Frame = None) -> None:
        from selenium.webdriver.common.action_chains import ActionChains

        if selector is not None:
            assert self.wait_for(_FOCUS, selector, frame), f"could not focus {selector}"
        ActionChains(self.wd).send_keys(text).perform()

    def console_errors(self) -> list[str] | None:
        return None  # WebKitGTK's WebDriver reports no console messages

    def requests(self) -> list[str] | None:
        return None  # nor network events

    def workers(self) -> list[str] | None:
        return None  # nor a list of workers

    def close(self) -> None:
        try:
            self.wd.quit()
        except Exception:
            pass


def wait_until(condition, timeout: float = DEFAULT_TIMEOUT, message: str = "the condition") -> None:
    """Poll a Python ``condition`` (for state outside the page, e.g. a test server's log)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{message} not met within {timeout} s")
        time.sleep(0.1)


def start_engine(name: str, playwright=None):
    """Start one engine (raises EngineUnavailable with the reason when it cannot)."""
    if name in ("chromium", "firefox"):
        return PlaywrightEngine(playwright, name)
    if name == "webkit":
        return WebKitEngine()
    raise ValueError(name)

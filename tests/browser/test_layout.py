"""Apps look native in every docs theme: each app fills the content column exactly as the
paragraph before it does, in every state, on a desktop and on a 390 px phone, its code
left-aligned, and the page does not move when a preview gives way to the live app or when apps
are paused and resumed.

Each theme's site is built by its real tool (tests/support/themes.py: Sphinx alabaster, Furo,
pydata, Read the Docs, book; MkDocs Material light and slate, mkdocs, readthedocs; Zensical).
stlite is the recording stand-in (tests/browser/standin), a test double at the stlite module
boundary; the test server's gate holds or fails its module for the booting and failed states.
Every theme runs in Chromium; Material and Furo also in Firefox and WebKit. Layout shifts are
Chromium's own entries (PerformanceObserver ``layout-shift``), which the others lack.
"""

from __future__ import annotations

import contextlib

import pytest
from conftest import STANDIN, gated_serving

from support.themes import FRONT_MATTER_IGNORED, THEMES, build_theme_site

STLITE = "/standin/stlite.js"
#: Desktop and the phone viewport (an iPhone 12-15's CSS width).
VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}
#: The themes that run in every engine; the others in Chromium only.
EVERY_ENGINE = ("material", "furo")
TOLERANCE = 4  # px: the box and the paragraph before it

# For each app: its box against the paragraph before it, its frame against its box, and every
# piece of code shown in it (listing, code view, editor): text-align and where its text starts.
GEOMETRY = """() => Array.from(document.querySelectorAll('[data-stlite-docs]'), (box) => {
  let para = box.previousElementSibling;
  while (para && para.tagName !== 'P') para = para.previousElementSibling;
  const b = box.getBoundingClientRect();
  const p = para ? para.getBoundingClientRect() : null;
  const shown = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const frame = box.querySelector('.stlite-docs-frame');
  const code = Array.from(box.querySelectorAll('pre, textarea, .cm-content')).filter(shown).map((el) => {
    let start = null;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      start = range.getClientRects()[0]?.left ?? null;
      break;
    }
    return {tag: el.tagName.toLowerCase(), align: getComputedStyle(el).textAlign,
            left: el.getBoundingClientRect().left - b.left, width: el.getBoundingClientRect().width,
            text: start === null ? null : start - b.left};
  });
  return {state: box.dataset.state, caption: box.querySelector('figcaption')?.textContent ?? '',
          left: b.left, width: b.width, paragraph: p && {left: p.left, width: p.width},
          inner: box.clientWidth, frame: frame && shown(frame) ? frame.getBoundingClientRect().width : null, code};
})"""
STATES = "() => Array.from(document.querySelectorAll('[data-stlite-docs]'), (e) => e.dataset.state)"
# Where the paragraphs and apps are on the page (document coordinates), to see what moved.
BOXES = """() => Array.from(document.querySelectorAll('[data-stlite-docs], p'))
  .filter((el) => !el.parentElement.closest('[data-stlite-docs]')).map((el) => {
  const r = el.getBoundingClientRect(); return [Math.round(r.left), Math.round(r.top + scrollY), Math.round(r.width), Math.round(r.height)]; })"""
# Chromium's layout shifts from now on: [value, [[node, previous rect, current rect], ...]].
# The status badge coming into view (from its screen-reader-only box) and its own text are the
# progress indicator appearing, not the page moving: left out.
WATCH_SHIFTS = """() => { window.__shifts = null;
  if (!(PerformanceObserver.supportedEntryTypes || []).includes('layout-shift')) return false;
  window.__shifts = [];
  const rect = (r) => [Math.round(r.x), Math.round(r.y + scrollY), Math.round(r.width), Math.round(r.height)];
  const badges = () => Array.from(document.querySelectorAll('.stlite-docs-status'), (e) => e.getBoundingClientRect());
  const within = (r, b) => r.left >= b.left - 1 && r.right <= b.right + 1 && r.top >= b.top - 1 && r.bottom <= b.bottom + 1;
  // A source without a node is a pseudo-element (the badge's spinner) or a removed node.
  const status = (s) => s.node ? !!(s.node.nodeType === 1 ? s.node : s.node.parentElement)?.closest('.stlite-docs-status')
    : badges().some((b) => within(s.currentRect, b));
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const sources = entry.sources.filter((s) => !status(s));
      if (sources.length) window.__shifts.push([entry.value, sources.map((s) =>
        [(s.node?.className || s.node?.nodeName || '?'), rect(s.previousRect), rect(s.currentRect)])]);
    }
  }).observe({type: 'layout-shift'});
  return true; }"""


# ------------------------------------------------------------------ sites
@pytest.fixture(scope="module")
def theme_sites(tmp_path_factory):
    """``site(name)``: the theme's site, built on first use and served until the module ends."""
    built: dict[str, str] = {}
    with contextlib.ExitStack() as stack:

        def site(name: str):
            if name not in built:
                root = build_theme_site(THEMES[name], tmp_path_factory.mktemp(f"theme-{name}"), "/standin/")
                built[name] = stack.enter_context(gated_serving(root, {"standin": STANDIN}))
            server = built[name]
            server.gate.reset()
            return server

        yield site


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request) -> str:
    return request.param


@pytest.fixture(params=list(THEMES))
def theme(request, engine):
    if engine.name != "chromium" and request.param not in EVERY_ENGINE:
        pytest.skip(f"{request.param} runs in Chromium; {', '.join(EVERY_ENGINE)} in every engine")
    return THEMES[request.param]


@pytest.fixture
def screen(engine, viewport, request):
    """A fresh page of the viewport's size in the engine, watched for console errors."""
    page = engine.new_driver(*VIEWPORTS[viewport])
    yield page
    errors = [error for error in page.console_errors() or [] if not theme_noise(error)]
    page.close()
    if errors and not request.node.get_closest_marker("allow_console_errors"):
        pytest.fail(f"console errors in {engine.name}: {errors}")


def theme_noise(error: str) -> bool:
    """A theme's own console error, logged on a reader's first visit whatever the page holds:
    pydata-sphinx-theme (and sphinx-book-theme, built on it) reads its saved mode, "" at first."""
    return error.startswith("Got invalid theme mode: . Resetting to auto.") and "/pydata-sphinx-theme.js" in error


# ------------------------------------------------------------------ checks
def assert_native(screen, where: str) -> list[dict]:
    """Every app shown fills the column as its paragraph does, its frame fills the box, its code
    starts at the left (text-align start or left, first character near the box's left edge)."""
    apps = screen.evaluate(GEOMETRY)
    problems = []
    for app in apps:
        name = f"{where}: {app['caption']!r} ({app['state']})"
        para = app["paragraph"]
        if para is None:
            problems.append(f"{name}: no paragraph before it")
            continue
        if abs(app["left"] - para["left"]) > TOLERANCE or abs(app["width"] - para["width"]) > TOLERANCE:
            problems.append(
                f"{name}: box at x={app['left']:.0f} width {app['width']:.0f}, "
                f"its paragraph at x={para['left']:.0f} width {para['width']:.0f}"
            )
        if app["frame"] is not None and abs(app["frame"] - app["inner"]) > 1:
            problems.append(f"{name}: frame {app['frame']:.0f} px wide in a {app['inner']} px box")
        for code in app["code"]:
            if code["align"] not in ("start", "left"):
                problems.append(f"{name}: <{code['tag']}> has text-align {code['align']}")
            if code["text"] is not None and code["text"] > 48:
                problems.append(f"{name}: <{code['tag']}>'s text starts {code['text']:.0f} px from the box's left edge")
            if code["left"] > 48 or code["width"] < app["width"] - 96:
                problems.append(
                    f"{name}: <{code['tag']}> at x+{code['left']:.0f}, {code['width']:.0f} px wide in a {app['width']:.0f} px box"
                )
    assert not problems, "\n".join(problems)
    return apps


def _wait_states(screen, *wanted: str, timeout: float = 30) -> None:
    screen.wait_for(f"(w) => JSON.stringify(({STATES})()) === JSON.stringify(w)", list(wanted), timeout=timeout)


def press(screen, selector: str, text: str = "") -> None:
    """Press the button through the page: these tests are about where things are, and WebKit's
    WebDriver may refuse a native click on a button that a theme's sticky header overlaps."""
    assert screen.evaluate(
        """([selector, text]) => {
      const button = Array.from(document.querySelectorAll(selector)).find((b) => b.textContent.includes(text));
      button?.click();
      return !!button; }""",
        [selector, text],
    ), f"no {selector} {text!r}"


def _same(after: list, before: list) -> bool:
    """The same boxes, within a pixel (a scroll position between pixels rounds either way)."""
    return len(after) == len(before) and all(
        abs(a - b) <= 1 for box_a, box_b in zip(after, before, strict=True) for a, b in zip(box_a, box_b, strict=True)
    )


def _shifts(screen):
    return screen.evaluate("() => window.__shifts")


# ------------------------------------------------------------------ tests
def test_apps_fill_the_column_booting_and_live(theme_sites, theme, viewport, screen):
    site = theme_sites(theme.name)
    site.gate.control(STLITE, "hold")
    screen.open(site + theme.page("states"), until="domcontentloaded")
    _wait_states(screen, "booting", "booting", "booting", "booting", "click")
    site.gate.wait_held(1)
    screen.wait_for("() => Array.from(document.images).every((i) => i.complete)")
    apps = assert_native(screen, f"{theme.name}, {viewport}, booting")
    assert apps[0]["code"] == [], "the app with a preview shows its picture, not its code"
    assert apps[4]["code"], "the app waiting for a click shows its code"

    # The apps start: the app with a preview (first) gives way to the live app in its box, and
    # nothing above the apps below it moves; no box moves sideways or changes width.
    watching = screen.evaluate(WATCH_SHIFTS)
    before = screen.evaluate(BOXES)
    for index in range(site.gate.held):
        site.gate.decide(index, "pass")
    _wait_states(screen, "running", "running", "running", "running", "click")
    screen.wait_for("() => !document.querySelector('.stlite-docs-preview')")
    screen.settle()
    after = screen.evaluate(BOXES)
    assert _same(after[:3], before[:3]), "the heading paragraph, the app with a preview or the paragraph after it moved"
    assert _same([(x, w) for x, _, w, _ in after], [(x, w) for x, _, w, _ in before]), "a box moved sideways or changed width"
    if watching:
        first_app_bottom = before[1][1] + before[1][3]
        # (A source with an empty previous box is a part that appeared, not one that moved.)
        moved = [
            source
            for _, sources in _shifts(screen)
            for source in sources
            if any(source[1])
            and (source[1][1] < first_app_bottom or source[1][0] != source[2][0] or source[1][2] != source[2][2])
        ]
        assert moved == [], f"layout shifts above the second app, or sideways: {moved}"
    assert_native(screen, f"{theme.name}, {viewport}, live")

    # The code views: the Code tab, and the editor under the editable app.
    press(screen, ".stlite-docs-tab", "Code")
    screen.wait_for(
        "() => document.querySelectorAll('[data-stlite-docs]')[2].querySelector('.stlite-docs-source pre')"
        "?.getBoundingClientRect().height > 0"
    )
    apps = assert_native(screen, f"{theme.name}, {viewport}, live, Code tab")
    assert apps[2]["code"] and apps[3]["code"], "the Code tab and the editor show code"


@pytest.mark.allow_console_errors  # the engines report the failed module request
def test_failed_apps_fill_the_column(theme_sites, theme, viewport, screen):
    site = theme_sites(theme.name)
    site.gate.control(STLITE, "404")
    screen.open(site + theme.page("states"))
    _wait_states(screen, "error", "error", "error", "error", "click")
    apps = assert_native(screen, f"{theme.name}, {viewport}, failed")
    assert [bool(app["code"]) for app in apps] == [True, True, False, True, True], "what failed apps show"


def test_pause_and_resume_keep_the_page_still(theme_sites, theme, viewport, screen):
    if theme.tool == "zensical":
        pytest.skip(FRONT_MATTER_IGNORED)  # the same theme as Material's, tested there
    site = theme_sites(theme.name)
    screen.open(site + theme.page("paused"))
    _wait_states(screen, "running", "paused")  # one live app allowed: the second waits paused
    assert_native(screen, f"{theme.name}, {viewport}, paused")
    # Resume the second: it starts in the placeholder's place (at first with the height the
    # placeholder reserved), the first pauses in a placeholder of its own height.
    press(screen, "button.stlite-docs-resume")
    _wait_states(screen, "paused", "running")
    screen.settle()
    assert_native(screen, f"{theme.name}, {viewport}, resumed")
    # Both have now run, and a second round changes nothing on the page.
    watching = screen.evaluate(WATCH_SHIFTS)
    before = screen.evaluate(BOXES)
    press(screen, "button.stlite-docs-resume")
    _wait_states(screen, "running", "paused")
    screen.settle()
    press(screen, "button.stlite-docs-resume")
    _wait_states(screen, "paused", "running")
    screen.settle()
    assert _same(screen.evaluate(BOXES), before), "pausing and resuming moved the page"
    if watching:
        assert _shifts(screen) == [], f"layout shifts while apps paused and resumed: {_shifts(screen)}"


# ------------------------------------------------------------------ light and dark
APP_SCHEME = (
    "() => [document.documentElement.dataset.stliteDocsScheme, document.querySelector('[data-stlite-docs]').dataset.appTheme]"
)
NEXT_FRAMES = "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"
FOLLOWS_THE_SYSTEM = "@media (prefers-color-scheme: dark) { body { background: #121212 !important; color: #eee !important; } }"


@pytest.fixture
def chromium_page(browser):
    """A Chromium page whose system colour scheme a test sets (Playwright's emulate_media)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def _scheme(page, expected: str) -> None:
    page.wait_for_function(f"(e) => ({APP_SCHEME})().every((s) => s === e)", arg=expected)


@pytest.mark.parametrize("name", list(THEMES))
def test_auto_theme_follows_the_page_and_only_there_the_system(theme_sites, chromium_page, name):
    """A dark system: apps are dark where the page is (Material slate) or follows the system
    (Furo, pydata, book), light on a light-only theme. The theme's own toggle wins."""
    theme, page = THEMES[name], chromium_page
    page.goto(theme_sites(name) + theme.page("paused"))
    page.wait_for_function("() => document.querySelector('[data-stlite-docs]').dataset.state === 'running'")
    _scheme(page, "dark" if theme.scheme in ("dark", "system") else "light")
    page.emulate_media(color_scheme="light")
    _scheme(page, "dark" if theme.scheme == "dark" else "light")
    if theme.dark_toggle:
        element, attribute, value = theme.dark_toggle
        page.evaluate(
            "([e, a, v]) => (e === 'html' ? document.documentElement : document.body).setAttribute(a, v)",
            [element, attribute, value],
        )
        _scheme(page, "dark")


def test_a_page_whose_own_css_follows_the_system_gets_the_system_scheme(theme_sites, chromium_page):
    """A theme stlite-docs knows nothing of, whose stylesheet follows the system: its apps follow
    what it paints, live (alabaster with such a rule added)."""
    page = chromium_page
    page.goto(theme_sites("alabaster") + THEMES["alabaster"].page("paused"))
    page.wait_for_function("() => document.querySelector('[data-stlite-docs]').dataset.state === 'running'")
    _scheme(page, "light")  # alabaster alone: light-only, whatever the system
    page.emulate_media(color_scheme="light")
    page.evaluate(NEXT_FRAMES)  # the browser reports a media change at its next rendering update
    page.add_style_tag(content=FOLLOWS_THE_SYSTEM)  # a light system: nothing changes yet
    page.emulate_media(color_scheme="dark")
    _scheme(page, "dark")
    page.emulate_media(color_scheme="light")
    _scheme(page, "light")

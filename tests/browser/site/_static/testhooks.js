// TEST HOOKS of the browser test site (not part of stlite-docs). A classic script, so it runs
// before the loader (a module), in every engine, without a driver's init-script support:
//   page.html?without=ResizeObserver,Element.prototype.replaceChildren  removes features, as a
//     browser that lacks them would (the stand-in stlite removes the same ones in each app frame);
//   page.html?timeouts=healthEvery:300,healthTimeout:1000  shortens the loader's time limits.
//   Every console.debug line of the page (and, through the stand-in, of its app frames) is kept
//   in window.__debugLog, for engines whose driver shows no console (WebKit).
(() => {
  window.__debugLog = [];
  const debug = console.debug.bind(console);
  console.debug = (...args) => {
    window.__debugLog.push(args.map(String).join(" "));
    debug(...args);
  };
  const params = new URLSearchParams(location.search);
  const without = (params.get("without") || "").split(",").filter(Boolean);
  /** Delete `Name` or `Name.prototype.member` from a window. */
  window.__removeFeatures = (win, names) => {
    for (const name of names) {
      const path = name.split(".");
      const key = path.pop();
      const owner = path.reduce((object, part) => object?.[part], win);
      if (owner) delete owner[key];
    }
  };
  window.__stliteDocsWithout = without;
  window.__removeFeatures(window, without);
  const timeouts = params.get("timeouts");
  if (timeouts) {
    window.stliteDocsTimeouts = Object.fromEntries(
      timeouts.split(",").map((pair) => pair.split(":")).map(([key, value]) => [key, Number(value)]),
    );
  }
})();

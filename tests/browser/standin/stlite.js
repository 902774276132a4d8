// TEST DOUBLE at one boundary: the stlite module (`stlite.js`, whose `mount()` the loader's
// frame calls). It records what reaches `mount()` and imitates the parts of Streamlit's page
// the loader relies on (the render markers) and the parts that could hurt the host page
// (document.title, history.pushState). It runs no Python. Real stlite is tested elsewhere:
// tests/browser/test_real_stlite.py (npm build, up to Pyodide start) and tests/realboot.
const record = (window.top.__standin ??= { mounts: [], unmounts: [] });
record.kernels ??= [];

// A browser without some feature lacks it in every document: the test page removed it from
// itself (tests/browser/site/_static/testhooks.js); remove it from this frame too, before the
// loader's frame code uses it.
window.top.__removeFeatures?.(window, window.top.__stliteDocsWithout || []);
// And the frame's console.debug lines join the page's log (testhooks.js), where a test reads them.
if (window.top.__debugLog) {
  const debug = console.debug.bind(console);
  console.debug = (...args) => {
    window.top.__debugLog.push(args.map(String).join(" "));
    debug(...args);
  };
}

export function mount(options, container) {
  // inPage: mounted into the page itself (runtime: shared), not into an app's frame
  record.mounts.push({ options: JSON.parse(JSON.stringify(options)), frameUrl: location.href, inPage: window === window.top });
  const entry = options.files[options.entrypoint];
  const code = typeof entry === "string" ? entry : `url: ${entry.url}`;
  container.innerHTML = "";
  const app = document.createElement("div");
  app.setAttribute("data-testid", "stApp");
  app.setAttribute("data-test-script-state", "initial");
  const content = document.createElement("div");
  content.setAttribute("data-testid", "stMainBlockContainer");
  const marker = document.createElement("p");
  marker.textContent = "STANDIN RENDERED";
  const pre = document.createElement("pre");
  pre.textContent = code; // the content's height follows the app's code, for height tests
  const widget = document.createElement("button"); // something focusable, as a widget is
  widget.type = "button";
  widget.textContent = "stand-in widget";
  content.append(marker, widget, pre);
  app.append(content);
  container.append(app);

  // What Streamlit does to its own document, which must not reach the host page.
  document.title = "Streamlit";
  history.pushState({}, "", "?page=other");

  // Streamlit's host messages, as far as the loader uses them: with hostConfig.allowedOrigins
  // the app announces GUEST_READY (to its parent and to itself) and takes SET_CUSTOM_THEME_CONFIG
  // from an allowed origin, switching between its Light and Dark themes without a reboot.
  const allowed = options.hostConfig?.allowedOrigins ?? [];
  record.themes ??= [];
  if (allowed.length) {
    window.addEventListener("message", (event) => {
      const data = event.data;
      if (data?.stCommVersion !== 1 || !allowed.includes(event.origin)) return;
      if (data.type === "SET_CUSTOM_THEME_CONFIG") {
        record.themes.push(data.themeName);
        app.setAttribute("data-standin-theme", data.themeName);
      }
    });
    setTimeout(() => window.postMessage({ stCommVersion: 1, type: "GUEST_READY" }, location.origin), 20);
  }

  // Markers in the app's code make the stand-in misbehave as a real app can: raise during its
  // first run (Streamlit shows the exception in the app), or never finish that run.
  if (code.includes("STANDIN_RAISES")) {
    const error = document.createElement("div");
    error.setAttribute("data-testid", "stException");
    error.textContent = "ZeroDivisionError: division by zero (stand-in)";
    content.append(error);
  }
  const kernel = new EventTarget();
  // The kernel's worker, as stlite's `_kernel._worker` is: a real Worker that answers the
  // frame's health requests (`sendHttpRequest`, stlite's signature) and can be made to die.
  const worker = new Worker(new URL("./worker.js", import.meta.url));
  kernel._worker = worker;
  const kernelRecord = { code, probes: 0 }; // probes: health requests received
  kernel.sendHttpRequest = (request, signal) => new Promise((resolve, reject) => {
    kernelRecord.probes += 1;
    const channel = new MessageChannel();
    signal?.addEventListener("abort", () => {
      channel.port1.close();
      reject(new DOMException("Aborted", "AbortError"));
    }, { once: true });
    channel.port1.onmessage = (event) => {
      channel.port1.close();
      resolve(event.data.data.response);
    };
    worker.postMessage({ type: "http:request", data: { request } }, [channel.port2]);
  });
  record.kernels.push(Object.assign(kernelRecord, {
    /** @param {"crash" | "fatal" | "terminate"} how */
    kill(how) {
      if (how === "terminate") worker.terminate();
      else worker.postMessage({ type: how });
    },
  }));
  setTimeout(() => {
    kernel.dispatchEvent(new CustomEvent("loadProgress", { detail: "Loading Pyodide (stand-in)" }));
    app.setAttribute("data-test-script-state", "running");
    if (code.includes("STANDIN_HANGS")) return;
    setTimeout(() => app.setAttribute("data-test-script-state", "notRunning"), 50);
  }, 50);
  // controller.writeFile, and what Streamlit does on a change to a watched file: with
  // server.runOnSave it reruns the script (state running, then notRunning) with the new code.
  const files = { ...options.files };
  record.writes ??= [];
  record.reruns ??= 0;
  return {
    unmount() {
      record.unmounts.push(options.entrypoint);
      worker.terminate(); // as stlite's kernel.dispose() does
    },
    async writeFile(path, data) {
      record.writes.push({ path, data, frameUrl: location.href });
      files[path] = data;
      if (!options.streamlitConfig?.["server.runOnSave"]) return;
      setTimeout(() => {
        app.setAttribute("data-test-script-state", "running");
        setTimeout(() => {
          const now = files[options.entrypoint];
          pre.textContent = typeof now === "string" ? now : `url: ${now.url}`;
          record.reruns += 1;
          app.setAttribute("data-test-script-state", "notRunning");
        }, 50);
      }, 30);
    },
    _kernel: kernel,
  };
}

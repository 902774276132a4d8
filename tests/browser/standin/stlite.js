// TEST DOUBLE at one boundary: the stlite module (`stlite.js`, whose `mount()` the loader's
// frame calls). It records what reaches `mount()` and imitates the parts of Streamlit's page
// the loader relies on (the render markers) and the parts that could hurt the host page
// (document.title, history.pushState). It runs no Python. Real stlite is tested elsewhere:
// tests/browser/test_real_stlite.py (npm build, up to Pyodide start) and tests/realboot.
const record = (window.top.__standin ??= { mounts: [], unmounts: [] });

export function mount(options, container) {
  record.mounts.push({ options: JSON.parse(JSON.stringify(options)), frameUrl: location.href });
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
  content.append(marker, pre);
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
  setTimeout(() => {
    kernel.dispatchEvent(new CustomEvent("loadProgress", { detail: "Loading Pyodide (stand-in)" }));
    app.setAttribute("data-test-script-state", "running");
    if (code.includes("STANDIN_HANGS")) return;
    setTimeout(() => app.setAttribute("data-test-script-state", "notRunning"), 50);
  }, 50);
  return {
    unmount() {
      record.unmounts.push(options.entrypoint);
    },
    _kernel: kernel,
  };
}

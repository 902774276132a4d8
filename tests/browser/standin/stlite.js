// TEST DOUBLE at one boundary: the stlite module (`stlite.js`, whose `mount()` the loader's
// frame calls). It records what reaches `mount()` and imitates the parts of Streamlit's page
// the loader relies on (the render markers) and the parts that could hurt the host page
// (document.title, history.pushState). It runs no Python. Real stlite is tested elsewhere:
// tests/browser/test_real_stlite.py (npm build, up to Pyodide start) and tests/realboot.
const record = (window.top.__standin ??= { mounts: [], unmounts: [] });

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

  const kernel = new EventTarget();
  setTimeout(() => {
    kernel.dispatchEvent(new CustomEvent("loadProgress", { detail: "Loading Pyodide (stand-in)" }));
    app.setAttribute("data-test-script-state", "running");
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

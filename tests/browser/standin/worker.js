// TEST DOUBLE of stlite's kernel worker (a real dedicated Worker, so its death is real): it
// answers the health requests the frame sends through the kernel (`http:request` for
// /_stcore/health, as stlite's worker routes them to Streamlit), and on request dies the ways
// a real one can: an uncaught exception (`crash`), or Python broken so that every request gets
// HTTP 500 (`fatal`, what stlite answers after Pyodide's fatal error). Termination is done from
// outside (Worker.terminate(), as the browser or an out-of-memory kill does).
let broken = false;
self.onmessage = (event) => {
  const type = event.data?.type;
  const port = event.ports[0];
  if (type === "http:request") {
    port?.postMessage({ type: "http:response", data: { response: { statusCode: broken ? 500 : 200, headers: [], body: "ok" } } });
  } else if (type === "crash") {
    setTimeout(() => {
      throw new Error("stand-in worker crashed");
    });
  } else if (type === "fatal") {
    broken = true;
  }
};

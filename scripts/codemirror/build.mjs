// Bundles entry.js (CodeMirror 6, from the packages package-lock.json pins) into one minified
// ES module, and writes beside it the licence notices of every package whose code it holds.
// Run through scripts/vendor-codemirror, which installs the pinned packages first.
// Usage: node build.mjs OUTPUT_DIR
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2];
if (!out) throw new Error("usage: node build.mjs OUTPUT_DIR");
mkdirSync(out, { recursive: true });

const result = await build({
  entryPoints: [join(here, "entry.js")],
  absWorkingDir: here,
  bundle: true,
  format: "esm",
  target: "es2020",
  minify: true,
  legalComments: "none", // the notices go into codemirror.LICENSE.txt, in full
  charset: "utf8",
  metafile: true,
  write: false,
});

// The packages the bundle holds code of (a package read but wholly tree-shaken away is not one).
const packages = new Set();
const [output] = Object.values(result.metafile.outputs);
for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
  const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (match && bytesInOutput > 0) packages.add(match[1]);
}
const names = [...packages].sort();
const manifest = (name) => JSON.parse(readFileSync(join(here, "node_modules", name, "package.json"), "utf8"));
const pinned = names.map((name) => `${name}@${manifest(name).version}`);

// @ts-nocheck: bundled third-party code; the project's type check (tsc --checkJs) reads its
// inferred types through editor.js's import but does not check the bundle itself.
const banner = "// @ts-nocheck\n" + `/* CodeMirror 6 for stlite-docs, bundled by scripts/vendor-codemirror (do not edit): ${pinned.join(", ")}. ` +
  "MIT licensed: see codemirror.LICENSE.txt beside this file. */\n";
writeFileSync(join(out, "codemirror.js"), banner + result.outputFiles[0].text);

const notices = names.map((name) => {
  const info = manifest(name);
  const text = readFileSync(join(here, "node_modules", name, "LICENSE"), "utf8").trim();
  return `${name} ${info.version} (${info.license})\n\n${text}\n`;
});
writeFileSync(join(out, "codemirror.LICENSE.txt"),
  "assets/stlite-docs/vendor/codemirror.js holds code of these packages, under these licences.\n\n" +
  notices.join(`\n${"-".repeat(72)}\n\n`));
console.log(`wrote ${join(out, "codemirror.js")} (${pinned.length} packages)`);

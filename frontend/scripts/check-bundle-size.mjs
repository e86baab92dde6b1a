// Sums the gzip size of the initial JavaScript and CSS (the entry chunk and everything it
// imports statically) from Vite's manifest, prints them, and fails the build above either
// budget. What the sign-in page loads first: the signed-in shell, the whole Mantine
// stylesheet, charts and the drop zone are chunks loaded later.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET_KB = 150;
const CSS_BUDGET_KB = 12;
const dist = new URL("../dist/", import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(join(dist, ".vite/manifest.json"), "utf8"));

const entries = Object.entries(manifest).filter(([, chunk]) => chunk.isEntry);
if (entries.length === 0) {
  console.error("bundle-size: no entry chunk in dist/.vite/manifest.json");
  process.exit(1);
}

const seen = new Set();
const rows = [];
const cssRows = [];
function measure(file) {
  const bytes = readFileSync(join(dist, file));
  return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}
function visit(key) {
  if (seen.has(key)) return;
  seen.add(key);
  const chunk = manifest[key];
  if (!chunk) return;
  if (chunk.file.endsWith(".js")) rows.push(measure(chunk.file));
  for (const file of chunk.css ?? []) cssRows.push(measure(file));
  for (const dep of chunk.imports ?? []) visit(dep);
}
for (const [key] of entries) visit(key);

const kb = (n) => (n / 1024).toFixed(1);
function report(label, list, budget) {
  let total = 0;
  console.log(`Initial ${label} (entry + static imports):`);
  for (const row of list.sort((a, b) => b.gzip - a.gzip)) {
    total += row.gzip;
    console.log(
      `  ${row.file.padEnd(48)} ${kb(row.raw).padStart(8)} KB raw  ${kb(row.gzip).padStart(7)} KB gzip`,
    );
  }
  console.log(`  total initial ${label}: ${kb(total)} KB gzipped (budget ${budget} KB)`);
  if (total <= budget * 1024) return true;
  console.error(`bundle-size: initial ${label} ${kb(total)} KB gzipped exceeds ${budget} KB`);
  return false;
}
const jsOk = report("JS", rows, BUDGET_KB);
const cssOk = report("CSS", cssRows, CSS_BUDGET_KB);
if (!jsOk || !cssOk) process.exit(1);

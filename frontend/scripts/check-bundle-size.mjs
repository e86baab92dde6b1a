// Sums the gzip size of the initial JavaScript (the entry chunk and everything it imports
// statically) from Vite's manifest, prints it, and fails the build above the budget.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET_KB = 250;
const dist = new URL("../dist/", import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(join(dist, ".vite/manifest.json"), "utf8"));

const entries = Object.entries(manifest).filter(([, chunk]) => chunk.isEntry);
if (entries.length === 0) {
  console.error("bundle-size: no entry chunk in dist/.vite/manifest.json");
  process.exit(1);
}

const seen = new Set();
const rows = [];
function visit(key) {
  if (seen.has(key)) return;
  seen.add(key);
  const chunk = manifest[key];
  if (!chunk) return;
  if (chunk.file.endsWith(".js")) {
    const bytes = readFileSync(join(dist, chunk.file));
    rows.push({ file: chunk.file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
  }
  for (const dep of chunk.imports ?? []) visit(dep);
}
for (const [key] of entries) visit(key);

const kb = (n) => (n / 1024).toFixed(1);
let total = 0;
console.log("Initial JavaScript (entry + static imports):");
for (const row of rows.sort((a, b) => b.gzip - a.gzip)) {
  total += row.gzip;
  console.log(
    `  ${row.file.padEnd(48)} ${kb(row.raw).padStart(8)} KB raw  ${kb(row.gzip).padStart(7)} KB gzip`,
  );
}
console.log(`  total initial JS: ${kb(total)} KB gzipped (budget ${BUDGET_KB} KB)`);
if (total > BUDGET_KB * 1024) {
  console.error(`bundle-size: initial JS ${kb(total)} KB gzipped exceeds ${BUDGET_KB} KB`);
  process.exit(1);
}

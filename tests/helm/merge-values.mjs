// Merges Helm values files the way Helm does (maps deep-merged, everything else replaced,
// null deletes a key) and prints the result as JSON, for ajv against values.schema.json.
// Usage: node merge-values.mjs values.yaml [override.yaml]...   (yaml from tests/helm/node)
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
const require = createRequire(new URL("./node/package.json", import.meta.url));
const YAML = require("yaml");

const isMap = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
function merge(dst, src) {
  for (const [k, v] of Object.entries(src)) {
    if (v === null) delete dst[k];
    else if (isMap(v) && isMap(dst[k])) merge(dst[k], v);
    else dst[k] = v;
  }
  return dst;
}
let out = {};
for (const f of process.argv.slice(2)) out = merge(out, YAML.parse(readFileSync(f, "utf8")) ?? {});
process.stdout.write(JSON.stringify(out, null, 2) + "\n");

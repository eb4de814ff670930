#!/usr/bin/env node
// Checks Grafana dashboards against Grafana's own schema: the TypeScript types of npm
// @grafana/schema (it ships types only, no JSON schema), compiled with the TypeScript compiler.
//
// usage: check_schema.mjs NODE_DIR WORK_DIR DASHBOARD.json...   (NODE_DIR: tests/dashboards/node)
//        check_schema.mjs --self-test NODE_DIR WORK_DIR DASHBOARD.json
//   Each dashboard becomes WORK_DIR/<name>.ts: the whole JSON as a `Dashboard`, and per panel its
//   `options` and `fieldConfig.defaults.custom` as that panel type's `Options`/`FieldConfig`
//   (every field optional: Grafana fills the defaults a file leaves out) and its targets as `PrometheusDataQuery`. Object literals get TypeScript's excess-property
//   check, so a misspelled field fails like a wrong type does.
//   --self-test: misspelled and mistyped copies of the dashboard must each be rejected.
// Exit 0 ok, 1 problems (file:line: message), 2 bad usage, 77 node modules missing.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const args = process.argv.slice(2);
const selfTest = args[0] === "--self-test";
if (selfTest) args.shift();
if (args.length < 3) {
  console.error("usage: check_schema.mjs [--self-test] NODE_DIR WORK_DIR DASHBOARD.json...");
  process.exit(2);
}
const [nodeDir, workDir, ...dashboards] = args.map((a) => path.resolve(a));
const modules = path.join(nodeDir, "node_modules");
if (!fs.existsSync(path.join(modules, "typescript")) || !fs.existsSync(path.join(modules, "@grafana/schema"))) {
  console.log(`SKIPPED: typescript/@grafana/schema missing in ${modules} (run scripts/install-deps.sh)`);
  process.exit(77);
}
const ts = createRequire(path.join(modules, "noop.js"))("typescript");
const schemaVersion = JSON.parse(fs.readFileSync(path.join(modules, "@grafana/schema/package.json"))).version;

const composable = "@grafana/schema/dist/esm/raw/composable";
// Panel types the dashboards use and the module of their options; another type is an error
// until it is added here (the check never passes a panel unchecked).
const PANELS = {
  timeseries: "timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen",
  stat: "stat/panelcfg/x/StatPanelCfg_types.gen",
  table: "table/panelcfg/x/TablePanelCfg_types.gen",
  heatmap: "heatmap/panelcfg/x/HeatmapPanelCfg_types.gen",
};
// JSON cannot hold a TypeScript enum member, only its value: Json<T> replaces every string
// enum by the union of its values ("absolute" for ThresholdsMode.Absolute) and keeps the rest.
const HEADER = [
  `import type { Dashboard } from "@grafana/schema";`,
  `import type { PrometheusDataQuery } from "${composable}/prometheus/dataquery/x/PrometheusDataQuery_types.gen";`,
  ...Object.entries(PANELS).map(([t, m]) => `import type * as ${t} from "${composable}/${m}";`),
  "type Json<T> = T extends string ? `${T}` : T extends (infer U)[] ? Json<U>[]",
  "  : T extends object ? { [K in keyof T]: Json<T[K]> } : T;",
  "// Panel options as stored: Grafana fills the defaults of the fields a file leaves out.",
  "type Stored<T> = T extends string ? `${T}` : T extends (infer U)[] ? Stored<U>[]",
  "  : T extends object ? { [K in keyof T]?: Stored<T[K]> } : T;",
  "// __requires is Grafana's export envelope (minimum versions), not part of the dashboard model.",
  `type Requires = { type: "grafana" | "datasource" | "panel"; id: string; name: string; version: string }[];`,
  "type DashboardJson = Json<Dashboard> & { __requires?: Requires };",
];

// One TypeScript file per dashboard; `spans` maps its lines back to what they check.
function source(dash) {
  const lines = [...HEADER];
  const spans = [];
  const emit = (what, decl, value) => {
    const text = `${decl} = ${JSON.stringify(value, null, 2)};`.split("\n");
    spans.push({ what, from: lines.length + 1, to: lines.length + text.length });
    lines.push(...text);
  };
  emit("dashboard", "export const dashboard: DashboardJson", dash);
  const problems = [];
  const walk = (panels) => {
    for (const p of panels || []) {
      if (p.type === "row") {
        walk(p.panels);
        continue;
      }
      const where = `panel ${p.id} "${p.title}"`;
      if (!PANELS[p.type]) {
        problems.push(`${where}: no schema for panel type ${p.type} (add it to PANELS)`);
        continue;
      }
      emit(`${where} options`, `const options${p.id}: Stored<${p.type}.Options>`, p.options || {});
      const custom = p.fieldConfig?.defaults?.custom;
      if (custom !== undefined) {
        const type = p.type === "stat" ? "Record<string, never>" : `Stored<${p.type}.FieldConfig>`;
        emit(`${where} fieldConfig.defaults.custom`, `const custom${p.id}: ${type}`, custom);
      }
      emit(`${where} targets`, `const targets${p.id}: Json<PrometheusDataQuery>[]`, p.targets || []);
    }
  };
  walk(dash.panels);
  return { text: lines.join("\n") + "\n", spans, problems };
}

function compile(files) {
  const options = {
    strict: true, noEmit: true, noUnusedLocals: false, target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, types: [],
    baseUrl: workDir, paths: { "@grafana/schema": [path.join(modules, "@grafana/schema")],
      "@grafana/schema/*": [path.join(modules, "@grafana/schema/*")], tslib: [path.join(modules, "tslib")] },
  };
  const program = ts.createProgram(files, options);
  return ts.getPreEmitDiagnostics(program);
}

// Problems of the given dashboard objects, as "label:line: message" (JSON lines of the whole
// dashboard; for a panel's parts, the part and the line within it).
function check(named) {
  fs.mkdirSync(workDir, { recursive: true });
  const generated = new Map();
  const problems = [];
  for (const [label, dash] of named) {
    const file = path.join(workDir, `${path.basename(label, ".json")}.ts`);
    const { text, spans, problems: early } = source(dash);
    fs.writeFileSync(file, text);
    generated.set(file, { label, spans });
    problems.push(...early.map((p) => `${label}: ${p}`));
  }
  for (const d of compile([...generated.keys()])) {
    const message = ts.flattenDiagnosticMessageText(d.messageText, "\n  ").slice(0, 600);
    const gen = d.file && generated.get(path.resolve(d.file.fileName));
    if (!gen) {
      problems.push(`typescript: ${message}`);
      continue;
    }
    const line = d.file.getLineAndCharacterOfPosition(d.start).line + 1;
    const span = gen.spans.find((s) => line >= s.from && line <= s.to);
    const at = !span ? `generated line ${line}` : span.what === "dashboard" ? `${line - span.from + 1}`
      : `${span.what}, line ${line - span.from + 1}`;
    problems.push(`${gen.label}:${at}: ${message}`);
  }
  return problems;
}

const load = (f) => JSON.parse(fs.readFileSync(f, "utf8"));
if (!selfTest) {
  const problems = check(dashboards.map((f) => [path.relative(process.cwd(), f), load(f)]));
  for (const p of problems) console.log(p);
  console.log(`${dashboards.length - new Set(problems.map((p) => p.split(":")[0])).size} of ${dashboards.length} dashboards match @grafana/schema ${schemaVersion}`);
  process.exit(problems.length ? 1 : 0);
}

// Self-test: each mutation of the first dashboard must be rejected with its field named (all
// compiled in one program: one compiler start).
const panelOf = (d, type) => d.panels.find((p) => p.type === type);
const MUTATIONS = {
  "misspelled top-level field": [(d) => { d.refersh = "30s"; }, "refersh"],
  "misspelled panel field": [(d) => { panelOf(d, "stat").gridPoss = {}; }, "gridPoss"],
  "mistyped gridPos": [(d) => { panelOf(d, "stat").gridPos.w = "12"; }, "not assignable to type 'number'"],
  "unknown enum value": [(d) => { d.templating.list[0].type = "dropdown"; }, '"dropdown"'],
  "misspelled panel option": [(d) => { panelOf(d, "timeseries").options.legend.showLegnd = true; }, "showLegnd"],
  "misspelled target field": [(d) => { panelOf(d, "table").targets[0].legendFromat = "x"; }, "legendFromat"],
};
const label = (name) => `mutation-${name.replaceAll(" ", "-")}`;
const problems = check(Object.entries(MUTATIONS).map(([name, [mutate]]) => {
  const dash = load(dashboards[0]);
  mutate(dash);
  return [label(name), dash];
}));
let failed = 0;
for (const [name, [, want]] of Object.entries(MUTATIONS)) {
  const mine = problems.filter((p) => p.startsWith(`${label(name)}:`));
  const ok = mine.some((p) => p.includes(want));
  if (!ok) failed++;
  console.log(`${ok ? "rejected" : "FAIL: accepted"} (${name})${ok ? "" : `: ${mine.join("; ") || "no problem reported"}`}`);
}
process.exit(failed ? 1 : 0);

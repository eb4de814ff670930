#include "http/status_page.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <map>

#include <nlohmann/json.hpp>

#include "catalog/catalog.h"
#include "gocompat/duration.h"
#include "gocompat/float_format.h"
#include "gocompat/html_escape.h"
#include "http/routes.h"
#include "http/svg_chart.h"
#include "promql/matcher.h"

namespace cerniq::http {
namespace {

using QueueKey = std::pair<std::string, std::string>;  // (prefix, queue)
using gocompat::HtmlEscapeString;

std::string Esc(std::string_view s) { return HtmlEscapeString(s); }

constexpr const char* kStyle = R"(
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#111827;background:#f9fafb}
header{background:#1f2937;color:#f9fafb;padding:10px 20px}
header h1{font-size:18px;margin:0 12px 0 0;display:inline}
header .meta{color:#d1d5db;font-size:12px}
nav.summary{padding:10px 20px;display:flex;gap:8px;flex-wrap:wrap;background:#fff;border-bottom:1px solid #e5e7eb}
nav.summary a{text-decoration:none}
main{padding:0 20px 20px}
section{margin-top:18px}
h2{font-size:16px;margin:0 0 6px}
h3{font-size:14px;margin:12px 0 4px}
table{border-collapse:collapse;background:#fff;border:1px solid #e5e7eb;width:100%}
th,td{padding:4px 8px;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top}
th{background:#f3f4f6;font-weight:600;font-size:12px;color:#374151}
td.num{text-align:right;font-variant-numeric:tabular-nums}
td.over{color:#b91c1c;font-weight:700}
tr.attention td{background:#fef2f2}
tr.attention td:first-child{font-weight:600}
tr.firing td{background:#fef2f2}
tr.pending td{background:#fffbeb}
.badge{display:inline-block;padding:1px 8px;border-radius:9px;font-size:12px;font-weight:600;white-space:nowrap}
.ok{background:#dcfce7;color:#166534}
.bad{background:#fee2e2;color:#991b1b}
.warn{background:#fef3c7;color:#92400e}
.none{background:#e5e7eb;color:#374151}
.muted,.prefix{color:#6b7280;font-size:12px}
.prefix{margin-left:6px}
.chip{display:inline-block;background:#eef2ff;color:#3730a3;border-radius:4px;padding:0 5px;margin:1px 2px;font-size:12px;font-family:ui-monospace,monospace}
code,.query{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px}
.query{color:#4b5563;word-break:break-all}
.err{color:#b91c1c}
dl.ann{margin:0;display:grid;grid-template-columns:max-content 1fr;gap:1px 10px}
dl.ann dt{font-weight:600;font-size:12px;color:#374151;padding-top:1px}
dl.ann dd{margin:0}
details.group{margin-top:8px}
details.group summary{cursor:pointer;font-weight:600;padding:2px 0}
p.note{margin:4px 0;color:#4b5563}
footer{padding:10px 20px;font-size:12px;color:#6b7280}
footer a{margin-right:10px}
)";

std::string Badge(const char* kind, const std::string& text) {
  return std::string("<span class=\"badge ") + kind + "\">" + Esc(text) + "</span>";
}

// "2026-12-02 13:50:47 UTC"
std::string UtcTime(int64_t unix_ms) {
  std::time_t t = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

// "12s ago" with the exact time as a tooltip; "never" for 0.
std::string Ago(int64_t now_ms, int64_t t_ms) {
  if (t_ms <= 0) return "<span class=\"muted\">never</span>";
  const int64_t d = std::max<int64_t>(0, now_ms - t_ms);
  return "<span title=\"" + UtcTime(t_ms) + "\">" +
         gocompat::FormatDuration((d + 500) / 1000 * 1000) + " ago</span>";
}

std::string Seconds(double s) {
  char buf[32];
  if (s < 1) {
    std::snprintf(buf, sizeof buf, "%.1f ms", s * 1000);
  } else {
    std::snprintf(buf, sizeof buf, "%.2f s", s);
  }
  return buf;
}

// ---- queues ----

struct WaitingHistory {
  std::map<QueueKey, std::vector<ChartPoint>> series;
  std::string problem;  // non-empty: why there are no charts
  // The charts' left edge: the oldest sample, so that a young history fills the chart instead
  // of sitting in its last pixels; at most history_ms and at least a minute back.
  int64_t mint_ms = 0;
};

WaitingHistory LoadWaitingHistory(const StatusPageInputs& in) {
  WaitingHistory h;
  const int64_t mint = in.now_ms - in.history_ms;
  h.mint_ms = mint;
  if (!in.storage) {
    h.problem = "no history store in this process";
    return h;
  }
  try {
    auto storage = in.storage(mint, in.now_ms);
    if (!storage) {
      h.problem = "history not ready yet";
      return h;
    }
    promql::Matcher name(promql::MatchType::kEqual, std::string(promql::kMetricName),
                         std::string(catalog::names::kQueueWaiting));
    for (const auto& view : storage->Select({name}, mint, in.now_ms)) {
      auto& points =
          h.series[{std::string(view.labels.Get("prefix")), std::string(view.labels.Get("queue"))}];
      for (size_t i = 0; i < view.t.size(); ++i) points.push_back({view.t[i], view.v[i]});
    }
  } catch (const std::exception& e) {
    h.problem = std::string("history unavailable: ") + e.what();
  }
  int64_t oldest = in.now_ms - 60'000;
  for (const auto& [key, points] : h.series) {
    if (!points.empty()) oldest = std::min(oldest, points.front().t_ms);
  }
  if (!h.series.empty()) h.mint_ms = std::max(h.mint_ms, oldest);
  return h;
}

std::string Expected(const nlohmann::json& t) {
  const int failed_below = t["failed_below"].get<int>();
  return "waiting &lt; " + std::to_string(t["waiting_below"].get<int>()) + ", " +
         (failed_below == 1 ? std::string("failed = 0")
                            : "failed &lt; " + std::to_string(failed_below));
}

// A number cell of the queue table; `limit` marks it red from that value on.
std::string NumberCell(const nlohmann::json& q, const char* field, std::optional<int> limit) {
  std::string cls = "num";
  std::string text = "—";
  if (q.contains(field)) {
    text = q[field].dump();
    if (limit && q[field].get<double>() >= *limit) cls += " over";
  }
  return "<td class=\"" + cls + "\" data-field=\"" + field + "\">" + text + "</td>";
}

std::string QueueRow(const nlohmann::json& q, const WaitingHistory& history,
                     const StatusPageInputs& in) {
  const bool available = q["available"].get<bool>();
  const bool has_thresholds = q.contains("thresholds");
  std::optional<int> waiting_limit, failed_limit;
  if (has_thresholds) {
    waiting_limit = q["thresholds"]["waiting_below"].get<int>();
    failed_limit = q["thresholds"]["failed_below"].get<int>();
  }
  std::string status;
  const char* row_class = "";
  if (!available) {
    status = Badge("none", "no data");
  } else if (!q.contains("healthy")) {
    status = Badge("none", "no threshold");
  } else if (q["healthy"].get<bool>()) {
    status = Badge("ok", "healthy");
  } else {
    status = Badge("bad", "attention");
    row_class = "attention";
  }
  const std::string name = q["name"].get<std::string>(), prefix = q["prefix"].get<std::string>();
  std::string row = "<tr class=\"" + std::string(row_class) + "\" data-queue=\"" + Esc(name) +
                    "\" data-prefix=\"" + Esc(prefix) + "\"><td>" + Esc(name) +
                    "<span class=\"prefix\">" + Esc(prefix) + "</span></td>";
  row += NumberCell(q, "waiting", waiting_limit) + NumberCell(q, "active", std::nullopt) +
         NumberCell(q, "failed", failed_limit) + NumberCell(q, "workers", std::nullopt);
  std::string paused = "—";
  if (q.contains("paused")) paused = q["paused"].get<bool>() ? Badge("warn", "paused") : "no";
  row += "<td data-field=\"paused\">" + paused + "</td>";
  row += "<td>" + (has_thresholds ? Expected(q["thresholds"]) : "—") + "</td>";
  row += "<td data-field=\"status\">" + status + "</td><td>";
  if (history.problem.empty()) {
    SparklineSpec spec{history.mint_ms, in.now_ms, std::nullopt, "waiting jobs of " + name};
    if (waiting_limit) spec.threshold = *waiting_limit;
    auto it = history.series.find({prefix, name});
    row +=
        it == history.series.end() ? RenderSparkline({}, spec) : RenderSparkline(it->second, spec);
  } else {
    row += "<span class=\"muted\">—</span>";
  }
  return row + "</td></tr>\n";
}

std::string QueueSection(const nlohmann::json& queues, const StatusPageInputs& in) {
  const WaitingHistory history = LoadWaitingHistory(in);
  std::string out =
      "<section id=\"queues\"><h2>Queues (runbook §1.2)</h2>\n"
      "<table class=\"queues\"><thead><tr><th>queue</th><th>waiting</th><th>active</th>"
      "<th>failed</th><th>workers</th><th>paused</th><th>expected</th><th>status</th><th>waiting, "
      "last " +
      gocompat::FormatDuration((in.now_ms - history.mint_ms + 500) / 1000 * 1000) +
      "</th></tr></thead><tbody>\n";
  for (const auto& q : queues) out += QueueRow(q, history, in);
  if (queues.empty()) out += "<tr><td colspan=\"9\" class=\"muted\">no queue configured</td></tr>";
  out += "</tbody></table>\n";
  if (!history.problem.empty())
    out += "<p class=\"note\">Charts: " + Esc(history.problem) + ".</p>";
  return out + "</section>\n";
}

// ---- alerts and rules ----

struct AlertRow {
  const api::AlertState* alert;
  const api::RuleState* rule;
};

std::vector<AlertRow> AlertsIn(const std::vector<api::RuleGroupState>& groups,
                               const std::string& state) {
  std::vector<AlertRow> rows;
  for (const auto& g : groups) {
    for (const auto& r : g.rules) {
      for (const auto& a : r.alerts) {
        if (a.state == state) rows.push_back({&a, &r});
      }
    }
  }
  std::stable_sort(rows.begin(), rows.end(), [](const AlertRow& x, const AlertRow& y) {
    return x.alert->labels < y.alert->labels;
  });
  return rows;
}

// An http(s) URL (runbook_url) is a link; any other value (javascript: included) is text.
std::string AnnotationValue(std::string_view value) {
  if (value.starts_with("https://") || value.starts_with("http://")) {
    return "<a href=\"" + Esc(value) + "\">" + Esc(value) + "</a>";
  }
  return Esc(value);
}

std::string Annotations(const promql::Labels& annotations) {
  if (annotations.empty()) return "<span class=\"muted\">—</span>";
  std::string out = "<dl class=\"ann\">";
  // summary and description first: what an operator reads before the rest.
  for (const char* first : {"summary", "description"}) {
    if (annotations.Has(first)) {
      out += std::string("<dt>") + first + "</dt><dd>" + AnnotationValue(annotations.Get(first)) +
             "</dd>";
    }
  }
  for (const auto& a : annotations) {
    if (a.name == "summary" || a.name == "description") continue;
    out += "<dt>" + Esc(a.name) + "</dt><dd>" + AnnotationValue(a.value) + "</dd>";
  }
  return out + "</dl>";
}

std::string AlertTable(const std::vector<AlertRow>& rows, const std::string& state,
                       int64_t now_ms) {
  if (rows.empty()) return "<p class=\"note\">No alert is " + state + ".</p>\n";
  std::string out =
      "<table class=\"alerts\"><thead><tr><th>alert</th><th>labels</th><th>active since</th>"
      "<th>value</th><th>annotations</th></tr></thead><tbody>\n";
  for (const AlertRow& row : rows) {
    std::string name(row.alert->labels.Get("alertname"));
    if (name.empty()) name = row.rule->name;
    std::string chips;
    for (const auto& l : row.alert->labels) {
      if (l.name == "alertname") continue;
      chips += "<span class=\"chip\">" + Esc(l.name) + "=" + Esc(l.value) + "</span>";
    }
    out += "<tr class=\"" + state + "\" data-alert=\"" + Esc(name) + "\" data-state=\"" + state +
           "\"><td><strong>" + Esc(name) + "</strong></td><td>" + chips + "</td><td>" +
           Ago(now_ms, row.alert->active_at_ns / 1'000'000) + "</td><td class=\"num\">" +
           Esc(gocompat::FloatString(row.alert->value)) + "</td><td>" +
           Annotations(row.alert->annotations) + "</td></tr>\n";
  }
  return out + "</tbody></table>\n";
}

constexpr const char* kNoEvaluator =
    "<p class=\"note\">No rule evaluator in this process: start the exporter with "
    "<code>--rules.file rules/*.yaml</code> to evaluate the runbook's alerts here.</p>\n";

std::string AlertSection(const StatusPageInputs& in) {
  std::string out = "<section id=\"alerts\"><h2>Alerts</h2>\n";
  if (!in.rule_groups) return out + kNoEvaluator + "</section>\n";
  for (const char* state : {"firing", "pending"}) {
    auto rows = AlertsIn(*in.rule_groups, state);
    out += std::string("<h3>") + (state[0] == 'f' ? "Firing" : "Pending") + " " +
           Badge(rows.empty() ? "none" : (state[0] == 'f' ? "bad" : "warn"),
                 std::to_string(rows.size())) +
           "</h3>\n" + AlertTable(rows, state, in.now_ms);
  }
  return out + "</section>\n";
}

std::string RuleRow(const api::RuleState& r, const api::RuleGroupState& g, int64_t now_ms) {
  std::string state = "—";
  if (r.alerting) {
    const char* kind = r.state == "firing" ? "bad" : r.state == "pending" ? "warn" : "ok";
    state = Badge(kind, r.state);
  }
  const char* health_kind = r.health == "ok" ? "ok" : r.health == "err" ? "bad" : "none";
  auto last = r.last_evaluation_ns ? r.last_evaluation_ns : g.last_evaluation_ns;
  return std::string("<tr class=\"") + (r.health == "err" ? "attention" : "") + "\" data-rule=\"" +
         Esc(r.name) + "\"><td><strong>" + Esc(r.name) + "</strong><div class=\"query\">" +
         Esc(r.query) + "</div></td><td>" + (r.alerting ? "alert" : "record") + "</td><td>" +
         state + "</td><td>" + Badge(health_kind, r.health) + "</td><td>" +
         (last ? Ago(now_ms, *last / 1'000'000) : "<span class=\"muted\">never</span>") +
         "</td><td class=\"err\">" + Esc(r.last_error) + "</td></tr>\n";
}

std::string RuleSection(const StatusPageInputs& in) {
  std::string out = "<section id=\"rules\"><h2>Rules</h2>\n";
  if (!in.rule_groups) return out + kNoEvaluator + "</section>\n";
  if (in.rule_groups->empty()) out += "<p class=\"note\">No rule group loaded.</p>\n";
  for (const auto& g : *in.rule_groups) {
    // Groups with something to look at (an active alert, a failing rule) start open.
    const bool open = std::any_of(g.rules.begin(), g.rules.end(), [](const api::RuleState& r) {
      return r.health == "err" || !r.alerts.empty();
    });
    out += std::string("<details class=\"group\"") + (open ? " open" : "") + "><summary>" +
           Esc(g.name) + " <span class=\"muted\">" + Esc(g.file) + " · " +
           std::to_string(g.rules.size()) + " rules · every " +
           gocompat::FormatDuration(std::llround(g.interval_s * 1000)) + " · last evaluation " +
           (g.last_evaluation_ns ? Ago(in.now_ms, *g.last_evaluation_ns / 1'000'000) : "never") +
           " · took " + Seconds(g.evaluation_time_s) + "</span></summary>\n";
    out +=
        "<table class=\"rules\"><thead><tr><th>rule</th><th>type</th><th>state</th><th>health</th>"
        "<th>last evaluation</th><th>last error</th></tr></thead><tbody>\n";
    for (const auto& r : g.rules) out += RuleRow(r, g, in.now_ms);
    out += "</tbody></table></details>\n";
  }
  return out + "</section>\n";
}

// ---- collectors ----

std::string CollectorSection(const collect::Snapshot& snapshot, int64_t now_ms) {
  std::string out =
      "<section id=\"collectors\"><h2>Collectors</h2>\n<table class=\"collectors\"><thead><tr>"
      "<th>collector</th><th>source</th><th>status</th><th>last pass</th><th>duration</th>"
      "<th>last success</th><th>error</th></tr></thead><tbody>\n";
  for (const auto& [name, c] : snapshot.collectors) {
    std::string status = !c->finished_first_pass ? Badge("none", "first pass pending")
                         : c->success            ? Badge("ok", "ok")
                                                 : Badge("bad", "failed");
    const bool failed = c->finished_first_pass && !c->success;
    auto ms = [](double unix_s) { return static_cast<int64_t>(std::llround(unix_s * 1000)); };
    out += std::string("<tr class=\"") + (failed ? "attention" : "") + "\" data-collector=\"" +
           Esc(name) + "\"><td>" + Esc(name) + "</td><td>" + Esc(c->source) + "</td><td>" + status +
           "</td><td>" + Ago(now_ms, ms(c->last_attempt_unix)) + "</td><td class=\"num\">" +
           (c->finished_first_pass ? Seconds(c->duration_seconds) : "—") + "</td><td>" +
           Ago(now_ms, ms(c->last_success_unix)) + "</td><td class=\"err\">" + Esc(c->error) +
           "</td></tr>\n";
  }
  if (snapshot.collectors.empty()) {
    out += "<tr><td colspan=\"7\" class=\"muted\">no collector registered</td></tr>";
  }
  return out + "</tbody></table></section>\n";
}

// ---- page ----

std::string Summary(const nlohmann::json& queues, const collect::Snapshot& snapshot,
                    const StatusPageInputs& in) {
  int attention = 0, no_data = 0, failing = 0;
  for (const auto& q : queues) {
    if (!q["available"].get<bool>()) ++no_data;
    if (q.contains("healthy") && !q["healthy"].get<bool>()) ++attention;
  }
  for (const auto& [name, c] : snapshot.collectors)
    failing += c->finished_first_pass && !c->success;
  std::string out = "<nav class=\"summary\"><a href=\"#queues\">";
  out += attention ? Badge("bad", std::to_string(attention) + " of " +
                                      std::to_string(queues.size()) + " queues need attention")
                   : Badge("ok", "queues within the runbook's thresholds");
  if (no_data) out += " " + Badge("none", std::to_string(no_data) + " without data");
  out += "</a><a href=\"#alerts\">";
  if (in.rule_groups) {
    const size_t firing = AlertsIn(*in.rule_groups, "firing").size();
    const size_t pending = AlertsIn(*in.rule_groups, "pending").size();
    out += Badge(firing ? "bad" : "ok", std::to_string(firing) + " firing") + " " +
           Badge(pending ? "warn" : "ok", std::to_string(pending) + " pending");
  } else {
    out += Badge("none", "no rule evaluator");
  }
  out += "</a><a href=\"#collectors\">";
  out += failing ? Badge("bad", std::to_string(failing) + " collectors failing")
                 : Badge("ok", "collectors ok");
  return out + "</a></nav>\n";
}

std::string Footer(const StatusPageInputs& in) {
  std::string out = "<footer>Endpoints: ";
  for (const std::string& path :
       {in.telemetry_path, std::string("/health"), std::string("/health/redis"),
        std::string("/health/db"), std::string("/-/ready"), std::string("/api/admin/queues/etapa5"),
        std::string("/api/v1/alerts"), std::string("/api/v1/rules")}) {
    out += "<a href=\"" + Esc(in.link_prefix + path) + "\">" + Esc(path) + "</a>";
  }
  return out + "</footer>\n";
}

}  // namespace

std::string RenderStatusPage(const StatusPageInputs& in) {
  static const collect::Snapshot kEmpty;
  const collect::Snapshot& snapshot = in.snapshot ? *in.snapshot : kEmpty;
  const nlohmann::json queues = QueueList(snapshot, in.queues);
  std::string page =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";
  if (in.refresh_seconds > 0) {
    page += "<meta http-equiv=\"refresh\" content=\"" + std::to_string(in.refresh_seconds) + "\">";
  }
  page += "<title>cerniq_exporter · Etapa 5 status</title><style>" + std::string(kStyle) +
          "</style></head><body>\n<header><h1>cerniq_exporter</h1><span class=\"meta\">Etapa 5 "
          "status · version " +
          Esc(in.version) + " (" + Esc(in.revision) + ") · " + UtcTime(in.now_ms) +
          (in.refresh_seconds > 0 ? " · refreshes every " + std::to_string(in.refresh_seconds) + "s"
                                  : std::string()) +
          "</span></header>\n" + Summary(queues, snapshot, in) + "<main>\n" +
          QueueSection(queues, in) + AlertSection(in) + CollectorSection(snapshot, in.now_ms) +
          RuleSection(in) + "</main>\n" + Footer(in) + "</body></html>\n";
  return page;
}

}  // namespace cerniq::http

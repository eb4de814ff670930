#include "api/api.h"
#include "gocompat/quote.h"

#include <algorithm>
#include <chrono>
#include <new>

#include "api/go_json.h"
#include "api/params.h"
#include "log/limits.h"
#include "promql/parser.h"

namespace cerniq::api {

namespace {

constexpr int64_t kNsPerMs = 1'000'000;

Response BadParam(const std::string& param, const std::string& message) {
  return Error("bad_data", "invalid parameter \"" + param + "\": " + message);
}

// The samples a query can touch, conservatively: every range, offset and subquery counted on
// one path; `@` modifiers reach anywhere.
std::pair<int64_t, int64_t> QueryBounds(promql::Expr& expr, int64_t start, int64_t end,
                                        int64_t lookback) {
  int64_t back = lookback, forward = 0;
  bool anywhere = false;
  auto modifiers = [&](const promql::TimeModifiers& m) {
    if (m.at_ms || m.start_or_end != promql::Tok::kEOF) anywhere = true;
    if (m.original_offset_ms > 0) back += m.original_offset_ms;
    if (m.original_offset_ms < 0) forward -= m.original_offset_ms;
  };
  promql::Inspect(expr, [&](promql::Expr& e, const std::vector<promql::Expr*>&) {
    if (e.kind == promql::NodeKind::kVectorSelector) {
      modifiers(static_cast<promql::VectorSelector&>(e).mod);
    } else if (e.kind == promql::NodeKind::kMatrixSelector) {
      back += static_cast<promql::MatrixSelector&>(e).range_ms;
    } else if (e.kind == promql::NodeKind::kSubquery) {
      auto& sq = static_cast<promql::SubqueryExpr&>(e);
      back += sq.range_ms + std::max<int64_t>(sq.step_ms, 60'000);
      modifiers(sq.mod);
    }
  });
  if (anywhere) return {kMinTimeMs, kMaxTimeMs};
  return {start - back, end + forward};
}

// The optional `timeout` parameter, in nanoseconds.
std::optional<Response> ParseTimeout(const Form& form, int64_t* timeout_ns) {
  std::string v = form.Value("timeout"), err;
  if (v.empty()) return std::nullopt;
  auto parsed = ParseDuration(v, &err);
  if (!parsed) return BadParam("timeout", err);
  *timeout_ns = *parsed;
  return std::nullopt;
}

// returnAPIError: the engine's timeout and cancellation, else an execution error.
Response EvaluationError(const std::string& message) {
  if (message.rfind("query timed out in", 0) == 0) {
    log::LimitReached(log::limit::kQueryTimeout, {{"err", message}});
    return Error("timeout", message);
  }
  if (message.rfind("query processing would load too many samples", 0) == 0) {
    log::LimitReached(log::limit::kQuerySamples, {{"err", message}});
  }
  if (message.rfind("query was canceled in", 0) == 0) return Error("canceled", message);
  return Error("execution", message);
}

}  // namespace

Api::Api(Options options, StorageProvider storage, RulesProvider rules)
    : options_(std::move(options)),
      storage_(std::move(storage)),
      rules_(std::move(rules)),
      gate_(options_.max_concurrency) {}

int64_t Api::Now() const {
  if (options_.now_ms) return options_.now_ms();
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Response Api::Handle(const Request& request) const {
  const std::string& p = request.path;
  const std::string& m = request.method;
  if (m == "OPTIONS") return Response{204, "", "", {}};
  if (!storage_) return NotReady();
  Call call{request, Form(m, request.query, request.body, request.content_type)};
  bool get = m == "GET", get_post = get || m == "POST";
  struct Route {
    const char* path;
    bool allowed;
    std::function<Response()> handler;
  };
  const Route routes[] = {
      {"/query", get_post, [&] { return Query(call); }},
      {"/query_range", get_post, [&] { return QueryRange(call); }},
      {"/query_exemplars", get_post, [&] { return QueryExemplars(call); }},
      {"/format_query", get_post, [&] { return FormatQuery(call); }},
      {"/labels", get_post, [&] { return LabelNames(call); }},
      {"/series", get_post, [&] { return Series(call); }},
      {"/metadata", get, [&] { return Metadata(call); }},
      {"/alerts", get, [&] { return Alerts(); }},
      {"/rules", get, [&] { return Rules(call); }},
      {"/status/buildinfo", get, [&] { return BuildInfoResponse(); }},
  };
  for (const auto& route : routes) {
    if (p != route.path) continue;
    if (p == "/series" && m == "DELETE") return Error("internal", "not implemented");
    if (!route.allowed) {
      return Response{405, "text/plain; charset=utf-8", "Method Not Allowed\n", {}};
    }
    return route.handler();
  }
  constexpr std::string_view kLabel = "/label/", kValues = "/values";
  if (p.size() > kLabel.size() + kValues.size() && p.rfind(kLabel, 0) == 0 &&
      p.compare(p.size() - kValues.size(), kValues.size(), kValues) == 0) {
    std::string name = p.substr(kLabel.size(), p.size() - kLabel.size() - kValues.size());
    if (name.find('/') == std::string::npos) {
      if (!get) return Response{405, "text/plain; charset=utf-8", "Method Not Allowed\n", {}};
      return LabelValues(call, name);
    }
  }
  return Response{404, "text/plain; charset=utf-8", "404 page not found\n", {}};
}

Response Api::Execute(
    int64_t timeout_ns, int64_t mint, int64_t maxt,
    const std::function<promql::Value(const promql::Engine&, const promql::Storage&)>& run) const {
  auto start = std::chrono::steady_clock::now();
  auto timeout = std::min<std::chrono::nanoseconds>(options_.engine.timeout,
                                                    std::chrono::nanoseconds(timeout_ns));
  auto deadline = start + timeout;
  if (!gate_.Acquire(deadline)) {
    log::LimitReached(log::limit::kQueryTimeout, {{"err", "query timed out in query queue"}});
    return Error("timeout", "query timed out in query queue");
  }
  struct Release {
    QueryGate& gate;
    ~Release() { gate.Release(); }
  } release{gate_};
  promql::EngineOptions opts = options_.engine;
  opts.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  try {
    auto storage = storage_(mint, maxt);
    if (!storage) return NotReady();
    return QuerySuccess(run(promql::Engine(opts), *storage));
  } catch (const promql::QueryError& e) {
    return EvaluationError(e.what());
  } catch (const std::bad_alloc&) {
    return Error("execution", "query ran out of memory");
  }
}

Response Api::Query(const Call& call) const {
  int64_t t = Now();
  std::string err;
  if (std::string v = call.form.Value("time"); !v.empty()) {
    auto parsed = ParseTime(v, &err);
    if (!parsed) return BadParam("time", "Invalid time value for 'time': " + err);
    t = *parsed;
  }
  int64_t timeout_ns = INT64_MAX;
  if (auto bad = ParseTimeout(call.form, &timeout_ns)) return *bad;
  promql::ExprPtr expr;
  try {
    expr = promql::ParseExpr(call.form.Value("query"));
  } catch (const promql::ParseError& e) {
    return BadParam("query", e.what());
  }
  auto [mint, maxt] = QueryBounds(*expr, t, t, options_.engine.lookback_delta_ms);
  return Execute(timeout_ns, mint, maxt,
                 [&](const promql::Engine& engine, const promql::Storage& storage) {
                   return engine.Instant(storage, *expr, t);
                 });
}

Response Api::QueryRange(const Call& call) const {
  std::string err;
  auto start = ParseTime(call.form.Value("start"), &err);
  if (!start) return BadParam("start", err);
  auto end = ParseTime(call.form.Value("end"), &err);
  if (!end) return BadParam("end", err);
  if (*end < *start) return BadParam("end", "end timestamp must not be before start time");
  auto step = ParseDuration(call.form.Value("step"), &err);
  if (!step) return BadParam("step", err);
  if (*step <= 0) {
    return BadParam("step",
                    "zero or negative query resolution step widths are not accepted. Try a "
                    "positive integer");
  }
  // For safety, as Prometheus: at most 11,000 points per series.
  if ((*end - *start) * kNsPerMs / *step > 11000) {
    return Error("bad_data",
                 "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing "
                 "the query resolution (?step=XX)");
  }
  int64_t timeout_ns = INT64_MAX;
  if (auto bad = ParseTimeout(call.form, &timeout_ns)) return *bad;
  promql::ExprPtr expr;
  try {
    expr = promql::ParseExpr(call.form.Value("query"));
  } catch (const promql::ParseError& e) {
    return Error("bad_data", e.what());
  }
  promql::ValueType type = expr->Type();
  if (type != promql::ValueType::kVector && type != promql::ValueType::kScalar) {
    return Error("bad_data", "invalid expression type \"" +
                                 std::string(promql::DocumentedType(type)) +
                                 "\" for range query, must be Scalar or instant Vector");
  }
  int64_t step_ms = *step / kNsPerMs;
  auto [mint, maxt] = QueryBounds(*expr, *start, *end, options_.engine.lookback_delta_ms);
  return Execute(timeout_ns, mint, maxt,
                 [&](const promql::Engine& engine, const promql::Storage& storage) {
                   return engine.Range(storage, *expr, *start, *end, step_ms);
                 });
}

Response Api::FormatQuery(const Call& call) const {
  try {
    // Expr.Pretty(0) equals String() for expressions that fit in 100 columns.
    return Success(JsonString(promql::ParseExpr(call.form.Value("query"))->String()));
  } catch (const promql::ParseError& e) {
    return BadParam("query", e.what());
  }
}

Response Api::QueryExemplars(const Call& call) const {
  std::string err;
  int64_t start = kMinTimeMs, end = kMaxTimeMs;
  for (auto [name, out] : {std::pair<const char*, int64_t*>{"start", &start}, {"end", &end}}) {
    if (std::string v = call.form.Value(name); !v.empty()) {
      auto parsed = ParseTime(v, &err);
      if (!parsed)
        return BadParam(name, std::string("Invalid time value for '") + name + "': " + err);
      *out = *parsed;
    }
  }
  if (end < start) return Error("bad_data", "end timestamp must not be before start timestamp");
  promql::ExprPtr expr;
  try {
    expr = promql::ParseExpr(call.form.Value("query"));
  } catch (const promql::ParseError& e) {
    return Error("bad_data", e.what());
  }
  bool selectors = false;
  promql::Inspect(*expr, [&](promql::Expr& e, const std::vector<promql::Expr*>&) {
    if (e.kind == promql::NodeKind::kVectorSelector) selectors = true;
  });
  if (!selectors) return Response{204, "", "", {}};
  return Success("[]");  // the exporter keeps no exemplars
}

Response Api::Alerts() const {
  return Success(AlertsJson(rules_ ? rules_() : std::vector<RuleGroupState>{}));
}

Response Api::Rules(const Call& call) const {
  std::string type;
  // r.URL.Query(): the URL's own parameters only.
  Form url_only("GET", call.request.query, "", "");
  for (char c : url_only.Value("type")) type += static_cast<char>(std::tolower(c));
  if (!type.empty() && type != "alert" && type != "record") {
    return BadParam("type", "not supported value " + gocompat::Quote(type));
  }
  return Success(RulesJson(rules_ ? rules_() : std::vector<RuleGroupState>{}, type));
}

Response Api::BuildInfoResponse() const {
  const BuildInfo& b = options_.build;
  return Success("{\"version\":" + JsonString(b.version) +
                 ",\"revision\":" + JsonString(b.revision) + ",\"branch\":" + JsonString(b.branch) +
                 ",\"buildUser\":" + JsonString(b.build_user) + ",\"buildDate\":" +
                 JsonString(b.build_date) + ",\"goVersion\":" + JsonString(b.go_version) + "}");
}

}  // namespace cerniq::api

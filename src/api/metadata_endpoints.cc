// /api/v1/series, /labels, /label/<name>/values and /metadata.
#include <algorithm>
#include <map>
#include <set>

#include "api/api.h"
#include "api/go_json.h"
#include "api/params.h"
#include "catalog/catalog.h"
#include "gocompat/quote.h"
#include "promql/parser.h"

namespace cerniq::api {

namespace {

using MatcherSets = std::vector<std::vector<promql::Matcher>>;

// parseMatchersParam: each match[] a metric selector, each with a matcher that rejects "".
std::optional<MatcherSets> ParseMatchers(const std::vector<std::string>& values,
                                         std::string* error) {
  MatcherSets sets;
  for (const auto& s : values) {
    try {
      promql::ExprPtr e = promql::ParseExpr(s);
      if (e->kind != promql::NodeKind::kVectorSelector) {
        *error = "1:1: parse error: expected a metric selector, got " + e->String();
        return std::nullopt;
      }
      sets.push_back(static_cast<promql::VectorSelector&>(*e).matchers);
    } catch (const promql::ParseError& err) {
      // ParseMetricSelector leaves the empty-matcher check to the caller, worded below.
      if (err.message() != "vector selector must contain at least one non-empty matcher") {
        *error = err.what();
        return std::nullopt;
      }
      *error = "match[] must contain at least one non-empty matcher";
      return std::nullopt;
    }
  }
  for (const auto& set : sets) {
    if (std::none_of(set.begin(), set.end(), [](const auto& m) { return !m.Matches(""); })) {
      *error = "match[] must contain at least one non-empty matcher";
      return std::nullopt;
    }
  }
  return sets;
}

// parseTimeParam for start and end, defaulting to the API's min and max times.
std::optional<Response> TimeRange(const Form& form, int64_t* start, int64_t* end) {
  *start = kMinTimeMs;
  *end = kMaxTimeMs;
  for (auto [name, out] : {std::pair<const char*, int64_t*>{"start", start}, {"end", end}}) {
    std::string v = form.Value(name), err;
    if (v.empty()) continue;
    auto parsed = ParseTime(v, &err);
    if (!parsed) {
      return Error("bad_data", std::string("invalid parameter \"") + name +
                                   "\": Invalid time value for '" + name + "': " + err);
    }
    *out = *parsed;
  }
  return std::nullopt;
}

// Every series in the store, when no match[] narrows it.
MatcherSets AllSeries() {
  return {{promql::Matcher(promql::MatchType::kRegexMatch, "__name__", ".+")}};
}

std::string StringArray(const std::vector<std::string>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    AppendJsonString(out, values[i]);
  }
  return out + "]";
}

}  // namespace

Response Api::Series(const Call& call) const {
  auto matches = call.form.Values("match[]");
  if (matches.empty()) return Error("bad_data", "no match[] parameter provided");
  int64_t start, end;
  if (auto bad = TimeRange(call.form, &start, &end)) return *bad;
  std::string err;
  auto sets = ParseMatchers(matches, &err);
  if (!sets) return Error("bad_data", "invalid parameter \"match[]\": " + err);
  auto storage = storage_(start, end);
  if (!storage) return NotReady();
  std::vector<promql::Labels> series;
  for (const auto& set : *sets) {
    for (const auto& s : storage->Select(set, start, end)) series.push_back(s.labels);
  }
  if (sets->size() > 1) {  // merged and deduplicated, in label order
    std::sort(series.begin(), series.end());
    series.erase(std::unique(series.begin(), series.end()), series.end());
  }
  std::string out = "[";
  for (size_t i = 0; i < series.size(); ++i) {
    if (i) out += ',';
    AppendLabels(out, series[i]);
  }
  return Success(out + "]");
}

Response Api::CollectLabelStrings(
    const Call& call,
    const std::function<void(const promql::Labels&, std::set<std::string>&)>& collect) const {
  int64_t start, end;
  if (auto bad = TimeRange(call.form, &start, &end)) return *bad;
  std::string err;
  auto sets = ParseMatchers(call.form.Values("match[]"), &err);
  if (!sets) return Error("bad_data", err);
  if (sets->empty()) *sets = AllSeries();
  auto storage = storage_(start, end);
  if (!storage) return NotReady();
  std::set<std::string> strings;  // sorted as Go sorts strings: by bytes
  for (const auto& set : *sets) {
    for (const auto& s : storage->Select(set, start, end)) collect(s.labels, strings);
  }
  return Success(StringArray({strings.begin(), strings.end()}));
}

Response Api::LabelNames(const Call& call) const {
  return CollectLabelStrings(call, [](const promql::Labels& labels, std::set<std::string>& out) {
    for (const auto& l : labels) out.insert(l.name);
  });
}

Response Api::LabelValues(const Call& call, const std::string& encoded_name) const {
  std::string name = QueryUnescape(encoded_name).value_or(encoded_name);
  if (!promql::IsValidLabelName(name)) {
    return Error("bad_data", "invalid label name: " + gocompat::Quote(name));
  }
  return CollectLabelStrings(call, [&](const promql::Labels& labels, std::set<std::string>& out) {
    std::string_view v = labels.Get(name);
    if (!v.empty()) out.emplace(v);
  });
}

Response Api::Metadata(const Call& call) const {
  int limit = -1;
  if (std::string s = call.form.Value("limit"); !s.empty()) {
    try {
      size_t used = 0;
      limit = std::stoi(s, &used);
      if (used != s.size()) throw std::invalid_argument(s);
    } catch (const std::exception&) {
      return Error("bad_data", "limit must be a number");
    }
  }
  std::string metric = call.form.Value("metric");
  std::map<std::string, std::vector<const MetricMetadata*>> by_name;  // Go sorts map keys
  for (const auto& m : options_.metadata) {
    if (metric.empty() || m.metric == metric) by_name[m.metric].push_back(&m);
  }
  std::string out = "{";
  int written = 0;
  for (const auto& [name, entries] : by_name) {
    if (limit >= 0 && written >= limit) break;
    if (written++) out += ',';
    AppendJsonString(out, name);
    out += ":[";
    for (size_t i = 0; i < entries.size(); ++i) {
      if (i) out += ',';
      out += "{\"type\":" + JsonString(entries[i]->type) +
             ",\"help\":" + JsonString(entries[i]->help) +
             ",\"unit\":" + JsonString(entries[i]->unit) + "}";
    }
    out += ']';
  }
  return Success(out + "}");
}

std::vector<MetricMetadata> CatalogMetadata() {
  std::vector<MetricMetadata> out;
  for (const auto& m : catalog::All()) {
    out.push_back(
        {std::string(m.name), std::string(catalog::TypeName(m.type)), std::string(m.help), ""});
  }
  return out;
}

}  // namespace cerniq::api

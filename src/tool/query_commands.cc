// `query instant|range|series|labels SERVER ...`: promtool 2.42's queries of a server's HTTP API
// (cmd/promtool/main.go), with its flags, output (-o promql|json), error texts and exit codes.
#include <cmath>
#include <ostream>

#include "gocompat/time.h"
#include "promapi/client.h"
#include "promapi/model.h"
#include "tool/command.h"
#include "tool/kingpin.h"

namespace cerniq::tool {
namespace {

using gocompat::GoTime;

// Command-line errors read "promtool: error: ...", as the golden comparisons expect.
const std::string kProgram = "promtool";

// url.Parse's scheme: letters, then letters, digits, '+', '-' or '.', before a ':'.
std::string UrlScheme(const std::string& s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (std::isalpha(c)) continue;
    if (i > 0 && (std::isdigit(c) || c == '+' || c == '-' || c == '.')) continue;
    return c == ':' && i > 0 ? s.substr(0, i) : "";
  }
  return "";
}

// kingpin's URL(): url.Parse's errors.
std::optional<std::string> CheckUrl(const std::string& s) {
  const auto colon = s.find(':');
  if (colon == 0) return "invalid URL: parse \"" + s + "\": missing protocol scheme";
  if (UrlScheme(s).empty() && colon != std::string::npos && colon < s.find('/')) {
    return "invalid URL: parse \"" + s + "\": first path segment in URL cannot contain colon";
  }
  return std::nullopt;
}

// The server argument with its scheme lower-cased (as url.Parse does), http by default.
std::string ServerUrl(std::string s) {
  const std::size_t n = UrlScheme(s).size();
  if (n == 0) return "http://" + s;
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>(std::tolower(s[i]));
  return s;
}

std::optional<std::string> CheckDuration(const std::string& s) {
  auto d = gocompat::ParseGoDuration(s);
  if (auto* e = std::get_if<std::string>(&d)) return *e;
  return std::nullopt;
}

std::optional<std::string> CheckHeader(const std::string& s) {
  if (s.find('=') == std::string::npos) return "expected KEY=VALUE got '" + s + "'";
  return std::nullopt;
}

std::optional<std::string> CheckFormat(const std::string& s) {
  if (s != "promql" && s != "json") return "enum value must be one of promql,json, got '" + s + "'";
  return std::nullopt;
}

struct QueryContext {
  const ParsedCommandLine& cl;
  CommandIO& io;
  bool json;

  std::string Flag(const std::string& name) const {
    auto it = cl.flags.find(name);
    return it == cl.flags.end() ? "" : it->second.back();
  }
  std::vector<std::string> Flags(const std::string& name) const {
    auto it = cl.flags.find(name);
    return it == cl.flags.end() ? std::vector<std::string>{} : it->second;
  }
  promapi::Client Client(promapi::Headers headers = {}) const {
    return promapi::Client(ServerUrl(cl.args.at("server")), std::move(headers));
  }
  // handleAPIError.
  int ApiError(const promapi::ApiResult& r) const {
    io.err << "query error: " << r.error;
    if (!r.detail.empty()) {
      const auto b = r.detail.find_first_not_of(" \t\r\n\v\f");
      const auto e = r.detail.find_last_not_of(" \t\r\n\v\f");
      if (b != std::string::npos) io.err << " (detail: " << r.detail.substr(b, e - b + 1) << ")";
    }
    io.err << "\n";
    return 1;
  }
  int PrintValue(const promapi::ApiResult& r) const {
    if (!r.ok) return ApiError(r);
    try {
      const promapi::Value v = promapi::DecodeQueryData(r.data);
      io.out << (json ? promapi::EncodeValue(v) : promapi::PrintValue(v));
    } catch (const promapi::DecodeError& e) {
      io.err << "query error: " << promapi::UnmarshalerError(e.what(), r.data_text) << "\n";
      return 1;
    }
    return 0;
  }
  // parseStartTimeAndEndTime: defaults now -/+ 9999h.
  bool StartEnd(GoTime* start, GoTime* end) const {
    constexpr int64_t k9999h = 9999LL * 3600 * 1'000'000'000;
    const GoTime now = gocompat::Now();
    *start = gocompat::Add(now, -k9999h);
    *end = gocompat::Add(now, k9999h);
    for (auto [flag, t] : {std::pair{"start", start}, std::pair{"end", end}}) {
      const std::string s = Flag(flag);
      if (s.empty()) continue;
      auto parsed = gocompat::ParseTime(s);
      if (!parsed) {
        io.err << "error parsing " << flag << " time: cannot parse \"" << s
               << "\" to a valid timestamp\n";
        return false;
      }
      *t = *parsed;
    }
    return true;
  }
};

int Instant(const QueryContext& q) {
  GoTime t = gocompat::Now();
  if (const std::string s = q.Flag("time"); !s.empty()) {
    auto parsed = gocompat::ParseTime(s);
    if (!parsed) {
      q.io.err << "error parsing evaluation time: cannot parse \"" << s
               << "\" to a valid timestamp\n";
      return 1;
    }
    t = *parsed;
  }
  return q.PrintValue(q.Client().PostWithGetFallback(
      "/api/v1/query", {{"query", q.cl.args.at("expr")}, {"time", gocompat::FormatTime(t)}}));
}

int Range(const QueryContext& q) {
  promapi::Headers headers;
  for (const auto& h : q.Flags("header")) {
    const auto eq = h.find('=');
    headers.emplace_back(h.substr(0, eq), h.substr(eq + 1));
  }
  GoTime end = gocompat::Now(), start;
  for (auto [flag, t] : {std::pair{"end", &end}, std::pair{"start", &start}}) {
    const std::string s = q.Flag(flag);
    if (s.empty()) continue;
    auto parsed = gocompat::ParseTime(s);
    if (!parsed) {
      q.io.err << "error parsing " << flag << " time: cannot parse \"" << s
               << "\" to a valid timestamp\n";
      return 1;
    }
    *t = *parsed;
  }
  if (q.Flag("start").empty()) start = gocompat::Add(end, -5LL * 60 * 1'000'000'000);
  if (!(start < end)) {
    q.io.err << "start time is not before end time\n";
    return 1;
  }
  int64_t step = 0;
  if (const std::string s = q.Flag("step"); !s.empty()) {
    step = std::get<int64_t>(gocompat::ParseGoDuration(s));
  }
  if (step == 0) {
    const double seconds = static_cast<double>(gocompat::Sub(end, start)) / 1e9;
    step = static_cast<int64_t>(std::max(std::floor(seconds / 250), 1.0)) * 1'000'000'000;
  }
  return q.PrintValue(q.Client(headers).PostWithGetFallback(
      "/api/v1/query_range", {{"query", q.cl.args.at("expr")},
                              {"start", gocompat::FormatTime(start)},
                              {"end", gocompat::FormatTime(end)},
                              {"step", gocompat::FormatSeconds(step)}}));
}

int Series(const QueryContext& q) {
  GoTime start, end;
  if (!q.StartEnd(&start, &end)) return 1;
  promapi::Params params;
  for (const auto& m : q.Flags("match")) params.emplace_back("match[]", m);
  params.emplace_back("start", gocompat::FormatTime(start));
  params.emplace_back("end", gocompat::FormatTime(end));
  const promapi::ApiResult r = q.Client().Get("/api/v1/series", params);
  if (!r.ok) return q.ApiError(r);
  const auto sets = promapi::DecodeLabelSets(r.data);
  if (q.json) {
    q.io.out << promapi::EncodeLabelSets(sets);
  } else {
    for (const auto& s : sets) q.io.out << promapi::LabelSetString(s) << "\n";
  }
  return 0;
}

int Labels(const QueryContext& q) {
  GoTime start, end;
  if (!q.StartEnd(&start, &end)) return 1;
  promapi::Params params{{"start", gocompat::FormatTime(start)},
                         {"end", gocompat::FormatTime(end)}};
  for (const auto& m : q.Flags("match")) params.emplace_back("match[]", m);
  const promapi::ApiResult r =
      q.Client().Get("/api/v1/label/" + q.cl.args.at("name") + "/values", params);
  for (const auto& w : r.warnings) q.io.err << "query warning: " << w << "\n";
  if (!r.ok) return q.ApiError(r);
  std::vector<std::string> values;
  try {
    values = promapi::DecodeStrings(r.data);
  } catch (const promapi::DecodeError& e) {
    q.io.err << "query error: " << e.what() << "\n";
    return 1;
  }
  if (q.json) {
    q.io.out << promapi::EncodeStrings(values);
  } else {
    for (const auto& v : values) q.io.out << v << "\n";
  }
  return 0;
}

struct Subcommand {
  std::string name;
  std::vector<FlagSpec> flags;
  std::vector<ArgSpec> args;
  int (*run)(const QueryContext&);
};

const std::vector<Subcommand>& Subcommands() {
  const FlagSpec format{"format", 'o', false, false, CheckFormat};
  const ArgSpec server{"server", true, CheckUrl};
  const ArgSpec expr{"expr", true, nullptr};
  const FlagSpec start{"start", 0, false, false, nullptr};
  const FlagSpec end{"end", 0, false, false, nullptr};
  static const std::vector<Subcommand> kSubcommands = {
      {"instant", {format, {"time", 0, false, false, nullptr}}, {server, expr}, Instant},
      {"range",
       {format,
        {"header", 0, false, true, CheckHeader},
        start,
        end,
        {"step", 0, false, false, CheckDuration}},
       {server, expr},
       Range},
      {"series", {format, {"match", 0, true, true, nullptr}, start, end}, {server}, Series},
      {"labels",
       {format, start, end, {"match", 0, false, true, nullptr}},
       {server, {"name", true, nullptr}},
       Labels},
  };
  return kSubcommands;
}

const char kUsage[] =
    "usage: promtool query [<flags>] <command> [<args> ...]\n\n"
    "Run query against a Prometheus server.\n\n"
    "Flags:\n  -o, --format=promql  Output format of the query.\n\n"
    "Subcommands:\n"
    "  query instant [<flags>] <server> <expr>\n"
    "  query range [<flags>] <server> <expr>\n"
    "  query series --match=MATCH [<flags>] <server>\n"
    "  query labels [<flags>] <server> <name>\n";

int Query(const std::vector<std::string>& args, CommandIO& io) {
  // The subcommand is the first word that is neither a flag nor a flag's value.
  std::vector<std::string> rest;
  const Subcommand* sub = nullptr;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (sub || (a.size() > 1 && a[0] == '-')) {
      rest.push_back(a);
      if (!sub && (a == "-o" || a == "--format") && i + 1 < args.size()) rest.push_back(args[++i]);
      continue;
    }
    for (const auto& s : Subcommands()) {
      if (s.name == a) sub = &s;
    }
    if (!sub) return UsageError(io.err, kProgram, "expected command but got \"" + a + "\"");
  }
  if (!sub) {
    if (std::find(args.begin(), args.end(), "--help") != args.end()) {
      io.out << kUsage;
      return 0;
    }
    return UsageError(io.err, kProgram, "must select a subcommand of 'query'");
  }
  auto cl = ParseCommandLine(rest, sub->flags, sub->args, io.err, kProgram);
  if (!cl) return 1;
  if (cl->help) {
    io.out << kUsage;
    return 0;
  }
  auto format = cl->flags.find("format");
  const bool json = format != cl->flags.end() && format->second.back() == "json";
  return sub->run(QueryContext{*cl, io, json});
}

}  // namespace

void AddQueryCommands(std::vector<Command>& commands) {
  commands.push_back({{"query"},
                      "[-o promql|json] instant|range|series|labels <server> ...",
                      "Query a Prometheus-compatible server's HTTP API, as promtool 2.42 does.",
                      Query});
}

}  // namespace cerniq::tool

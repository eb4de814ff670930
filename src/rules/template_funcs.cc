#include "rules/template_funcs.h"

#include <arpa/inet.h>
#include <re2/re2.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "gocompat/duration.h"
#include "gocompat/float_format.h"
#include "gocompat/parse_float.h"
#include "gocompat/query_escape.h"
#include "gocompat/quote.h"
#include "gocompat/regexp_errors.h"
#include "gocompat/regexp_expand.h"
#include "gocompat/utf8.h"
#include "gotemplate/builtins.h"
#include "gotemplate/print.h"
#include "gotemplate/unicode_case.h"
#include "promql/matcher.h"

namespace cerniq::rules::tmpl {
namespace {

using gotemplate::GoSprintf;
using gotemplate::GoTimeString;
using gotemplate::GoTitle;
using gotemplate::GoToLower;
using gotemplate::GoToUpper;
using gotemplate::Slice;
using gotemplate::Struct;
using gotemplate::ValueMap;

constexpr const char* kSampleType = "*template.sample";
constexpr const char* kQueryResultType = "template.queryResult";
const Param kSampleParam = Param::Named(Param::kPointer, kSampleType);
const Param kQueryResultParam = Param::Named(Param::kSlice, kQueryResultType);

using Args = std::vector<Value>;
constexpr const char* kNilDeref =
    "runtime error: invalid memory address or nil pointer dereference";

constexpr auto Ok = &CallResult::Ok;
constexpr auto Err = &CallResult::Err;
Function Fn(std::vector<Param> params, std::function<CallResult(const Args&)> call,
            bool variadic = false) {
  return Function::Of(std::move(params), std::move(call), variadic);
}

// ---- Prometheus helpers (template/template.go) ----

std::variant<double, std::string> ConvertToFloat(const Value& v) {
  switch (v.type()) {
    case Type::kFloat:
      return v.AsFloat();
    case Type::kInt:
      return static_cast<double>(v.AsInt());
    case Type::kString:
      return gocompat::ParseFloatOrError(v.AsString());
    case Type::kInvalid:
    case Type::kNil:
      return std::string("can't convert <nil> to float");
    default:
      return "can't convert " + v.TypeName() + " to float";
  }
}

std::string Sprintf4g(double v, const std::string& suffix = "") {
  return GoSprintf("%.4g", {Value::Float(v)}) + suffix;
}

// Go's int64(float64) on amd64: NaN and out-of-range values become math.MinInt64.
std::int64_t GoFloatToInt64(double v) {
  if (std::isnan(v) || v >= 9223372036854775808.0 || v < -9223372036854775808.0) {
    return std::numeric_limits<std::int64_t>::min();
  }
  return static_cast<std::int64_t>(v);
}

template <typename F>
Function FloatFn(F body) {
  return Fn({Param::kAny}, [body](const Args& a) -> CallResult {
    auto f = ConvertToFloat(a[0]);
    if (auto* e = std::get_if<std::string>(&f)) return Err(*e);
    return body(std::get<double>(f));
  });
}

CallResult Humanize(double v) {
  if (v == 0 || std::isnan(v) || std::isinf(v)) return Ok(Value::String(Sprintf4g(v)));
  static const char* kBig[] = {"k", "M", "G", "T", "P", "E", "Z", "Y"};
  static const char* kSmall[] = {"m", "u", "n", "p", "f", "a", "z", "y"};
  std::string prefix;
  if (std::fabs(v) >= 1) {
    for (const char* p : kBig) {
      if (std::fabs(v) < 1000) break;
      prefix = p;
      v /= 1000;
    }
  } else {
    for (const char* p : kSmall) {
      if (std::fabs(v) >= 1) break;
      prefix = p;
      v *= 1000;
    }
  }
  return Ok(Value::String(Sprintf4g(v, prefix)));
}

CallResult Humanize1024(double v) {
  if (std::fabs(v) <= 1 || std::isnan(v) || std::isinf(v)) return Ok(Value::String(Sprintf4g(v)));
  static const char* kPrefixes[] = {"ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"};
  std::string prefix;
  for (const char* p : kPrefixes) {
    if (std::fabs(v) < 1024) break;
    prefix = p;
    v /= 1024;
  }
  return Ok(Value::String(Sprintf4g(v, prefix)));
}

CallResult HumanizeDuration(double v) {
  if (std::isnan(v) || std::isinf(v)) return Ok(Value::String(Sprintf4g(v)));
  if (v == 0) return Ok(Value::String(Sprintf4g(v, "s")));
  if (std::fabs(v) >= 1) {
    std::string sign;
    if (v < 0) sign = "-", v = -v;
    const std::int64_t d = GoFloatToInt64(v);
    const std::int64_t seconds = d % 60;
    const std::int64_t minutes = (d / 60) % 60;
    const std::int64_t hours = (d / 60 / 60) % 24;
    const std::int64_t days = d / 60 / 60 / 24;
    auto s = [](std::int64_t x) { return std::to_string(x); };
    if (days != 0) {
      return Ok(Value::String(sign + s(days) + "d " + s(hours) + "h " + s(minutes) + "m " +
                              s(seconds) + "s"));
    }
    if (hours != 0)
      return Ok(Value::String(sign + s(hours) + "h " + s(minutes) + "m " + s(seconds) + "s"));
    if (minutes != 0) return Ok(Value::String(sign + s(minutes) + "m " + s(seconds) + "s"));
    return Ok(Value::String(sign + Sprintf4g(v, "s")));
  }
  static const char* kSmall[] = {"m", "u", "n", "p", "f", "a", "z", "y"};
  std::string prefix;
  for (const char* p : kSmall) {
    if (std::fabs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return Ok(Value::String(Sprintf4g(v, prefix + "s")));
}

// floatToTime: seconds to a time truncated to milliseconds (model.TimeFromUnixNano).
std::variant<std::int64_t, std::string> FloatToTime(double v) {
  const double ns = v * 1e9;
  if (ns > 9223372036854775807.0 || ns < -9223372036854775808.0) {
    return gocompat::FloatString(v) +
           " cannot be represented as a nanoseconds timestamp since it overflows int64";
  }
  const std::int64_t ms = GoFloatToInt64(ns) / 1000000;
  return ms * 1000000;
}

// ---- regular expressions (Go regexp syntax through RE2) ----

std::string GoRegexpQuote(const std::string& s) {
  // regexp's quote(): backquoted when strconv.CanBackquote allows it.
  bool can = true;
  for (unsigned char c : s) {
    if (c == '`' || c == 0x7F || (c < ' ' && c != '\t')) can = false;
  }
  return can ? "`" + s + "`" : gocompat::Quote(s);
}

std::string RegexpErrorText(const RE2& re) {
  std::string code = gocompat::RegexpErrorCode(re).value_or("regexp/syntax: internal error");
  return "error parsing regexp: " + code + ": `" + re.error_arg() + "`";
}

std::unique_ptr<RE2> CompileGoRegexp(const std::string& pattern) {
  RE2::Options opts;
  opts.set_log_errors(false);
  return std::make_unique<RE2>(pattern, opts);
}

CallResult ReReplaceAll(const Args& a) {
  const std::string& pattern = a[0].AsString();
  const std::string& repl = a[1].AsString();
  const std::string& text = a[2].AsString();
  auto re = CompileGoRegexp(pattern);
  if (!re->ok()) {
    // regexp.MustCompile panics; text/template turns the panic into the call's error.
    return Err("regexp: Compile(" + GoRegexpQuote(pattern) + "): " + RegexpErrorText(*re));
  }
  const int ngroups = re->NumberOfCapturingGroups() + 1;
  std::vector<re2::StringPiece> groups(static_cast<std::size_t>(ngroups));
  std::string out;
  std::size_t last_end = 0;
  std::size_t search = 0;
  const re2::StringPiece input(text);
  while (search <= text.size()) {
    if (!re->Match(input, search, text.size(), RE2::UNANCHORED, groups.data(), ngroups)) break;
    const auto begin = static_cast<std::size_t>(groups[0].data() - text.data());
    const std::size_t end = begin + groups[0].size();
    out.append(text, last_end, begin - last_end);
    // No replacement for an empty match right after the previous match.
    if (end > last_end || begin == 0) gocompat::RegexpExpand(out, repl, *re, groups);
    last_end = end;
    std::size_t width = 0;
    if (search < text.size()) {
      int rune_width = 1;
      gocompat::DecodeRune(text, search, &rune_width);
      width = static_cast<std::size_t>(rune_width);
    }
    if (search + width > end)
      search += width;
    else if (search + 1 > end)
      ++search;
    else
      search = end;
  }
  out.append(text, last_end, std::string::npos);
  return Ok(Value::String(std::move(out)));
}

CallResult Match(const Args& a) {
  auto re = CompileGoRegexp(a[0].AsString());
  if (!re->ok()) return Err(RegexpErrorText(*re));
  return Ok(Value::Bool(RE2::PartialMatch(a[1].AsString(), *re)));
}

// ---- host names (net.SplitHostPort, net.ParseIP, net.JoinHostPort) ----

bool SplitHostPort(const std::string& hp, std::string& host, std::string& port) {
  const auto i = hp.rfind(':');
  if (i == std::string::npos) return false;
  std::size_t j = 0, k = 0;
  if (!hp.empty() && hp[0] == '[') {
    const auto end = hp.find(']');
    if (end == std::string::npos) return false;
    if (end + 1 == hp.size() || end + 1 != i) return false;
    host = hp.substr(1, end - 1);
    j = 1, k = end + 1;
  } else {
    host = hp.substr(0, i);
    if (host.find(':') != std::string::npos) return false;
  }
  if (hp.find('[', j) != std::string::npos) return false;
  if (hp.find(']', k) != std::string::npos) return false;
  port = hp.substr(i + 1);
  return true;
}

bool IsIp(const std::string& s) {
  unsigned char buf[16];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

CallResult StripDomain(const Args& a) {
  const std::string& hp = a[0].AsString();
  std::string host, port;
  if (!SplitHostPort(hp, host, port)) host = hp, port.clear();
  if (IsIp(host)) return Ok(Value::String(hp));
  host = host.substr(0, host.find('.'));
  if (port.empty()) return Ok(Value::String(host));
  if (host.find(':') != std::string::npos) return Ok(Value::String("[" + host + "]:" + port));
  return Ok(Value::String(host + ":" + port));
}

// ---- query results ----

const std::map<std::string, std::string>& SampleLabels(const Value& sample) {
  return sample.AsStruct().Field("Labels")->AsStringMap();
}

std::string LabelOf(const Value& sample, const std::string& name) {
  const auto& labels = SampleLabels(sample);
  auto it = labels.find(name);
  return it == labels.end() ? std::string() : it->second;
}

Value SortByLabel(const std::string& label, const Slice& v) {
  auto out = std::make_shared<Slice>(v);
  std::stable_sort(out->elems.begin(), out->elems.end(), [&](const Value& x, const Value& y) {
    auto get = [&](const Value& s) { return s.IsNilPointer() ? std::string() : LabelOf(s, label); };
    return get(x) < get(y);
  });
  return Value::SliceOf(std::move(out));
}

std::string UrlPath(const std::string& url) {
  // The path of a URL: after "scheme://authority", before any query or fragment.
  std::size_t start = 0;
  if (auto scheme = url.find("://"); scheme != std::string::npos) {
    start = url.find('/', scheme + 3);
    if (start == std::string::npos) return "";
  }
  const auto end = url.find_first_of("?#", start);
  return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

}  // namespace

Value SampleValue(const Sample& sample) {
  auto s = std::make_shared<Struct>();
  s->type_name = kSampleType;
  s->fields = {
      {"Labels",
       Value::StringMap(std::make_shared<const std::map<std::string, std::string>>(sample.labels))},
      {"Value", Value::Float(sample.value)}};
  return Value::StructOf(std::move(s));
}

Value QueryResultValue(const SampleList& samples) {
  auto list = std::make_shared<Slice>();
  list->type_name = kQueryResultType;
  for (const auto& sample : samples) list->elems.push_back(SampleValue(*sample));
  return Value::SliceOf(std::move(list));
}

Value AlertDataValue(const AlertData& data) {
  using Labels = std::map<std::string, std::string>;
  auto s = std::make_shared<Struct>();
  s->type_name =
      "struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; "
      "Value float64 }";
  s->fields = {
      {"Labels", Value::StringMap(std::make_shared<const Labels>(data.labels))},
      {"ExternalLabels", Value::StringMap(std::make_shared<const Labels>(data.external_labels))},
      {"ExternalURL", Value::String(data.external_url)},
      {"Value", Value::Float(data.value)}};
  return Value::StructOf(std::move(s));
}

FunctionTable PrometheusFunctions(const FunctionOptions& options) {
  FunctionTable t;
  const auto S = Param::kString;
  t["query"] = Fn({S}, [query = options.query](const Args& a) -> CallResult {
    if (!query) return Err(kNilDeref);
    auto r = query(a[0].AsString());
    if (auto* e = std::get_if<std::string>(&r)) return Err(*e);
    return Ok(QueryResultValue(std::get<SampleList>(r)));
  });
  t["first"] = Fn({kQueryResultParam}, [](const Args& a) -> CallResult {
    if (a[0].AsSlice().elems.empty()) return Err("first() called on vector with no elements");
    return Ok(a[0].AsSlice().elems[0]);
  });
  // 2.42's label/value/strvalue dereference the sample without a nil check.
  t["label"] = Fn({S, kSampleParam}, [](const Args& a) {
    if (a[1].IsNilPointer()) return Err(kNilDeref);
    return Ok(Value::String(LabelOf(a[1], a[0].AsString())));
  });
  t["value"] = Fn({kSampleParam}, [](const Args& a) {
    if (a[0].IsNilPointer()) return Err(kNilDeref);
    return Ok(*a[0].AsStruct().Field("Value"));
  });
  t["strvalue"] = Fn({kSampleParam}, [](const Args& a) {
    if (a[0].IsNilPointer()) return Err(kNilDeref);
    return Ok(Value::String(LabelOf(a[0], "__value__")));
  });
  t["args"] = Fn(
      {Param::kAny},
      [](const Args& a) {
        auto m = std::make_shared<ValueMap>();
        for (std::size_t i = 0; i < a.size(); ++i) (*m)["arg" + std::to_string(i)] = a[i];
        return Ok(Value::AnyMap(std::move(m)));
      },
      true);
  t["reReplaceAll"] = Fn({S, S, S}, ReReplaceAll);
  t["safeHtml"] = Fn({S}, [](const Args& a) { return Ok(Value::Html(a[0].AsString())); });
  t["match"] = Fn({S, S}, Match);
  t["title"] = Fn({S}, [](const Args& a) { return Ok(Value::String(GoTitle(a[0].AsString()))); });
  t["toUpper"] =
      Fn({S}, [](const Args& a) { return Ok(Value::String(GoToUpper(a[0].AsString()))); });
  t["toLower"] =
      Fn({S}, [](const Args& a) { return Ok(Value::String(GoToLower(a[0].AsString()))); });
  t["graphLink"] = Fn({S}, [](const Args& a) {
    return Ok(
        Value::String("/graph?g0.expr=" + gocompat::QueryEscape(a[0].AsString()) + "&g0.tab=0"));
  });
  t["tableLink"] = Fn({S}, [](const Args& a) {
    return Ok(
        Value::String("/graph?g0.expr=" + gocompat::QueryEscape(a[0].AsString()) + "&g0.tab=1"));
  });
  t["sortByLabel"] = Fn({S, kQueryResultParam}, [](const Args& a) {
    return Ok(SortByLabel(a[0].AsString(), a[1].AsSlice()));
  });
  t["humanize"] = FloatFn(Humanize);
  t["humanize1024"] = FloatFn(Humanize1024);
  t["humanizeDuration"] = FloatFn(HumanizeDuration);
  t["humanizePercentage"] =
      FloatFn([](double v) { return Ok(Value::String(Sprintf4g(v * 100, "%"))); });
  t["humanizeTimestamp"] = FloatFn([](double v) -> CallResult {
    if (std::isnan(v) || std::isinf(v)) return Ok(Value::String(Sprintf4g(v)));
    auto t = FloatToTime(v);
    if (auto* e = std::get_if<std::string>(&t)) return Err(*e);
    return Ok(Value::String(GoTimeString(std::get<std::int64_t>(t))));
  });
  t["toTime"] = FloatFn([](double v) -> CallResult {
    if (std::isnan(v) || std::isinf(v)) return Err("value is NaN or Inf");
    auto t = FloatToTime(v);
    if (auto* e = std::get_if<std::string>(&t)) return Err(*e);
    return Ok(Value::Time(std::get<std::int64_t>(t)));
  });
  t["pathPrefix"] = Fn({}, [url = options.external_url](const Args&) -> CallResult {
    if (!url) return Err(kNilDeref);
    return Ok(Value::String(UrlPath(*url)));
  });
  t["externalURL"] = Fn({}, [url = options.external_url](const Args&) -> CallResult {
    if (!url) return Err(kNilDeref);
    return Ok(Value::String(*url));
  });
  t["parseDuration"] = Fn({S}, [](const Args& a) -> CallResult {
    auto d = gocompat::ParseDuration(a[0].AsString());
    if (auto* e = std::get_if<std::string>(&d)) return Err(*e);
    return Ok(Value::Float(static_cast<double>(std::get<std::int64_t>(d)) / 1000.0));
  });
  t["stripPort"] = Fn({S}, [](const Args& a) {
    std::string host, port;
    if (!SplitHostPort(a[0].AsString(), host, port)) return Ok(a[0]);
    return Ok(Value::String(host));
  });
  t["stripDomain"] = Fn({S}, StripDomain);
  return t;
}

const FunctionTable& PrometheusFunctionNames() {
  static const FunctionTable table = PrometheusFunctions({});
  return table;
}

}  // namespace cerniq::rules::tmpl

#pragma once
// The functions Prometheus 2.42 alert templates can call: text/template's builtins
// (and, or, not, len, index, slice, print, printf, println, html, js, urlquery, call, eq, ne,
// lt, le, gt, ge) and template/template.go's funcMap.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "gotemplate/exec.h"

namespace cerniq::rules::tmpl {

// Runs a PromQL instant query for the `query` function: the resulting samples or an error text.
using QueryFunc = std::function<std::variant<SampleList, std::string>(std::string_view query)>;

struct FunctionOptions {
  // The rule manager's external URL (`externalURL`, `pathPrefix`). promtool test rules has none,
  // and calling those functions then fails with Go's nil-pointer error, as here.
  std::optional<std::string> external_url;
  // No querier: `query` fails with Go's nil-pointer error, as Prometheus does without one.
  QueryFunc query;
};

FunctionTable PrometheusFunctions(const FunctionOptions& options);

// Whether `name` is a function of PrometheusFunctions (what the parser checks).
bool IsPrometheusFunction(std::string_view name);

// Exposed for tests: Go's strconv.ParseFloat and url.QueryEscape.
std::variant<double, std::string> GoParseFloat(std::string_view s);
std::string GoQueryEscape(std::string_view s);

}  // namespace cerniq::rules::tmpl

#pragma once
// Prometheus 2.42's template/template.go on top of Go's text/template (src/gotemplate): the
// funcMap alert templates can call besides the builtins, and the Go values of its types
// (template.sample, template.queryResult, the alert data struct).
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "gotemplate/template.h"

namespace cerniq::rules::tmpl {

using gotemplate::CallResult;
using gotemplate::Function;
using gotemplate::FunctionTable;
using gotemplate::Param;
using gotemplate::ParseResult;
using gotemplate::Type;
using gotemplate::Value;

// template.sample: one element of a `query` result.
struct Sample {
  std::map<std::string, std::string> labels;
  double value = 0;
};
using SampleList = std::vector<std::shared_ptr<const Sample>>;

// The data of an alert template (template.AlertTemplateData in 2.42).
struct AlertData {
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> external_labels;
  std::string external_url;
  double value = 0;
};

// The Go values of those types: *template.sample, template.queryResult and the data struct.
Value SampleValue(const Sample& sample);
Value QueryResultValue(const SampleList& samples);
Value AlertDataValue(const AlertData& data);

// Runs a PromQL instant query for the `query` function: the resulting samples or an error text.
using QueryFunc = std::function<std::variant<SampleList, std::string>(std::string_view query)>;

struct FunctionOptions {
  // The rule manager's external URL (`externalURL`, `pathPrefix`). promtool test rules has none,
  // and calling those functions then fails with Go's nil-pointer error, as here.
  std::optional<std::string> external_url;
  // No querier: `query` fails with Go's nil-pointer error, as Prometheus does without one.
  QueryFunc query;
};

// template.go's funcMap (the builtins come with the engine).
FunctionTable PrometheusFunctions(const FunctionOptions& options);

// PrometheusFunctions without a querier or URL: enough to parse, which only checks names.
const FunctionTable& PrometheusFunctionNames();

// Exposed for tests: Go's strconv.ParseFloat.
std::variant<double, std::string> GoParseFloat(std::string_view s);

}  // namespace cerniq::rules::tmpl

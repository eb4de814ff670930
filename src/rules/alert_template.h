#pragma once
// Prometheus 2.42's template expansion for alerting rules (template/template.go Expander and
// rules/alerting.go): the `$labels`/`$externalLabels`/`$externalURL`/`$value` prelude, the
// "__alert_<name>" template name, and the error texts promtool prints.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "rules/template_funcs.h"

namespace cerniq::rules {

// The variables Prometheus defines before every alert label and annotation template. The column
// numbers of execution errors count these bytes too.
inline constexpr std::string_view kAlertTemplatePrelude =
    "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}"
    "{{$externalURL := .ExternalURL}}{{$value := .Value}}";

struct TemplateExpansion {
  std::string output;
  std::optional<std::string>
      error;  // "error parsing template ..." / "error executing template ..."
};

// template.Expander.Expand: parses and executes `text` as template `name` over `data`.
TemplateExpansion ExpandTemplate(const std::string& name, const std::string& text,
                                 const tmpl::Value& data, const tmpl::FunctionOptions& options);

// Expands one label or annotation value of alert `alert_name` as the alerting rule does: the
// result, or "<error expanding template: ...>" when expansion fails (the alert is still kept).
std::string ExpandAlertTemplate(const std::string& alert_name, std::string_view text,
                                const tmpl::AlertData& data, const tmpl::FunctionOptions& options);

// Expands the templates of one alerting rule, parsing each distinct text once. Prometheus parses
// on every expansion; parsing is deterministic, so caching changes nothing but the cost.
class AlertTemplateCache {
 public:
  explicit AlertTemplateCache(std::string alert_name) : alert_name_(std::move(alert_name)) {}
  // As ExpandAlertTemplate, with a function table built once by the caller.
  std::string Expand(std::string_view text, const tmpl::AlertData& data,
                     const tmpl::FunctionTable& funcs);

 private:
  std::string alert_name_;
  std::map<std::string, std::shared_ptr<const tmpl::ParseResult>, std::less<>> parsed_;
};

// rulefmt's parse check of an alert's label/annotation template: the Go parse error
// ("template: __alert_X:1: unclosed action") or nullopt.
std::optional<std::string> CheckAlertTemplate(const std::string& alert_name, std::string_view text);

}  // namespace cerniq::rules

#pragma once
// Prometheus 2.42's template expansion for alerting rules (template/template.go Expander and
// rules/alerting.go): the `$labels`/`$externalLabels`/`$externalURL`/`$value` prelude, the
// "__alert_<name>" template name, and the error texts promtool prints.
#include <optional>
#include <string>
#include <string_view>

#include "rules/template_funcs.h"
#include "rules/template_value.h"

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

// rulefmt's parse check of an alert's label/annotation template: the Go parse error
// ("template: __alert_X:1: unclosed action") or nullopt.
std::optional<std::string> CheckAlertTemplate(const std::string& alert_name, std::string_view text);

}  // namespace cerniq::rules

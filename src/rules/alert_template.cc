#include "rules/alert_template.h"

namespace cerniq::rules {
namespace {

// Parsing only checks that functions exist, so one table serves every parse.
tmpl::ParseResult Parse(const std::string& name, std::string text) {
  return gotemplate::Parse(name, std::move(text), tmpl::PrometheusFunctionNames());
}

std::string AlertTemplateName(const std::string& alert_name) { return "__alert_" + alert_name; }

}  // namespace

TemplateExpansion ExpandTemplate(const std::string& name, const std::string& text,
                                 const tmpl::Value& data, const tmpl::FunctionOptions& options) {
  tmpl::ParseResult parsed = Parse(name, text);
  if (!parsed.set) return {"", "error parsing template " + name + ": " + parsed.error};
  gotemplate::ExecResult result =
      gotemplate::Execute(*parsed.set, tmpl::PrometheusFunctions(options), data);
  if (result.error) return {"", "error executing template " + name + ": " + *result.error};
  return {std::move(result.output), std::nullopt};
}

std::string ExpandAlertTemplate(const std::string& alert_name, std::string_view text,
                                const tmpl::AlertData& data, const tmpl::FunctionOptions& options) {
  const std::string full = std::string(kAlertTemplatePrelude) + std::string(text);
  TemplateExpansion e =
      ExpandTemplate(AlertTemplateName(alert_name), full, tmpl::AlertDataValue(data), options);
  if (e.error) return "<error expanding template: " + *e.error + ">";
  return e.output;
}

std::string AlertTemplateCache::Expand(std::string_view text, const tmpl::AlertData& data,
                                       const tmpl::FunctionTable& funcs) {
  const std::string name = AlertTemplateName(alert_name_);
  auto it = parsed_.find(text);
  if (it == parsed_.end()) {
    auto parsed = std::make_shared<const tmpl::ParseResult>(
        Parse(name, std::string(kAlertTemplatePrelude) + std::string(text)));
    it = parsed_.emplace(std::string(text), std::move(parsed)).first;
  }
  const tmpl::ParseResult& parsed = *it->second;
  if (!parsed.set) {
    return "<error expanding template: error parsing template " + name + ": " + parsed.error + ">";
  }
  gotemplate::ExecResult result =
      gotemplate::Execute(*parsed.set, funcs, tmpl::AlertDataValue(data));
  if (result.error) {
    return "<error expanding template: error executing template " + name + ": " + *result.error +
           ">";
  }
  return std::move(result.output);
}

std::optional<std::string> CheckAlertTemplate(const std::string& alert_name,
                                              std::string_view text) {
  const std::string full = std::string(kAlertTemplatePrelude) + std::string(text);
  tmpl::ParseResult parsed = Parse(AlertTemplateName(alert_name), full);
  if (parsed.set) return std::nullopt;
  return parsed.error;
}

}  // namespace cerniq::rules

#include "rules/rule_loader.h"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "rules/go_yaml.h"

namespace cerniq::rules {
namespace {

// yaml.v3 keeps a yaml.Node's raw text: for a sequence or mapping its Value is empty.
std::string NodeValue(const YAML::Node& node) { return node.IsScalar() ? node.Scalar() : ""; }

Rule DecodeRule(GoYamlDecode& dec, const YAML::Node& node) {
  Rule rule;
  if (node.IsNull()) return rule;
  if (!node.IsMap()) {
    dec.TypeMismatch(node, "rulefmt.RuleNode");
    return rule;
  }
  if (!dec.UniqueKeys(node)) return rule;
  for (const auto& kv : node) {
    const std::string key = kv.first.Scalar();
    const YAML::Node& value = kv.second;
    if (key == "record") {
      rule.record = NodeValue(value), rule.record_pos = NodePosition(value);
    } else if (key == "alert") {
      rule.alert = NodeValue(value), rule.alert_pos = NodePosition(value);
    } else if (key == "expr") {
      rule.expr = NodeValue(value), rule.expr_pos = NodePosition(value);
    } else if (key == "for") {
      dec.Duration(value, rule.for_ms);
    } else if (key == "keep_firing_for") {
      dec.Duration(value, rule.keep_firing_for_ms);
    } else if (key == "labels") {
      dec.StringMap(value, rule.labels);
    } else if (key == "annotations") {
      dec.StringMap(value, rule.annotations);
    } else {
      dec.UnknownField(kv.first, "rulefmt.RuleNode");
    }
  }
  return rule;
}

RuleGroup DecodeGroup(GoYamlDecode& dec, const YAML::Node& node) {
  RuleGroup group;
  group.position = NodePosition(node);
  if (node.IsNull()) return group;
  if (!node.IsMap()) {
    dec.TypeMismatch(node, "rulefmt.RuleGroup");
    return group;
  }
  if (!dec.UniqueKeys(node)) return group;
  for (const auto& kv : node) {
    const std::string key = kv.first.Scalar();
    const YAML::Node& value = kv.second;
    if (key == "name") {
      dec.String(value, group.name);
    } else if (key == "interval") {
      dec.Duration(value, group.interval_ms);
    } else if (key == "limit") {
      dec.Int(value, group.limit);
    } else if (key == "rules") {
      if (value.IsNull()) continue;
      if (!value.IsSequence()) {
        dec.TypeMismatch(value, "[]rulefmt.RuleNode");
        continue;
      }
      for (const auto& item : value) group.rules.push_back(DecodeRule(dec, item));
    } else {
      dec.UnknownField(kv.first, "rulefmt.RuleGroup");
    }
  }
  return group;
}

// First pass: yaml.NewDecoder(...).KnownFields(true).Decode(&RuleGroups).
RuleFile DecodeStrict(GoYamlDecode& dec, const YAML::Node& root) {
  RuleFile file;
  if (root.IsNull() || !root.IsDefined()) return file;
  if (!root.IsMap()) {
    dec.TypeMismatch(root, "rulefmt.RuleGroups");
    return file;
  }
  if (!dec.UniqueKeys(root)) return file;
  for (const auto& kv : root) {
    if (kv.first.Scalar() != "groups") {
      dec.UnknownField(kv.first, "rulefmt.RuleGroups");
      continue;
    }
    const YAML::Node& groups = kv.second;
    if (groups.IsNull()) continue;
    if (!groups.IsSequence()) {
      dec.TypeMismatch(groups, "[]rulefmt.RuleGroup");
      continue;
    }
    for (const auto& g : groups) file.groups.push_back(DecodeGroup(dec, g));
  }
  return file;
}

// Second pass: yaml.Unmarshal(content, &ruleGroups{Groups []yaml.Node}), which is not strict
// about fields but still rejects repeated keys and a wrong shape at the top.
void DecodeNodes(GoYamlDecode& dec, const YAML::Node& root) {
  if (root.IsNull() || !root.IsDefined()) return;
  if (!root.IsMap()) {
    dec.TypeMismatch(root, "rulefmt.ruleGroups");
    return;
  }
  if (!dec.UniqueKeys(root)) return;
  for (const auto& kv : root) {
    if (kv.first.Scalar() != "groups") continue;
    const YAML::Node& groups = kv.second;
    if (!groups.IsNull() && !groups.IsSequence()) dec.TypeMismatch(groups, "[]yaml.Node");
  }
}

// Whether the quoted scalar starting at text[pos] (its opening quote) is closed. yaml-cpp 0.7
// silently accepts a quoted scalar that runs to the end of the input; libyaml does not.
bool QuotedScalarIsClosed(std::string_view text, std::size_t pos) {
  if (pos >= text.size()) return true;
  const char quote = text[pos];
  if (quote != '"' && quote != '\'') return true;
  for (std::size_t i = pos + 1; i < text.size(); ++i) {
    if (quote == '"' && text[i] == '\\') {
      ++i;
    } else if (text[i] == quote) {
      if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
        ++i;  // '' is an escaped quote
        continue;
      }
      return true;
    }
  }
  return false;
}

// The first unterminated quoted scalar under `node`, as libyaml reports it.
std::optional<std::string> UnterminatedQuote(const YAML::Node& node, std::string_view text) {
  if (node.IsScalar() && node.Tag() == "!") {
    const auto mark = node.Mark();
    if (!mark.is_null() && !QuotedScalarIsClosed(text, static_cast<std::size_t>(mark.pos))) {
      return "yaml: line " + std::to_string(mark.line + 1) + ": found unexpected end of stream";
    }
  } else if (node.IsMap()) {
    for (const auto& kv : node) {
      if (auto e = UnterminatedQuote(kv.first, text)) return e;
      if (auto e = UnterminatedQuote(kv.second, text)) return e;
    }
  } else if (node.IsSequence()) {
    for (const auto& item : node) {
      if (auto e = UnterminatedQuote(item, text)) return e;
    }
  }
  return std::nullopt;
}

}  // namespace

RuleFileResult ParseRuleFile(std::string_view content) {
  RuleFileResult result;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(content));
  } catch (const YAML::Exception& e) {
    // Both decodes of rulefmt.Parse hit the same syntax error, so promtool prints it twice.
    result.errors = {GoYamlSyntaxError(e), GoYamlSyntaxError(e)};
    return result;
  }
  if (auto e = UnterminatedQuote(root, content)) {
    result.errors = {*e, *e};
    return result;
  }
  GoYamlDecode strict(/*known_fields=*/true);
  RuleFile file = DecodeStrict(strict, root);
  GoYamlDecode nodes(/*known_fields=*/false);
  DecodeNodes(nodes, root);
  if (auto e = strict.Error()) result.errors.push_back(*e);
  if (auto e = nodes.Error()) result.errors.push_back(*e);
  if (!result.errors.empty()) return result;

  result.errors = ValidateRuleFile(file);
  result.file = std::move(file);
  return result;
}

RuleFileResult LoadRuleFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    // os.ReadFile's error: "open <path>: <strerror>", prefixed with the path again.
    std::string reason = std::strerror(errno);
    if (!reason.empty()) reason[0] = static_cast<char>(std::tolower(reason[0]));
    return {std::nullopt, {path + ": open " + path + ": " + reason}};
  }
  std::ostringstream content;
  content << in.rdbuf();
  RuleFileResult result = ParseRuleFile(content.str());
  for (auto& e : result.errors) e = path + ": " + e;
  return result;
}

}  // namespace cerniq::rules

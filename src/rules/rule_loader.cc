#include "rules/rule_loader.h"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "goyaml/decode.h"
#include "goyaml/syntax.h"

namespace cerniq::rules {
namespace {

using goyaml::Decoder;
using goyaml::NodePosition;
using goyaml::YamlCppSyntaxError;

// yaml.v3 keeps a yaml.Node's raw text: for a sequence or mapping its Value is empty.
std::string NodeValue(const YAML::Node& node) { return node.IsScalar() ? node.Scalar() : ""; }

Rule DecodeRule(Decoder& dec, const YAML::Node& node) {
  Rule rule;
  rule.position = NodePosition(node);
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

RuleGroup DecodeGroup(Decoder& dec, const YAML::Node& node) {
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
RuleFile DecodeStrict(Decoder& dec, const YAML::Node& root) {
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
void DecodeNodes(Decoder& dec, const YAML::Node& root) {
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

}  // namespace

RuleFileResult ParseRuleFile(std::string_view content) {
  RuleFileResult result;
  // Both decodes of rulefmt.Parse (yaml.v3) hit the same syntax error, so promtool prints it
  // twice. yaml-cpp builds the document once libyaml (go-yaml's twin) has accepted it.
  if (auto e = goyaml::SyntaxError(content, goyaml::Version::kV3)) {
    result.errors = {*e, *e};
    return result;
  }
  YAML::Node root;
  try {
    root = YAML::Load(goyaml::NormalizeLineBreaks(content));
  } catch (const YAML::Exception& e) {
    result.errors = {YamlCppSyntaxError(e), YamlCppSyntaxError(e)};
    return result;
  }
  Decoder strict(/*known_fields=*/true);
  RuleFile file = DecodeStrict(strict, root);
  Decoder nodes(/*known_fields=*/false);
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

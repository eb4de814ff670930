#pragma once
// The Prometheus 2.42 rule-file model (model/rulefmt): groups of recording and alerting rules.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "goyaml/position.h"

namespace cerniq::rules {

// 1-based line and column of a YAML node, as yaml.v3 reports them; {0, 0} when the key is absent.
using Position = goyaml::Position;

// Durations are Prometheus model.Duration values, kept in milliseconds (their resolution).
using DurationMs = std::int64_t;

struct Rule {
  Position position;  // the rule's mapping node (the line of its `- `)
  std::string record;
  std::string alert;
  std::string expr;
  Position record_pos;
  Position alert_pos;
  Position expr_pos;
  DurationMs for_ms = 0;
  DurationMs keep_firing_for_ms = 0;
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;

  bool IsAlerting() const { return !alert.empty(); }
  // The name promtool prints: the alert name, else the recorded metric.
  const std::string& Name() const { return alert.empty() ? record : alert; }
};

struct RuleGroup {
  std::string name;
  Position position;  // the group's mapping node
  DurationMs interval_ms = 0;
  std::int64_t limit = 0;
  std::vector<Rule> rules;
};

struct RuleFile {
  std::vector<RuleGroup> groups;

  std::size_t RuleCount() const {
    std::size_t n = 0;
    for (const auto& g : groups) n += g.rules.size();
    return n;
  }
};

}  // namespace cerniq::rules

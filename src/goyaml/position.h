#pragma once
// Where a YAML node is, as go-yaml counts (kept apart from decode.h so that models such as
// rules::RuleFile carry positions without including yaml-cpp).

namespace cerniq::goyaml {

// 1-based line and column of a YAML node, as yaml.v3's Node.Line/Node.Column; {0, 0} when absent.
struct Position {
  int line = 0;
  int column = 0;
};

}  // namespace cerniq::goyaml

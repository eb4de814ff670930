#pragma once
// The evaluator's alert state as bytes (the blob of the history checkpoint): per group key
// ("<file>;<name>") its last evaluation timestamp and, per rule key (name + labels as written),
// every tracked alert with its labels, annotations, state, activeAt, firedAt, resolvedAt,
// keep_firing_since and value. JSON with a version (1 had no last evaluation); values as their
// IEEE-754 bits, so NaN and infinities survive.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "rules/alerting_rule.h"

namespace cerniq::evaluator {

struct GroupAlertState {
  int64_t last_eval_ms = 0;  // when the alerts were last evaluated; 0: unknown (version 1)
  std::map<std::string, std::vector<rules::Alert>> rules;  // rule key -> alerts
};

using AlertStateMap = std::map<std::string, GroupAlertState>;  // by group key

std::string EncodeAlertState(const AlertStateMap& state);
// false with `error` for bytes that are not an encoded alert state; "" decodes to nothing.
bool DecodeAlertState(const std::string& blob, AlertStateMap* state, std::string* error);

}  // namespace cerniq::evaluator

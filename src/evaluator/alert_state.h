#pragma once
// The evaluator's alert state as bytes (the blob of the history checkpoint): per group key
// ("<file>;<name>") and rule key (name + labels as written), every tracked alert with its
// labels, annotations, state, activeAt, firedAt, resolvedAt, keep_firing_since and value.
// JSON with a version; values as their IEEE-754 bits, so NaN and infinities survive.
#include <map>
#include <string>
#include <vector>

#include "rules/alerting_rule.h"

namespace cerniq::evaluator {

// group key -> rule key -> alerts
using AlertStateMap = std::map<std::string, std::map<std::string, std::vector<rules::Alert>>>;

std::string EncodeAlertState(const AlertStateMap& state);
// false with `error` for bytes that are not an encoded alert state; "" decodes to nothing.
bool DecodeAlertState(const std::string& blob, AlertStateMap* state, std::string* error);

}  // namespace cerniq::evaluator

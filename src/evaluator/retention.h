#pragma once
// What the loaded rules need the history to keep (issue 11): for each selector of each rule,
// its range (or the lookback) with offsets and subqueries, plus the rule's `for` and
// `keep_firing_for`, plus one lookback, as a tsdb::RetentionRule over the selector's matchers.
// Selectors under `@`, start() or end() read an unbounded range: they get no rule (the
// retention floor applies), as keeping everything forever is not an option.
#include <cstdint>
#include <vector>

#include "evaluator/status.h"
#include "tsdb/history_store.h"

namespace cerniq::evaluator {

std::vector<tsdb::RetentionRule> RetentionRules(const RulesStatus& status, int64_t lookback_ms,
                                                int64_t default_step_ms);

}  // namespace cerniq::evaluator

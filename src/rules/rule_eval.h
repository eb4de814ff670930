#pragma once
// What rule evaluation needs from its surroundings (Prometheus 2.42 rules.ManagerOptions): an
// instant-query function, a sample sink, and the external labels / URL templates can see. The
// PromQL engine and a storage plug in here; tests plug in fakes.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <variant>

#include "promql/labels.h"
#include "promql/value.h"

namespace cerniq::rules {

// An instant query at `ts_ms`: a vector (a scalar result becomes one sample without labels, as
// rules.EngineQueryFunc does) or the error text, e.g. "rule result is not a vector or scalar".
using RuleQueryFunc = std::function<std::variant<promql::Vector, std::string>(
    const std::string& expr, int64_t ts_ms)>;

// rules.EngineQueryFunc's reading of an instant query's value: a vector as it is, a scalar as one
// sample without labels, anything else the error "rule result is not a vector or scalar". The
// live evaluator, the unit-test runner and the tests share it.
std::variant<promql::Vector, std::string> RuleQueryResult(promql::Value value);

// Where a group writes rule results, ALERTS series and stale markers. Append returns an error
// text when the sample is rejected (out of order, ...); Commit ends one rule's batch, after
// which later rules must see the samples.
class SampleAppender {
 public:
  virtual ~SampleAppender() = default;
  virtual std::optional<std::string> Append(const promql::Labels& labels, int64_t t_ms,
                                            double v) = 0;
  virtual void Commit() = 0;
};

struct RuleEvalContext {
  RuleQueryFunc query;
  // Template data: $externalLabels and $externalURL (in promtool: the test group's
  // external_labels and external_url).
  std::map<std::string, std::string> external_labels;
  std::string external_url;
  // The rule manager's external URL, used by the externalURL/pathPrefix template functions.
  // promtool test rules sets none, so those functions fail there.
  std::optional<std::string> manager_external_url;
};

}  // namespace cerniq::rules

#pragma once
// The storage seam of the evaluator: queries read a promql::Storage obtained per query for the
// time range it needs; rule output (recording rules, ALERTS, stale markers) goes through a
// rules::SampleAppender. The exporter plugs its history store in here (HistoryRuleStorage);
// MemoryRuleStorage serves tests.
#include <cstdint>
#include <memory>
#include <shared_mutex>

#include "promql/storage.h"
#include "rules/rule_eval.h"

namespace cerniq::evaluator {

class RuleStorage {
 public:
  virtual ~RuleStorage() = default;
  // A consistent view of the samples in [mint_ms, maxt_ms], valid while the result lives.
  virtual std::unique_ptr<promql::Storage> Querier(int64_t mint_ms, int64_t maxt_ms) = 0;
  // A sink for one group evaluation's output; later queries must see committed samples.
  virtual std::unique_ptr<rules::SampleAppender> Appender() = 0;
};

// A promql::MemoryStorage behind a reader/writer lock: a querier holds the shared lock while it
// lives, appends take it exclusively. Samples at or before a series' last one are dropped
// silently, as promtool's test storage does.
class MemoryRuleStorage : public RuleStorage {
 public:
  std::unique_ptr<promql::Storage> Querier(int64_t mint_ms, int64_t maxt_ms) override;
  std::unique_ptr<rules::SampleAppender> Appender() override;

  // Feeds input samples (collected series); false when dropped as out of order.
  bool Append(const promql::Labels& labels, int64_t t_ms, double v);
  // Drops every sample older than `cutoff_ms` (and series left empty): bounds memory.
  void Truncate(int64_t cutoff_ms);
  size_t NumSamples() const;

 private:
  mutable std::shared_mutex mutex_;
  promql::MemoryStorage storage_;
};

}  // namespace cerniq::evaluator

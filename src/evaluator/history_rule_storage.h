#pragma once
// The evaluator's storage seam over the exporter's compressed history (tsdb::HistoryStore):
// queries read a lock-free snapshot of the chunks overlapping [mint, maxt]; rule output
// (recording rules, ALERTS, ALERTS_FOR_STATE, stale markers) is appended straight to the store,
// so later rules of the group and API queries see it. An out-of-order or duplicate sample is
// refused with Prometheus's error text ("out of order sample", "duplicate sample for
// timestamp") and counted by the store (HistoryStats), never fatal.
#include <cstdint>
#include <memory>

#include "evaluator/rule_storage.h"
#include "tsdb/history_store.h"

namespace cerniq::evaluator {

class HistoryRuleStorage : public RuleStorage {
 public:
  explicit HistoryRuleStorage(tsdb::HistoryStore& store) : store_(store) {}

  std::unique_ptr<promql::Storage> Querier(int64_t mint_ms, int64_t maxt_ms) override;
  std::unique_ptr<rules::SampleAppender> Appender() override;

  // Feeds input samples (collected series); false when refused (out of order or duplicate).
  bool Append(const promql::Labels& labels, int64_t t_ms, double v);

  tsdb::HistoryStore& store() { return store_; }

 private:
  tsdb::HistoryStore& store_;
};

}  // namespace cerniq::evaluator

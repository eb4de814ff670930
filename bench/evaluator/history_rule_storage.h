#pragma once
// The exporter's storage seam (evaluator::HistoryRuleStorage) with stale markers dropped:
// OpenMetrics (how Prometheus gets the same samples) cannot carry them, so both sides then hold
// exactly the same samples.
#include <memory>
#include <optional>
#include <string>

#include "evaluator/history_rule_storage.h"
#include "promql/value.h"

namespace cerniq::bench {

class StaleFreeRuleStorage : public evaluator::RuleStorage {
 public:
  explicit StaleFreeRuleStorage(tsdb::HistoryStore& store) : history_(store) {}
  std::unique_ptr<promql::Storage> Querier(int64_t mint_ms, int64_t maxt_ms) override {
    return history_.Querier(mint_ms, maxt_ms);
  }
  std::unique_ptr<rules::SampleAppender> Appender() override {
    return std::make_unique<DropStale>(history_.Appender());
  }

 private:
  class DropStale : public rules::SampleAppender {
   public:
    explicit DropStale(std::unique_ptr<rules::SampleAppender> next) : next_(std::move(next)) {}
    std::optional<std::string> Append(const promql::Labels& labels, int64_t t_ms,
                                      double v) override {
      if (promql::IsStaleNaN(v)) return std::nullopt;
      return next_->Append(labels, t_ms, v);
    }
    void Commit() override { next_->Commit(); }

   private:
    std::unique_ptr<rules::SampleAppender> next_;
  };
  evaluator::HistoryRuleStorage history_;
};

}  // namespace cerniq::bench

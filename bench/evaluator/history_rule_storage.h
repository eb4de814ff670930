#pragma once
// The evaluator's storage seam over a tsdb::HistoryStore, as the exporter wires it: rule queries
// read a querier of the window they need, rule output is appended to the same store. Stale
// markers are dropped here because OpenMetrics (how Prometheus gets the same samples) cannot
// carry them; both sides then hold exactly the same samples.
#include <memory>
#include <optional>
#include <string>

#include "evaluator/rule_storage.h"
#include "promql/value.h"
#include "tsdb/history_store.h"

namespace cerniq::bench {

class HistoryRuleStorage : public evaluator::RuleStorage {
 public:
  explicit HistoryRuleStorage(tsdb::HistoryStore& store) : store_(store) {}
  std::unique_ptr<promql::Storage> Querier(int64_t mint_ms, int64_t maxt_ms) override {
    return store_.Querier(mint_ms, maxt_ms);
  }
  std::unique_ptr<rules::SampleAppender> Appender() override {
    return std::make_unique<StoreAppender>(store_);
  }

 private:
  class StoreAppender : public rules::SampleAppender {
   public:
    explicit StoreAppender(tsdb::HistoryStore& store) : store_(store) {}
    std::optional<std::string> Append(const promql::Labels& labels, int64_t t_ms,
                                      double v) override {
      if (promql::IsStaleNaN(v)) return std::nullopt;
      switch (store_.Append(labels, t_ms, v)) {
        case tsdb::AppendResult::kAppended:
          return std::nullopt;
        case tsdb::AppendResult::kOutOfOrder:
          return "out of order sample";
        case tsdb::AppendResult::kDuplicate:
          return "duplicate sample for timestamp";
      }
      return std::nullopt;
    }
    void Commit() override {}

   private:
    tsdb::HistoryStore& store_;
  };
  tsdb::HistoryStore& store_;
};

}  // namespace cerniq::bench

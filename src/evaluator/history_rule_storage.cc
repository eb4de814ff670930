#include "evaluator/history_rule_storage.h"

namespace cerniq::evaluator {
namespace {

// Appends go to the store at once: a rule's Commit has nothing left to flush, and the next
// rule's query (a new snapshot) sees them.
class HistoryAppender : public rules::SampleAppender {
 public:
  explicit HistoryAppender(tsdb::HistoryStore& store) : store_(store) {}
  std::optional<std::string> Append(const promql::Labels& labels, int64_t t_ms, double v) override {
    switch (store_.Append(labels, t_ms, v)) {
      case tsdb::AppendResult::kAppended:
        return std::nullopt;
      case tsdb::AppendResult::kOutOfOrder:
        return "out of order sample";  // storage.ErrOutOfOrderSample
      case tsdb::AppendResult::kDuplicate:
        return "duplicate sample for timestamp";  // storage.ErrDuplicateSampleForTimestamp
    }
    return std::nullopt;
  }
  void Commit() override {}

 private:
  tsdb::HistoryStore& store_;
};

}  // namespace

std::unique_ptr<promql::Storage> HistoryRuleStorage::Querier(int64_t mint_ms, int64_t maxt_ms) {
  return store_.Querier(mint_ms, maxt_ms);
}

std::unique_ptr<rules::SampleAppender> HistoryRuleStorage::Appender() {
  return std::make_unique<HistoryAppender>(store_);
}

bool HistoryRuleStorage::Append(const promql::Labels& labels, int64_t t_ms, double v) {
  return store_.Append(labels, t_ms, v) == tsdb::AppendResult::kAppended;
}

}  // namespace cerniq::evaluator

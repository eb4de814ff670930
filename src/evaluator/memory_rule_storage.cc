#include <limits>
#include <mutex>

#include "evaluator/rule_storage.h"

namespace cerniq::evaluator {
namespace {

class LockedQuerier : public promql::Storage {
 public:
  LockedQuerier(std::shared_mutex& mutex, const promql::MemoryStorage& storage)
      : lock_(mutex), storage_(storage) {}
  std::vector<promql::SeriesView> Select(const std::vector<promql::Matcher>& matchers, int64_t mint,
                                         int64_t maxt) const override {
    return storage_.Select(matchers, mint, maxt);
  }

 private:
  std::shared_lock<std::shared_mutex> lock_;
  const promql::MemoryStorage& storage_;
};

class MemoryAppender : public rules::SampleAppender {
 public:
  explicit MemoryAppender(MemoryRuleStorage& storage) : storage_(storage) {}
  std::optional<std::string> Append(const promql::Labels& labels, int64_t t_ms, double v) override {
    storage_.Append(labels, t_ms, v);
    return std::nullopt;
  }
  void Commit() override {}

 private:
  MemoryRuleStorage& storage_;
};

}  // namespace

std::unique_ptr<promql::Storage> MemoryRuleStorage::Querier(int64_t, int64_t) {
  return std::make_unique<LockedQuerier>(mutex_, storage_);
}

std::unique_ptr<rules::SampleAppender> MemoryRuleStorage::Appender() {
  return std::make_unique<MemoryAppender>(*this);
}

bool MemoryRuleStorage::Append(const promql::Labels& labels, int64_t t_ms, double v) {
  std::unique_lock lock(mutex_);
  return storage_.Append(labels, t_ms, v);
}

void MemoryRuleStorage::Truncate(int64_t cutoff_ms) {
  std::unique_lock lock(mutex_);
  const promql::Matcher any(promql::MatchType::kRegexMatch, "__name__", ".+");
  promql::MemoryStorage kept;
  for (const auto& s : storage_.Select({any}, cutoff_ms, std::numeric_limits<int64_t>::max())) {
    const uint32_t id = kept.SeriesId(s.labels);
    for (size_t i = 0; i < s.t.size(); ++i) kept.Append(id, s.t[i], s.v[i]);
  }
  storage_ = std::move(kept);
}

size_t MemoryRuleStorage::NumSamples() const {
  std::shared_lock lock(mutex_);
  return storage_.NumSamples();
}

}  // namespace cerniq::evaluator

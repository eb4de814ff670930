#include "evaluator/retention.h"

#include <gtest/gtest.h>

namespace cerniq::evaluator {
namespace {

RulesStatus WithRule(const std::string& query, int64_t for_ms) {
  RulesStatus status;
  GroupStatus g;
  RuleStatus r;
  r.query = query;
  r.for_ms = for_ms;
  g.rules.push_back(r);
  status.groups.push_back(g);
  return status;
}

TEST(RetentionRulesTest, RangePlusForPlusLookbackPerSelector) {
  constexpr int64_t kLookback = 300'000;
  auto rules = RetentionRules(WithRule(R"(rate(a{q="x"}[10m]) > 0 and b offset 1h)", 600'000),
                              kLookback, 15'000);
  ASSERT_EQ(rules.size(), 2u);
  // a: 10m range + 10m for + 5m lookback.
  EXPECT_EQ(rules[0].keep.count(), 600'000 + 600'000 + kLookback);
  ASSERT_EQ(rules[0].matchers.size(), 2u);
  // b: lookback + 1h offset, then for + lookback.
  EXPECT_EQ(rules[1].keep.count(), kLookback + 3'600'000 + 600'000 + kLookback);
}

TEST(RetentionRulesTest, SubqueriesAddTheirRangeAndAtIsLeftToTheFloor) {
  auto rules = RetentionRules(WithRule("max_over_time(a[1h:1m]) + b @ 100", 0), 300'000, 15'000);
  ASSERT_EQ(rules.size(), 1u);  // b @ 100 reads an unbounded range: no rule
  EXPECT_EQ(rules[0].keep.count(), 3'600'000 + 60'000 + 300'000 + 300'000);
}

}  // namespace
}  // namespace cerniq::evaluator

// The subsystem list (collect/postgres/subsystems) against the catalogue: every PostgreSQL
// metric of the catalogue is fed by exactly one value column of a listed subsystem, under the
// catalogue's collector name, so a subsystem file left out of the list fails here.

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "collect/postgres/subsystems/registry.h"

namespace cerniq::collect::postgres::subsystems {
namespace {

// Catalogue collectors that are not PostgreSQL subsystems.
const std::set<std::string_view> kOtherCollectors = {"bullmq", "llm_rate_limit", "probe", "self",
                                                     "notifier"};

TEST(SubsystemRegistryTest, ListsTheTenSubsystemsInConfigOrder) {
  std::vector<std::string_view> names;
  for (const Subsystem* s : All()) names.push_back(s->name);
  EXPECT_EQ(names, (std::vector<std::string_view>{"churn", "clients", "hitl", "graph", "cron",
                                                  "worker_errors", "referrals", "nps", "spatial",
                                                  "partitions"}));
  for (std::string_view name : names) {
    ASSERT_NE(Find(name), nullptr) << name;
    EXPECT_EQ(Find(name)->name, name);
  }
  EXPECT_EQ(Find("nope"), nullptr);
}

TEST(SubsystemRegistryTest, EveryColumnFeedsACatalogueMetricOfItsSubsystem) {
  for (const Subsystem* s : All()) {
    ASSERT_FALSE(s->queries.empty()) << s->name;
    EXPECT_GT(s->interval.count(), 0) << s->name;
    std::set<std::string_view> keys;
    bool windowed = false;
    for (const Query& q : s->queries) {
      EXPECT_TRUE(keys.insert(q.key).second) << s->name << "." << q.key << " twice";
      EXPECT_FALSE(q.default_sql.empty()) << s->name << "." << q.key;
      ASSERT_FALSE(q.values.empty()) << s->name << "." << q.key;
      windowed |= q.windowed;
      const catalog::Metric* first = catalog::Find(q.values.front().metric);
      for (const ValueColumn& v : q.values) {
        const catalog::Metric* m = catalog::Find(v.metric);
        ASSERT_NE(m, nullptr) << v.metric;
        EXPECT_EQ(m->name, v.metric) << "a family name, not a series name";
        EXPECT_EQ(m->collector, s->name) << v.metric;
        EXPECT_EQ(m->labels, first->labels) << s->name << "." << q.key << ": one label set";
        EXPECT_EQ(m->type == catalog::Type::kHistogram, s->shape == Shape::kHistogram) << v.metric;
      }
    }
    EXPECT_EQ(windowed, s->window.count() > 0) << s->name << ": a window needs a windowed query";
    if (s->shape == Shape::kHistogram) {
      EXPECT_EQ(s->queries.size(), 1u) << s->name;
      EXPECT_EQ(s->queries.front().values.size(), 1u) << s->name;
      ASSERT_FALSE(s->buckets.empty()) << s->name;
      EXPECT_TRUE(std::is_sorted(s->buckets.begin(), s->buckets.end())) << s->name;
    } else {
      EXPECT_TRUE(s->buckets.empty()) << s->name;
    }
  }
}

TEST(SubsystemRegistryTest, EveryPostgresMetricOfTheCatalogueIsFedOnce) {
  std::map<std::string_view, int> fed;
  for (const Subsystem* s : All()) {
    for (const Query& q : s->queries) {
      for (const ValueColumn& v : q.values) ++fed[v.metric];
    }
  }
  for (const catalog::Metric& m : catalog::All()) {
    if (kOtherCollectors.contains(m.collector)) continue;
    EXPECT_EQ(fed[m.name], 1) << m.name << " (collector " << m.collector << ")";
  }
}

}  // namespace
}  // namespace cerniq::collect::postgres::subsystems

// The evaluator's Alertmanager hook on a fake clock: what is sent after each evaluation, and
// when, follows Prometheus 2.42 (rules/alerting.go sendAlerts + needsSending, rules/manager.go
// SendAlerts). Expected timelines are derived in the comments from those functions:
//   needsSending: pending -> no; resolvedAt after lastSentAt -> yes; lastSentAt + resendDelay
//                 before ts -> yes (a never-sent alert always is);
//   on send:      lastSentAt = ts, validUntil = ts + 4 * max(resendDelay, group interval);
//   SendAlerts:   startsAt = firedAt, endsAt = resolvedAt if resolved else validUntil.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "evaluator/eval_timestamp.h"
#include "evaluator/manager.h"
#include "test_support.h"

namespace cerniq::evaluator {
namespace {

using testing::TempDir;

constexpr int64_t kStartNs = 1'700'000'000'000'000'000;
constexpr int64_t kIntervalMs = 10'000;

// What one notify call carried, with the evaluation it came from.
struct Sent {
  int64_t eval_ms;
  notifier::Alert alert;
};

// A compact view of a send for EXPECT_EQ: (ts offset, startsAt offset, endsAt offset), offsets in
// seconds from the first evaluation of interest.
struct Point {
  int64_t at_s, starts_s, ends_s;
  bool operator==(const Point&) const = default;
};
std::ostream& operator<<(std::ostream& os, const Point& p) {
  return os << "{at " << p.at_s << "s, startsAt " << p.starts_s << "s, endsAt " << p.ends_s << "s}";
}

class NotifyTest : public ::testing::Test {
 protected:
  NotifyTest() : clock_(kStartNs) {}

  void Load(const std::string& rules, int64_t resend_delay_ms,
            const std::string& external_url = "") {
    ManagerOptions o;
    o.storage = &storage_;
    o.clock = &clock_;
    o.default_interval_ms = kIntervalMs;
    o.external_url = external_url;
    o.resend_delay_ms = resend_delay_ms;
    o.notify = [this](std::vector<notifier::Alert> alerts) {
      ++calls_;
      for (auto& a : alerts) sent_.push_back({eval_ms_, std::move(a)});
    };
    manager_ = std::make_unique<Manager>(std::move(o));
    file_ = dir_.Write("r.yaml", rules);
    ASSERT_TRUE(manager_->Reload({file_}).ok());
  }
  // Moves to the next slot, feeds up{job} = v for each job at that time, evaluates (the slot is
  // the evaluation timestamp).
  int64_t Step(std::map<std::string, double> up) {
    clock_.SetNs(*manager_->NextDueNs());
    const int64_t now_ms = eval_ms_ = NsToMs(clock_.NowNs());
    for (const auto& [job, v] : up) {
      storage_.Append(promql::LabelsFromMap({{"__name__", "up"}, {"job", job}}), now_ms, v);
    }
    manager_->RunDue();
    return now_ms;
  }
  std::vector<Point> Timeline(int64_t origin_ms) const {
    std::vector<Point> out;
    for (const auto& s : sent_) {
      out.push_back({(s.eval_ms - origin_ms) / 1000, (s.alert.starts_at_ms - origin_ms) / 1000,
                     (s.alert.ends_at_ms - origin_ms) / 1000});
    }
    return out;
  }

  TempDir dir_;
  FakeClock clock_;
  MemoryRuleStorage storage_;
  std::unique_ptr<Manager> manager_;
  std::string file_;
  std::vector<Sent> sent_;
  int calls_ = 0;
  int64_t eval_ms_ = 0;
};

const char* kDownRule = R"(groups:
  - name: g
    interval: 10s
    rules:
      - alert: Down
        expr: up==0
        labels:
          severity: page
        annotations:
          summary: "{{ $labels.job }} is down"
)";

TEST_F(NotifyTest, FiringThenResolvedWithResendDelayAndRetention) {
  Load(kDownRule, 30'000, "http://exporter:9755");
  Step({{"x", 1}});
  EXPECT_TRUE(sent_.empty());
  const int64_t t0 = Step({{"x", 0}});  // firing at once (no `for`): sent, endsAt t0 + 4*30s
  for (int i = 1; i <= 4; ++i) Step({{"x", 0}});  // t0+10..30: 30+... not before ts; t0+40: sent
  Step({{"x", 1}});                               // t0+50: resolved, sent with endsAt t0+50
  for (int i = 6; i <= 9; ++i) Step({{"x", 1}});  // t0+60..80 quiet; t0+90: 50+30 < 90, resent
  EXPECT_EQ(Timeline(t0),
            (std::vector<Point>{{0, 0, 120}, {40, 0, 160}, {50, 0, 50}, {90, 0, 50}}));

  const notifier::Alert& a = sent_.at(0).alert;
  EXPECT_EQ(a.labels,
            (notifier::LabelSet{{"alertname", "Down"}, {"job", "x"}, {"severity", "page"}}));
  EXPECT_EQ(a.annotations, (notifier::LabelSet{{"summary", "x is down"}}));
  // externalURL + TableLinkForExpression(r.vector.String()): the expression as PromQL prints it.
  EXPECT_EQ(a.generator_url, "http://exporter:9755/graph?g0.expr=up+%3D%3D+0&g0.tab=1");
}

TEST_F(NotifyTest, ResolvedAlertIsResentUntilItLeavesTheRuleAfterFifteenMinutes) {
  Load(kDownRule, 60'000);
  const int64_t t0 = Step({{"x", 0}});
  const int64_t resolved = Step({{"x", 1}});
  sent_.clear();
  // The rule drops a resolved alert once ts - resolvedAt > 15m; until then it is due every
  // time lastSentAt + 1m is before ts, i.e. every 70s on a 10s grid.
  for (int i = 0; i < 100; ++i) Step({{"x", 1}});  // up to resolvedAt + 1000s
  std::vector<Point> expected;
  for (int64_t at = 70; at <= 900; at += 70) expected.push_back({at, -10, 0});
  EXPECT_EQ(Timeline(resolved), expected);
  EXPECT_EQ(t0 + 10'000, resolved);
}

TEST_F(NotifyTest, PendingIsNeverSentAndStartsAtIsWhenItFired) {
  Load(R"(groups:
  - name: g
    interval: 10s
    rules:
      - alert: Down
        expr: up == 0
        for: 20s
)",
       60'000);
  const int64_t t0 = Step({{"x", 0}});  // pending
  Step({{"x", 0}});                     // pending (10s < 20s)
  EXPECT_TRUE(sent_.empty());
  Step({{"x", 0}});  // t0+20: firing, firedAt = t0+20
  EXPECT_EQ(Timeline(t0), (std::vector<Point>{{20, 20, 260}}));

  // A pending alert that goes away was never sent and is not sent resolved.
  sent_.clear();
  Step({{"x", 1}});  // resolved: sent
  Step({{"y", 0}, {"x", 1}});
  Step({{"y", 1}, {"x", 1}});  // y pending then gone: nothing
  EXPECT_EQ(Timeline(t0), (std::vector<Point>{{30, 20, 30}}));
}

TEST_F(NotifyTest, ValidUntilUsesTheGroupIntervalWhenLongerThanTheResendDelay) {
  Load(kDownRule, 5'000);
  const int64_t t0 = Step({{"x", 0}});
  Step({{"x", 0}});  // last + 5s before ts: sent again at every evaluation
  EXPECT_EQ(Timeline(t0), (std::vector<Point>{{0, 0, 40}, {10, 0, 50}}));
}

TEST_F(NotifyTest, OneCallPerEvaluationWithEveryAlertDue) {
  Load(kDownRule, 60'000);
  Step({{"a", 0}, {"b", 0}, {"c", 1}});
  EXPECT_EQ(calls_, 1);
  ASSERT_EQ(sent_.size(), 2u);
  Step({{"a", 0}, {"b", 0}, {"c", 1}});  // nothing due: no call at all
  EXPECT_EQ(calls_, 1);
}

TEST_F(NotifyTest, ReloadOfAChangedGroupKeepsTheSendState) {
  Load(kDownRule, 30'000);
  const int64_t t0 = Step({{"x", 0}});
  // Changing the annotation makes the group new: CopyState hands it the alert, lastSentAt and
  // validUntil included, so the next evaluation does not resend early.
  std::string changed = kDownRule;
  changed.replace(changed.find("is down"), 7, "is gone");
  dir_.Write("r.yaml", changed);
  ASSERT_TRUE(manager_->Reload({file_}).ok());
  Step({{"x", 0}});  // t0+10
  Step({{"x", 0}});  // t0+20
  Step({{"x", 0}});  // t0+30
  Step({{"x", 0}});  // t0+40: resend with the new annotation
  EXPECT_EQ(Timeline(t0), (std::vector<Point>{{0, 0, 120}, {40, 0, 160}}));
  EXPECT_EQ(sent_.back().alert.annotations, (notifier::LabelSet{{"summary", "x is gone"}}));
}

TEST_F(NotifyTest, AFailedEvaluationSendsNothing) {
  Load(R"(groups:
  - name: g
    interval: 10s
    rules:
      - alert: Down
        expr: up * on() up == 0
)",
       30'000);
  const int64_t t0 = Step({{"x", 0}});
  // A second `up` series makes the query fail (many-to-many): Prometheus skips sendAlerts.
  for (int i = 0; i < 6; ++i) Step({{"x", 0}, {"y", 0}});
  EXPECT_EQ(manager_->Status()->groups.at(0).rules.at(0).health, "err");
  EXPECT_EQ(Timeline(t0), (std::vector<Point>{{0, 0, 120}}));
}

TEST_F(NotifyTest, ExceedingTheLimitDropsTheAlertsWithoutSending) {
  Load(R"(groups:
  - name: g
    interval: 10s
    limit: 1
    rules:
      - alert: Down
        expr: up == 0
)",
       30'000);
  Step({{"a", 0}, {"b", 0}});
  EXPECT_TRUE(sent_.empty());
}

}  // namespace
}  // namespace cerniq::evaluator

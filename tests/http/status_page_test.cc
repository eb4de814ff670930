#include "http/status_page.h"

#include <stdexcept>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "collect/families.h"
#include "gocompat/html_escape.h"
#include "http/routes.h"

namespace cerniq::http {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr int64_t kNow = 1796220000000;  // 2026-12-02 14:00:00 UTC
constexpr const char* kHostile = "<script>alert(\"x\")</script>'&";

// Queue numbers as the bullmq collector publishes them: {queue -> {waiting, active, failed,
// paused, workers}}.
std::shared_ptr<const collect::Snapshot> SnapshotWith(
    const std::vector<std::tuple<std::string, std::string, std::vector<double>>>& queues) {
  auto bullmq = std::make_shared<collect::CollectorState>();
  bullmq->name = "bullmq";
  bullmq->source = "redis";
  bullmq->finished_first_pass = bullmq->success = bullmq->source_reached = true;
  bullmq->duration_seconds = 0.0123;
  bullmq->last_attempt_unix = bullmq->last_success_unix = (kNow - 4000) / 1000.0;
  const char* names[] = {"bullmq_queue_waiting", "bullmq_queue_active", "bullmq_queue_failed",
                         "bullmq_queue_paused", "bullmq_workers_active"};
  for (int i = 0; i < 5; ++i) {
    auto f = collect::MakeFamily(names[i]);
    for (const auto& [prefix, queue, values] : queues) {
      collect::AddSample(f, {{"prefix", prefix}, {"queue", queue}}, values[i]);
    }
    bullmq->families.push_back(f);
  }
  auto pg = std::make_shared<collect::CollectorState>();
  pg->name = "hitl";
  pg->source = "postgres";
  pg->finished_first_pass = true;
  pg->success = false;
  pg->duration_seconds = 2.5;
  pg->last_attempt_unix = (kNow - 65'000) / 1000.0;
  pg->error = std::string("relation \"approval_tasks\" does not exist ") + kHostile;
  auto snapshot = std::make_shared<collect::Snapshot>();
  snapshot->collectors = {{"bullmq", bullmq}, {"hitl", pg}};
  return snapshot;
}

// The text of the table row that carries `attribute`, e.g. data-queue="churn".
std::string Row(const std::string& page, const std::string& attribute) {
  size_t start = page.find(attribute);
  EXPECT_NE(start, std::string::npos) << attribute;
  if (start == std::string::npos) return "";
  start = page.rfind("<tr", start);
  return page.substr(start, page.find("</tr>", start) - start);
}

StatusPageInputs Inputs() {
  StatusPageInputs in;
  in.snapshot = SnapshotWith({{"bull", "churn", {120, 2, 4, 0, 3}},
                              {"bull", "hitl", {3, 0, 1, 1, 1}},
                              {"bull", "sentiment", {12, 1, 0, 0, 2}}});
  in.queues = {{"bull", "churn"}, {"bull", "hitl"}, {"bull", "sentiment"}, {"bull", "graph"}};
  in.now_ms = kNow;
  in.version = "1.2.3";
  in.revision = "abc";
  return in;
}

api::AlertState Alert(const std::string& name, const std::string& state, promql::Labels extra,
                      promql::Labels annotations) {
  std::vector<promql::Label> labels(extra.begin(), extra.end());
  labels.push_back({"alertname", name});
  api::AlertState a;
  a.labels = promql::Labels(labels);
  a.annotations = std::move(annotations);
  a.state = state;
  a.active_at_ns = (kNow - 90'000) * 1'000'000;
  a.value = 120;
  return a;
}

std::vector<api::RuleGroupState> Groups() {
  api::RuleGroupState g;
  g.name = "etapa5-queues";
  g.file = "rules/etapa5-alerts.yaml";
  g.interval_s = 15;
  g.evaluation_time_s = 0.002;
  g.last_evaluation_ns = (kNow - 7'000) * 1'000'000;
  api::RuleState waiting;
  waiting.name = "QueueWaitingHigh";
  waiting.query = "bullmq_queue_waiting{queue=\"churn\"} >= 50";
  waiting.state = "firing";
  waiting.health = "ok";
  waiting.alerts = {Alert("QueueWaitingHigh", "firing",
                          {{"queue", "churn"}, {"severity", "warning"}},
                          {{"summary", "churn backlog"},
                           {"description", "120 jobs wait"},
                           {"runbook_url", "https://runbooks.example.com/etapa5#31?a=1&b=\"2\""},
                           {"dashboard", "javascript:alert(1)"}})};
  api::RuleState failed;
  failed.name = "QueueFailedJobs";
  failed.query = "bullmq_queue_failed{queue=\"hitl\"} > 0";
  failed.state = "pending";
  failed.health = "ok";
  failed.alerts = {Alert("QueueFailedJobs", "pending", {{"queue", "hitl"}},
                         {{"summary", "hitl has failed jobs"}})};
  api::RuleState broken;
  broken.name = kHostile;
  broken.query = std::string("vector(1) > \"") + kHostile;
  broken.health = "err";
  broken.last_error = std::string("bad data: ") + kHostile;
  api::RuleState record;
  record.alerting = false;
  record.name = "queue:bullmq_jobs_failed:rate5m";
  record.query = "sum by (queue) (rate(bullmq_jobs_failed_total[5m]))";
  record.health = "unknown";
  g.rules = {waiting, failed, broken, record};
  return {g};
}

api::StorageProvider HistoryOf(std::shared_ptr<promql::MemoryStorage> storage) {
  return [storage](int64_t, int64_t) -> std::unique_ptr<promql::Storage> {
    return std::make_unique<promql::MemoryStorage>(*storage);
  };
}

TEST(StatusPage, QueueTableHasTheRunbookNumbersAndThresholds) {
  std::string page = RenderStatusPage(Inputs());
  std::string churn = Row(page, "data-queue=\"churn\"");
  EXPECT_THAT(churn, HasSubstr("class=\"attention\""));
  EXPECT_THAT(churn, HasSubstr("<td class=\"num over\" data-field=\"waiting\">120</td>"));
  EXPECT_THAT(churn, HasSubstr("<td class=\"num\" data-field=\"active\">2</td>"));
  EXPECT_THAT(churn, HasSubstr("<td class=\"num\" data-field=\"failed\">4</td>"))
      << "4 failed is below churn's 5";
  EXPECT_THAT(churn, HasSubstr("<td class=\"num\" data-field=\"workers\">3</td>"));
  EXPECT_THAT(churn, HasSubstr("waiting &lt; 50, failed &lt; 5"));
  EXPECT_THAT(churn, HasSubstr("attention"));

  std::string hitl = Row(page, "data-queue=\"hitl\"");
  EXPECT_THAT(hitl, HasSubstr("waiting &lt; 50, failed = 0"));
  EXPECT_THAT(hitl, HasSubstr("<td class=\"num over\" data-field=\"failed\">1</td>"));
  EXPECT_THAT(hitl, HasSubstr(">paused<"));
  EXPECT_THAT(hitl, HasSubstr("attention"));

  std::string sentiment = Row(page, "data-queue=\"sentiment\"");
  EXPECT_THAT(sentiment, Not(HasSubstr("over")));
  EXPECT_THAT(sentiment, HasSubstr(">healthy<"));
  EXPECT_THAT(sentiment, HasSubstr("waiting &lt; 200, failed &lt; 10"));

  std::string graph = Row(page, "data-queue=\"graph\"");  // configured, not in the snapshot
  EXPECT_THAT(graph, HasSubstr(">no data<"));
  EXPECT_THAT(graph, HasSubstr("data-field=\"waiting\">—<"));

  EXPECT_THAT(page, HasSubstr("2 of 4 queues need attention"));
  EXPECT_THAT(page, HasSubstr("1 without data"));
}

TEST(StatusPage, EscapesEveryOutsideValue) {
  StatusPageInputs in = Inputs();
  in.snapshot = SnapshotWith({{"a'b&c", kHostile, {1, 0, 0, 0, 0}}});
  in.queues = {{"a'b&c", kHostile}};
  auto groups = Groups();
  groups[0].name = kHostile;
  groups[0].file = kHostile;
  groups[0].rules[0].alerts[0] =
      Alert(kHostile, "firing", {{"queue", kHostile}}, {{"summary", kHostile}, {kHostile, "x"}});
  in.rule_groups = groups;
  in.telemetry_path = "/m\"><script>";
  in.version = kHostile;
  std::string page = RenderStatusPage(in);
  EXPECT_THAT(page, Not(HasSubstr("<script")));
  EXPECT_THAT(page, Not(HasSubstr("alert(\"x\")")));
  EXPECT_THAT(page, Not(HasSubstr("'&")));
  const std::string escaped = gocompat::HtmlEscapeString(kHostile);
  EXPECT_THAT(page, HasSubstr("data-queue=\"" + escaped + "\""));
  EXPECT_THAT(page, HasSubstr("data-prefix=\"a&#39;b&amp;c\""));
  EXPECT_THAT(page, HasSubstr("data-alert=\"" + escaped + "\""));
  EXPECT_THAT(page, HasSubstr("<dt>" + escaped + "</dt>"));
  EXPECT_THAT(page, HasSubstr("bad data: " + escaped));
  EXPECT_THAT(page, HasSubstr("does not exist " + escaped));
  EXPECT_THAT(page, HasSubstr("href=\"/m&#34;&gt;&lt;script&gt;\""));
}

// Behind a reverse proxy under /cerniq (--web.external-url's path) the links keep working.
TEST(StatusPage, EndpointLinksStartWithTheExternalUrlPath) {
  StatusPageInputs in = Inputs();
  in.link_prefix = "/cerniq";
  std::string page = RenderStatusPage(in);
  EXPECT_THAT(page, HasSubstr("<a href=\"/cerniq/metrics\">/metrics</a>"));
  EXPECT_THAT(page, HasSubstr("<a href=\"/cerniq/api/v1/alerts\">/api/v1/alerts</a>"));
  EXPECT_THAT(page, Not(HasSubstr("href=\"/health\"")));
}

TEST(StatusPage, AlertsByStateWithAnnotations) {
  StatusPageInputs in = Inputs();
  in.rule_groups = Groups();
  std::string page = RenderStatusPage(in);
  const size_t firing = page.find("<h3>Firing");
  const size_t pending = page.find("<h3>Pending");
  ASSERT_NE(firing, std::string::npos);
  ASSERT_NE(pending, std::string::npos);
  const size_t waiting_row = page.find("data-alert=\"QueueWaitingHigh\" data-state=\"firing\"");
  const size_t failed_row = page.find("data-alert=\"QueueFailedJobs\" data-state=\"pending\"");
  EXPECT_GT(waiting_row, firing);
  EXPECT_LT(waiting_row, pending);
  EXPECT_GT(failed_row, pending);
  std::string row = Row(page, "data-alert=\"QueueWaitingHigh\"");
  EXPECT_THAT(row, HasSubstr("<dt>summary</dt><dd>churn backlog</dd>"));
  EXPECT_THAT(row, HasSubstr("<dt>description</dt><dd>120 jobs wait</dd>"));
  EXPECT_THAT(
      row, HasSubstr("<a href=\"https://runbooks.example.com/etapa5#31?a=1&amp;b=&#34;2&#34;\">"));
  EXPECT_THAT(row, HasSubstr("<dd>javascript:alert(1)</dd>")) << "only http(s) becomes a link";
  EXPECT_THAT(row, HasSubstr("queue=churn"));
  EXPECT_THAT(row, HasSubstr("severity=warning"));
  EXPECT_THAT(row, HasSubstr("1m30s ago"));
  EXPECT_THAT(page, HasSubstr("1 firing"));
  EXPECT_THAT(page, HasSubstr("1 pending"));

  // Rules: state, health, last evaluation (the group's) and the error.
  std::string broken = Row(page, "data-rule=\"" + gocompat::HtmlEscapeString(kHostile) + "\"");
  EXPECT_THAT(broken, HasSubstr("class=\"attention\""));
  EXPECT_THAT(broken, HasSubstr(">err<"));
  EXPECT_THAT(broken, HasSubstr("7s ago"));
  EXPECT_THAT(Row(page, "data-rule=\"queue:bullmq_jobs_failed:rate5m\""), HasSubstr(">record<"));
  EXPECT_THAT(page, HasSubstr("4 rules · every 15s"));
  EXPECT_THAT(page, HasSubstr("<details class=\"group\" open>")) << "it has active alerts";
  for (auto& r : in.rule_groups->front().rules) r.health = "ok";
  for (auto& r : in.rule_groups->front().rules) r.alerts.clear();
  EXPECT_THAT(RenderStatusPage(in), HasSubstr("<details class=\"group\">")) << "nothing to see";

  // Nothing active: said plainly.
  for (auto& r : in.rule_groups->front().rules) r.alerts.clear();
  page = RenderStatusPage(in);
  EXPECT_THAT(page, HasSubstr("No alert is firing."));
  EXPECT_THAT(page, HasSubstr("No alert is pending."));
}

TEST(StatusPage, WithoutEvaluatorOrHistoryThePageSaysSo) {
  StatusPageInputs in = Inputs();
  std::string page = RenderStatusPage(in);
  EXPECT_THAT(page, HasSubstr("No rule evaluator in this process"));
  EXPECT_THAT(page, HasSubstr("Charts: no history store in this process."));
  EXPECT_THAT(page, Not(HasSubstr("<svg")));

  in.storage = [](int64_t, int64_t) { return std::unique_ptr<promql::Storage>(); };
  EXPECT_THAT(RenderStatusPage(in), HasSubstr("Charts: history not ready yet."));
  in.storage = [](int64_t, int64_t) -> std::unique_ptr<promql::Storage> {
    throw std::runtime_error("store <closed>");
  };
  EXPECT_THAT(RenderStatusPage(in),
              HasSubstr("Charts: history unavailable: store &lt;closed&gt;."));
}

TEST(StatusPage, ChartsTheWaitingHistoryOfEachQueue) {
  auto storage = std::make_shared<promql::MemoryStorage>();
  StatusPageInputs in = Inputs();
  in.storage = HistoryOf(storage);
  std::string page = RenderStatusPage(in);  // the store is there but empty
  EXPECT_THAT(Row(page, "data-queue=\"churn\""), HasSubstr("no history yet"));

  for (int64_t t = kNow - 30 * 60'000; t <= kNow; t += 15'000) {
    storage->Append({{"__name__", "bullmq_queue_waiting"}, {"prefix", "bull"}, {"queue", "churn"}},
                    t, 40 + (t - kNow + 30 * 60'000) / 30'000);
    storage->Append({{"__name__", "bullmq_queue_active"}, {"prefix", "bull"}, {"queue", "hitl"}}, t,
                    7);
  }
  page = RenderStatusPage(in);
  std::string churn = Row(page, "data-queue=\"churn\"");
  EXPECT_THAT(churn, HasSubstr("<polyline"));
  EXPECT_THAT(churn, HasSubstr("stroke-dasharray")) << "churn's threshold 50 is in range";
  EXPECT_THAT(churn, HasSubstr("waiting jobs of churn: last 100, max 100"));
  EXPECT_THAT(Row(page, "data-queue=\"hitl\""), HasSubstr("no history yet"))
      << "other metrics of the queue are not charted";
  EXPECT_THAT(page, HasSubstr("waiting, last 30m")) << "the chart starts at the oldest sample";

  for (int64_t t = kNow - 2 * 60 * 60'000; t <= kNow; t += 60'000) {
    storage->Append(
        {{"__name__", "bullmq_queue_waiting"}, {"prefix", "bull"}, {"queue", "sentiment"}}, t, 12);
  }
  page = RenderStatusPage(in);
  EXPECT_THAT(page, HasSubstr("waiting, last 1h")) << "at most the retained window";
}

TEST(StatusPage, CollectorsWithLastPassDurationAndError) {
  std::string page = RenderStatusPage(Inputs());
  std::string bullmq = Row(page, "data-collector=\"bullmq\"");
  EXPECT_THAT(bullmq, HasSubstr(">ok<"));
  EXPECT_THAT(bullmq, HasSubstr("12.3 ms"));
  EXPECT_THAT(bullmq, HasSubstr("4s ago"));
  std::string hitl = Row(page, "data-collector=\"hitl\"");
  EXPECT_THAT(hitl, HasSubstr("class=\"attention\""));
  EXPECT_THAT(hitl, HasSubstr(">failed<"));
  EXPECT_THAT(hitl, HasSubstr("2.50 s"));
  EXPECT_THAT(hitl, HasSubstr("1m5s ago"));
  EXPECT_THAT(hitl, HasSubstr(">never<")) << "no successful pass yet";
  EXPECT_THAT(hitl, HasSubstr("relation &#34;approval_tasks&#34; does not exist"));
  EXPECT_THAT(page, HasSubstr("1 collectors failing"));
}

TEST(StatusPage, RouterServesItAsHtml) {
  collect::SnapshotStore store;
  RouteContext ctx;
  ctx.configured_queues = {{"bull", "churn"}};
  ctx.rules = [] { return Groups(); };
  ctx.api_options.now_ms = [] { return kNow; };
  Router router(ctx, store);
  Response r = router.Handle({"GET", "/", ""});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_THAT(r.body, HasSubstr("<!DOCTYPE html>"));
  EXPECT_THAT(r.body, HasSubstr("data-queue=\"churn\""));
  EXPECT_THAT(r.body, HasSubstr("data-alert=\"QueueWaitingHigh\""));
  EXPECT_THAT(r.body, HasSubstr("2026-12-02"));
}

}  // namespace
}  // namespace cerniq::http

#include "api/api.h"

#include <gtest/gtest.h>

#include <memory>

#include "log/limits.h"

namespace cerniq::api {
namespace {

using promql::Labels;

class ApiTest : public ::testing::Test {
 protected:
  ApiTest() {
    for (int i = 0; i <= 10; ++i) {
      storage_->Append(Labels{{"__name__", "up"}, {"job", "a"}}, i * 15000, 1);
      storage_->Append(Labels{{"__name__", "up"}, {"job", "b<c"}}, i * 15000, i * 0.5);
    }
  }

  Api Make(Options options = {}, RulesProvider rules = nullptr) {
    options.now_ms = [] { return int64_t{150'000}; };
    auto storage = storage_;
    return Api(
        std::move(options),
        [storage](int64_t, int64_t) -> std::unique_ptr<promql::Storage> {
          return std::make_unique<View>(storage);
        },
        std::move(rules));
  }

  static Response Get(const Api& api, std::string path, std::string query) {
    return api.Handle({"GET", std::move(path), std::move(query), "", ""});
  }

  // A Storage sharing the fixture's samples.
  struct View : promql::Storage {
    explicit View(std::shared_ptr<promql::MemoryStorage> s) : s(std::move(s)) {}
    std::vector<promql::SeriesView> Select(const std::vector<promql::Matcher>& m, int64_t mint,
                                           int64_t maxt) const override {
      return s->Select(m, mint, maxt);
    }
    std::shared_ptr<promql::MemoryStorage> s;
  };

  std::shared_ptr<promql::MemoryStorage> storage_ = std::make_shared<promql::MemoryStorage>();
};

TEST_F(ApiTest, InstantVector) {
  Response r = Get(Make(), "/query", "query=up&time=150.001");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"status":"success","data":{"resultType":"vector","result":[)"
                    R"({"metric":{"__name__":"up","job":"a"},"value":[150.001,"1"]},)"
                    R"({"metric":{"__name__":"up","job":"b\u003cc"},"value":[150.001,"5"]}]}})");
}

TEST_F(ApiTest, ScalarStringAndDefaultTime) {
  EXPECT_EQ(
      Get(Make(), "/query", "query=1%2F3").body,
      R"({"status":"success","data":{"resultType":"scalar","result":[150,"0.3333333333333333"]}})");
  EXPECT_EQ(Get(Make(), "/query", "query=%22x%22&time=1.5").body,
            R"({"status":"success","data":{"resultType":"string","result":[1.5,"x"]}})");
}

TEST_F(ApiTest, RangeMatrix) {
  Response r = Get(Make(), "/query_range", "query=up%7Bjob%3D%22a%22%7D&start=0&end=30&step=15");
  EXPECT_EQ(r.body,
            R"({"status":"success","data":{"resultType":"matrix","result":[)"
            R"({"metric":{"__name__":"up","job":"a"},"values":[[0,"1"],[15,"1"],[30,"1"]]}]}})");
  Response post = Make().Handle({"POST", "/query_range", "", "query=up&start=0&end=30&step=15s",
                                 "application/x-www-form-urlencoded"});
  EXPECT_EQ(post.status, 200);
}

TEST_F(ApiTest, BadDataErrors) {
  Api api = Make();
  Response r = Get(api, "/query", "query=sum(");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(
      r.body,
      R"({"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:5: parse error: unclosed left parenthesis"})");
  EXPECT_EQ(
      Get(api, "/query", "query=up&time=x").body,
      R"({"status":"error","errorType":"bad_data","error":"invalid parameter \"time\": Invalid time value for 'time': cannot parse \"x\" to a valid timestamp"})");
  EXPECT_EQ(
      Get(api, "/query_range", "query=up&start=10&end=5&step=1").body,
      R"({"status":"error","errorType":"bad_data","error":"invalid parameter \"end\": end timestamp must not be before start time"})");
  EXPECT_EQ(
      Get(api, "/query_range", "query=up&start=0&end=5&step=0").body,
      R"({"status":"error","errorType":"bad_data","error":"invalid parameter \"step\": zero or negative query resolution step widths are not accepted. Try a positive integer"})");
  EXPECT_EQ(
      Get(api, "/query_range", "query=up&start=0&end=11001&step=1").body,
      R"j({"status":"error","errorType":"bad_data","error":"exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)"})j");
  EXPECT_EQ(
      Get(api, "/query_range", "query=up%5B5m%5D&start=0&end=10&step=1").body,
      R"({"status":"error","errorType":"bad_data","error":"invalid expression type \"range vector\" for range query, must be Scalar or instant Vector"})");
  EXPECT_EQ(
      Get(api, "/query_range", "query=sum(&start=0&end=10&step=1").body,
      R"({"status":"error","errorType":"bad_data","error":"1:5: parse error: unclosed left parenthesis"})");
}

std::uint64_t LimitCount(std::string_view limit) {
  for (const auto& [name, count] : log::LimitCounts()) {
    if (name == limit) return count;
  }
  return 0;
}

TEST_F(ApiTest, TooManySamplesIs422) {
  Options options;
  options.engine.max_samples = 5;
  auto reached = LimitCount(log::limit::kQuerySamples);
  Response r = Get(Make(options), "/query_range", "query=up&start=0&end=150&step=15");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(LimitCount(log::limit::kQuerySamples), reached + 1);
  EXPECT_EQ(
      r.body,
      R"({"status":"error","errorType":"execution","error":"query processing would load too many samples into memory in query execution"})");
}

TEST_F(ApiTest, TimeoutIs503) {
  Options options;
  options.engine.timeout = std::chrono::milliseconds(0);
  auto reached = LimitCount(log::limit::kQueryTimeout);
  Response r = Get(Make(options), "/query", "query=up&time=1");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(LimitCount(log::limit::kQueryTimeout), reached + 1);
  EXPECT_NE(r.body.find(R"("errorType":"timeout")"), std::string::npos);
}

TEST_F(ApiTest, NotReadyWithoutStorage) {
  Api api(Options{}, nullptr);
  EXPECT_EQ(Get(api, "/query", "query=up").status, 503);
  Api later(Options{}, [](int64_t, int64_t) { return std::unique_ptr<promql::Storage>(); });
  EXPECT_EQ(Get(later, "/query", "query=up").status, 503);
}

TEST_F(ApiTest, SeriesLabelsValues) {
  Api api = Make();
  EXPECT_EQ(Get(api, "/labels", "").body, R"({"status":"success","data":["__name__","job"]})");
  EXPECT_EQ(Get(api, "/label/job/values", "").body,
            R"({"status":"success","data":["a","b\u003cc"]})");
  EXPECT_EQ(Get(api, "/label/__name__/values", "match[]=up%7Bjob%3D%22a%22%7D").body,
            R"({"status":"success","data":["up"]})");
  EXPECT_EQ(Get(api, "/series", "match[]=up%7Bjob%3D%22a%22%7D&start=0&end=10").body,
            R"({"status":"success","data":[{"__name__":"up","job":"a"}]})");
  EXPECT_EQ(Get(api, "/series", "").body,
            R"({"status":"error","errorType":"bad_data","error":"no match[] parameter provided"})");
  EXPECT_EQ(
      Get(api, "/series", "match[]=%7Bjob%3D~%22.*%22%7D").body,
      R"({"status":"error","errorType":"bad_data","error":"invalid parameter \"match[]\": match[] must contain at least one non-empty matcher"})");
  EXPECT_EQ(Get(api, "/label/1x/values", "").body,
            R"({"status":"error","errorType":"bad_data","error":"invalid label name: \"1x\""})");
}

TEST_F(ApiTest, RoutesAndMethods) {
  Api api = Make();
  EXPECT_EQ(Get(api, "/nope", "").status, 404);
  EXPECT_EQ(api.Handle({"POST", "/metadata", "", "", ""}).status, 405);
  EXPECT_EQ(api.Handle({"OPTIONS", "/query", "", "", ""}).status, 204);
  EXPECT_EQ(Get(api, "/query_exemplars", "query=up").body, R"({"status":"success","data":[]})");
  EXPECT_EQ(Get(api, "/format_query", "query=sum(up)by(job)").body,
            R"j({"status":"success","data":"sum by (job) (up)"})j");
}

TEST_F(ApiTest, MetadataAndBuildInfo) {
  Options options;
  options.metadata = {{"b", "gauge", "B.", ""}, {"a", "counter", "A & co.", ""}};
  options.build.version = "0.1.0";
  Api api = Make(options);
  EXPECT_EQ(
      Get(api, "/metadata", "").body,
      R"({"status":"success","data":{"a":[{"type":"counter","help":"A \u0026 co.","unit":""}],"b":[{"type":"gauge","help":"B.","unit":""}]}})");
  EXPECT_EQ(
      Get(api, "/metadata", "limit=1").body,
      R"({"status":"success","data":{"a":[{"type":"counter","help":"A \u0026 co.","unit":""}]}})");
  EXPECT_EQ(Get(api, "/metadata", "limit=x").status, 400);
  EXPECT_EQ(
      Get(api, "/status/buildinfo", "").body,
      R"({"status":"success","data":{"version":"0.1.0","revision":"","branch":"","buildUser":"","buildDate":"","goVersion":""}})");
  EXPECT_FALSE(CatalogMetadata().empty());
}

TEST_F(ApiTest, RulesAndAlerts) {
  RuleGroupState g;
  g.name = "etapa5";
  g.file = "rules/a.yaml";
  g.interval_s = 15;
  RuleState alert;
  alert.name = "QueueBacklog";
  alert.query = "x > 1";
  alert.duration_s = 300;
  alert.labels = Labels{{"severity", "warning"}};
  alert.state = "firing";
  alert.health = "ok";
  alert.alerts.push_back({Labels{{"alertname", "QueueBacklog"}}, Labels{}, "firing",
                          1435781451781000000, std::nullopt, 2});
  RuleState record;
  record.alerting = false;
  record.name = "job:x:sum";
  record.query = "sum(x)";
  g.rules = {alert, record};
  Api api = Make({}, [g] { return std::vector<RuleGroupState>{g}; });
  EXPECT_EQ(
      Get(api, "/alerts", "").body,
      R"({"status":"success","data":{"alerts":[{"labels":{"alertname":"QueueBacklog"},"annotations":{},"state":"firing","activeAt":"2015-07-01T20:10:51.781Z","value":"2e+00"}]}})");
  EXPECT_EQ(
      Get(api, "/rules", "type=record").body,
      R"j({"status":"success","data":{"groups":[{"name":"etapa5","file":"rules/a.yaml","rules":[{"name":"job:x:sum","query":"sum(x)","health":"unknown","evaluationTime":0,"lastEvaluation":"0001-01-01T00:00:00Z","type":"recording"}],"interval":15,"limit":0,"evaluationTime":0,"lastEvaluation":"0001-01-01T00:00:00Z"}]}})j");
  std::string all = Get(api, "/rules", "").body;
  EXPECT_NE(
      all.find(
          R"({"state":"firing","name":"QueueBacklog","query":"x \u003e 1","duration":300,"keepFiringFor":0,"labels":{"severity":"warning"},"annotations":{},"alerts":[{)"),
      std::string::npos)
      << all;
  EXPECT_EQ(
      Get(api, "/rules", "type=x").body,
      R"({"status":"error","errorType":"bad_data","error":"invalid parameter \"type\": not supported value \"x\""})");
}

}  // namespace
}  // namespace cerniq::api

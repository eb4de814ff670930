#pragma once
// Prometheus 2.42's HTTP API (web/api/v1) as a pure function from a request to a response:
// no socket here, so every endpoint is tested by calling Api::Handle.
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "api/params.h"
#include "api/query_gate.h"
#include "api/rules_state.h"
#include "promql/engine.h"
#include "promql/storage.h"

namespace cerniq::api {

struct Request {
  std::string method = "GET";
  std::string path;  // below /api/v1, e.g. "/query"
  std::string query;
  std::string body;
  std::string content_type;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// A read view of the samples between mint and maxt (ms, inclusive); nullptr while not ready.
// The view must not change while it lives (the history store hands out a snapshot or a lock).
using StorageProvider =
    std::function<std::unique_ptr<promql::Storage>(int64_t mint_ms, int64_t maxt_ms)>;
using RulesProvider = std::function<std::vector<RuleGroupState>()>;

struct MetricMetadata {
  std::string metric;
  std::string type;  // "gauge", "counter", "histogram", ...
  std::string help;
  std::string unit;
};

struct BuildInfo {
  std::string version, revision, branch, build_user, build_date, go_version;
};

struct Options {
  // max_samples (--query.max-samples), timeout (--query.timeout), lookback delta.
  promql::EngineOptions engine;
  int max_concurrency = 20;         // --query.max-concurrency
  std::function<int64_t()> now_ms;  // default: the system clock
  BuildInfo build;
  std::vector<MetricMetadata> metadata;
};

class Api {
 public:
  Api(Options options, StorageProvider storage, RulesProvider rules = nullptr);
  Response Handle(const Request& request) const;

 private:
  struct Call {
    const Request& request;
    Form form;
  };
  Response Query(const Call& call) const;
  Response QueryRange(const Call& call) const;
  Response FormatQuery(const Call& call) const;
  Response QueryExemplars(const Call& call) const;
  Response Series(const Call& call) const;
  Response LabelNames(const Call& call) const;
  Response LabelValues(const Call& call, const std::string& name) const;
  Response Metadata(const Call& call) const;
  // The sorted, distinct strings `collect` takes from the series match[] selects.
  Response CollectLabelStrings(
      const Call& call,
      const std::function<void(const promql::Labels&, std::set<std::string>&)>& collect) const;
  Response Alerts() const;
  Response Rules(const Call& call) const;
  Response BuildInfoResponse() const;
  // Runs an evaluation under the concurrency limit and the timeout; fills `data` or returns
  // the error response.
  Response Execute(
      int64_t timeout_ns, int64_t mint, int64_t maxt,
      const std::function<promql::Value(const promql::Engine&, const promql::Storage&)>& run) const;
  int64_t Now() const;

  Options options_;
  StorageProvider storage_;
  RulesProvider rules_;
  mutable QueryGate gate_;
};

// The success and error envelopes ({"status":"success","data":...}).
Response Success(std::string data);
Response Error(const std::string& type, const std::string& message);
// 503 while the storage is not ready, as Prometheus's readiness wrapper answers.
Response NotReady();

// The success envelope around {"resultType":"vector","result":[...]} of a query result.
Response QuerySuccess(const promql::Value& value);

// The catalogue's metrics as /api/v1/metadata entries.
std::vector<MetricMetadata> CatalogMetadata();

}  // namespace cerniq::api

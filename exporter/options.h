#pragma once
// Command-line flags and environment of cerniq_exporter, resolved into one Config.
// Precedence: flag > environment > config file > built-in default.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "notifier/alert.h"
#include "notifier/send_policy.h"

namespace cerniq::exporter {

struct Options {
  config::Config config;
  std::vector<std::string> listen_addresses = {":9755"};  // --web.listen-address, repeatable
  std::string web_config_file;  // exporter-toolkit's format: TLS, basic auth, headers
  std::string telemetry_path = "/metrics";
  std::string log_level = "info";
  std::string log_format = "logfmt";
  std::string print_metrics;  // "", "text" or "markdown"
  bool version = false;
  // Alerting (Prometheus's flags): where the side evaluator's alerts go.
  std::vector<std::string> alertmanager_urls;  // --alertmanager.url, repeatable
  size_t notification_queue_capacity = 10000;  // --alertmanager.notification-queue-capacity
  std::chrono::milliseconds alertmanager_timeout{10'000};     // --alertmanager.timeout
  int64_t resend_delay_ms = notifier::kDefaultResendDelayMs;  // --rules.alert.resend-delay
  notifier::LabelSet external_labels;  // --rules.external-label name=value, sorted by name
  // --web.external-url as Prometheus computes it (computeExternalURL): the flag's URL with the
  // path's trailing slashes removed, or http://<hostname>:<port of the first listen address>.
  // Prefixes the alerts' generatorURL, $externalURL, and the status page's links.
  std::string external_url;
  bool drain_notifications_on_shutdown = true;  // --alertmanager.drain-notification-queue-...
  // Restored `for` state (--storage.path), as Prometheus's RestoreForState.
  std::chrono::milliseconds for_outage_tolerance{std::chrono::hours(1)};
  std::chrono::milliseconds for_grace_period{std::chrono::minutes(10)};
  // The local rule evaluator (src/evaluator): off without rule files.
  std::vector<std::string> rule_files;  // paths or globs
  std::chrono::milliseconds rules_evaluation_interval{15'000};
  bool web_enable_lifecycle = false;  // POST /-/reload
  // The history (src/tsdb): every collected series and rule output, queried by /api/v1.
  std::chrono::milliseconds storage_retention{std::chrono::hours(1)};  // --storage.retention
  size_t storage_max_bytes = 0;  // --storage.max-bytes (0: no limit), Prometheus's size units
  std::string storage_path;      // --storage.path: checkpoint directory (none: no checkpoint)
  std::chrono::milliseconds storage_checkpoint_interval{5 * 60'000};
  // Queries (Prometheus's flags), for /api/v1 and the rule evaluator's engine.
  std::chrono::milliseconds query_timeout{2 * 60'000};         // --query.timeout
  int query_max_concurrency = 20;                              // --query.max-concurrency
  int64_t query_max_samples = 50'000'000;                      // --query.max-samples
  std::chrono::milliseconds query_lookback_delta{5 * 60'000};  // --query.lookback-delta
  // Limits (cerniq_limit_reached_total); 0 = none for the collector ones.
  size_t collector_max_series = 20000;             // --collector.max-series
  size_t collector_max_label_value_length = 2048;  // --collector.max-label-value-length
  size_t web_max_connections = 512;                // --web.max-connections (Prometheus's)
  size_t web_max_request_body_bytes = 64 * 1024;   // --web.max-request-body-bytes
};

// A byte size as Prometheus's --storage.tsdb.retention.size takes it: an integer with an
// optional unit B, KB, MB, GB, TB (powers of 1024, as units.Base2Bytes), or KiB, MiB, GiB, TiB.
std::optional<size_t> ParseByteSize(const std::string& text);

// Prometheus's computeExternalURL: `flag` (may be empty) into the external URL without a
// trailing slash; false with `error` for a quoted or unparsable URL.
bool ComputeExternalUrl(const std::string& flag, const std::string& listen_address,
                        const std::string& hostname, std::string& out, std::string& error);
// The path part of an external URL ("" for none): the status page's links start with it.
std::string ExternalUrlPath(const std::string& external_url);

// "name=value" pairs into a label set sorted by name; false with `error` for a bad or repeated
// name.
bool ParseExternalLabels(const std::vector<std::string>& pairs, notifier::LabelSet& out,
                         std::string& error);

struct ParseOutcome {
  std::optional<Options> options;  // nullopt: exit with `exit_code` after printing `message`
  int exit_code = 0;
  std::string message;  // for stdout when exit_code == 0, stderr otherwise
};

ParseOutcome ParseOptions(int argc, const char* const* argv);

}  // namespace cerniq::exporter

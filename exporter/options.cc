#include "options.h"

#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "config/strict_yaml.h"
#include "gocompat/duration.h"
#include "promql/labels.h"

namespace cerniq::exporter {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// A flag given on the command line overrides the config file's field.
void ApplyTlsFlags(const config::RedisTlsConfig& flags, config::RedisTlsConfig& tls) {
  for (auto field : {&config::RedisTlsConfig::ca_file, &config::RedisTlsConfig::cert_file,
                     &config::RedisTlsConfig::key_file, &config::RedisTlsConfig::server_name}) {
    if (!(flags.*field).empty()) tls.*field = flags.*field;
  }
  if (flags.insecure_skip_verify) tls.insecure_skip_verify = true;
}

// A Go duration of at least `min_ms` (1: positive, 0: zero allowed) into `out`.
bool ParseDurationAtLeast(const std::string& text, std::int64_t min_ms,
                          std::chrono::milliseconds& out) {
  const auto parsed = gocompat::ParseDuration(text);
  const auto* ms = std::get_if<std::int64_t>(&parsed);
  if (!ms || *ms < min_ms) return false;
  out = std::chrono::milliseconds(*ms);
  return true;
}

struct DurationFlag {
  const char* name;
  std::string text;
  std::chrono::milliseconds* out;
};

std::string Hostname() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "localhost";
  return name;
}

bool IsQuote(char c) { return c == '"' || c == '\''; }

// Where the path of `url` starts and ends ("scheme://host[:port]/path?query#fragment" or
// "/path"); npos when `url` is neither.
std::pair<size_t, size_t> PathSpan(const std::string& url) {
  constexpr auto kNone = std::string::npos;
  const size_t scheme = url.find("://");
  size_t authority = 0;
  if (scheme != kNone && scheme > 0 && scheme + 3 < url.size()) {
    authority = scheme + 3;
  } else if (url.empty() || url[0] != '/') {
    return {kNone, kNone};
  }
  const size_t begin = std::min(url.find_first_of("/?#", authority), url.size());
  if (begin == authority && authority > 0) return {kNone, kNone};  // no host
  const size_t end = std::min(url.find_first_of("?#", begin), url.size());
  return {begin, end};
}

// The alerting flags as given, resolved after parsing (durations, labels, URL).
struct AlertingFlags {
  std::string resend_delay = "1m", am_timeout = "10s", external_url;
  std::string outage_tolerance = "1h", grace_period = "10m";
  std::vector<std::string> external_labels;
};

// "" when every alerting flag is valid (then stored in `o`), else the error.
std::string ResolveAlertingFlags(const AlertingFlags& f, Options& o) {
  const auto parsed_delay = gocompat::ParseDuration(f.resend_delay);
  const auto* delay = std::get_if<std::int64_t>(&parsed_delay);
  if (!delay) return "invalid --rules.alert.resend-delay \"" + f.resend_delay + "\"";
  o.resend_delay_ms = *delay;
  std::string error;
  if (!ParseExternalLabels(f.external_labels, o.external_labels, error)) return error;
  if (!ParseDurationAtLeast(f.am_timeout, 1, o.alertmanager_timeout)) {
    return "invalid --alertmanager.timeout \"" + f.am_timeout + "\"";
  }
  for (const DurationFlag& flag :
       {DurationFlag{"--rules.alert.for-outage-tolerance", f.outage_tolerance,
                     &o.for_outage_tolerance},
        DurationFlag{"--rules.alert.for-grace-period", f.grace_period, &o.for_grace_period}}) {
    if (!ParseDurationAtLeast(flag.text, 0, *flag.out)) {
      return std::string("invalid ") + flag.name + " \"" + flag.text + "\"";
    }
  }
  const std::string listen = o.listen_addresses.empty() ? ":9755" : o.listen_addresses.front();
  if (!ComputeExternalUrl(f.external_url, listen, Hostname(), o.external_url, error)) {
    return "invalid --web.external-url: " + error;
  }
  return "";
}

// What the exporter accepts before it drops the excess and counts cerniq_limit_reached_total.
void AddLimitFlags(CLI::App& app, Options& o, std::string& max_body) {
  app.add_option("--collector.max-series", o.collector_max_series,
                 "series one collector pass may publish; the rest are dropped; 0: none")
      ->capture_default_str();
  app.add_option("--collector.max-label-value-length", o.collector_max_label_value_length,
                 "bytes of a label value; a sample with a longer one is dropped; 0: none")
      ->capture_default_str();
  app.add_option("--web.max-connections", o.web_max_connections,
                 "maximum number of simultaneous HTTP connections; more are closed at once")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--web.max-request-body-bytes", max_body,
                 "largest request body (e.g. a POST /api/v1/query form); more gets a 413")
      ->capture_default_str();
}

}  // namespace

bool ComputeExternalUrl(const std::string& flag, const std::string& listen_address,
                        const std::string& hostname, std::string& out, std::string& error) {
  std::string url = flag;
  if (url.empty()) {
    const size_t colon = listen_address.rfind(':');
    if (colon == std::string::npos) {
      error = "address " + listen_address + ": missing port in address";
      return false;
    }
    url = "http://" + hostname + ":" + listen_address.substr(colon + 1) + "/";
  }
  if (IsQuote(url.front()) || IsQuote(url.back())) {
    error = "URL must not begin or end with quotes";
    return false;
  }
  const auto [begin, end] = PathSpan(url);
  if (begin == std::string::npos) {
    error = "\"" + url + "\" is not scheme://host[:port][/path] or /path";
    return false;
  }
  size_t path_end = end;
  while (path_end > begin && url[path_end - 1] == '/') --path_end;
  out = url.substr(0, path_end) + url.substr(end);
  return true;
}

std::string ExternalUrlPath(const std::string& external_url) {
  const auto [begin, end] = PathSpan(external_url);
  return begin == std::string::npos ? "" : external_url.substr(begin, end - begin);
}

std::optional<size_t> ParseByteSize(const std::string& text) {
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  if (digits == 0 || digits > 18) return std::nullopt;
  const size_t n = std::stoull(text.substr(0, digits));
  static const std::map<std::string, int> kShift = {
      {"", 0},    {"B", 0},    {"KB", 10},  {"MB", 20},  {"GB", 30},
      {"TB", 40}, {"KiB", 10}, {"MiB", 20}, {"GiB", 30}, {"TiB", 40}};
  auto it = kShift.find(text.substr(digits));
  if (it == kShift.end() || (it->second > 0 && n > (SIZE_MAX >> it->second))) return std::nullopt;
  return n << it->second;
}

bool ParseExternalLabels(const std::vector<std::string>& pairs, notifier::LabelSet& out,
                         std::string& error) {
  out.clear();
  for (const std::string& pair : pairs) {
    const size_t eq = pair.find('=');
    std::string name = pair.substr(0, eq);
    if (eq == std::string::npos || !promql::IsValidLabelName(name) || name.starts_with("__")) {
      error = "invalid --rules.external-label \"" + pair + "\": want name=value";
      return false;
    }
    out.emplace_back(std::move(name), pair.substr(eq + 1));
  }
  std::sort(out.begin(), out.end());
  for (size_t i = 1; i < out.size(); ++i) {
    if (out[i].first == out[i - 1].first) {
      error = "--rules.external-label " + out[i].first + " given twice";
      return false;
    }
  }
  return true;
}

ParseOutcome ParseOptions(int argc, const char* const* argv) {
  ParseOutcome outcome;
  Options o;
  std::string config_file, redis_url, postgres_dsn;
  AlertingFlags alerting;
  config::RedisTlsConfig tls_flags;
  CLI::App app{
      "cerniq_exporter: Prometheus exporter for Cerniq Etapa 5 (BullMQ queues in Redis, "
      "business state in PostgreSQL)",
      "cerniq_exporter"};
  app.add_option("--config.file", config_file, "YAML config file (see README)");
  app.add_option("--web.listen-address", o.listen_addresses,
                 "[host]:port to listen on; repeat it for several addresses")
      ->allow_extra_args(false)
      ->capture_default_str();
  app.add_option("--web.config.file", o.web_config_file,
                 "exporter-toolkit web config (TLS, basic auth, headers); re-read on change");
  app.add_option("--web.telemetry-path", o.telemetry_path, "path of the metrics endpoint")
      ->capture_default_str();
  app.add_option("--redis.url", redis_url,
                 "redis://[[user]:password@]host:port/db or unix:///path (env CERNIQ_REDIS_URL)");
  app.add_option("--redis.tls.ca-file", tls_flags.ca_file,
                 "CA certificates (PEM) that sign the Redis server's certificate (rediss://); "
                 "default: the system's");
  app.add_option("--redis.tls.cert-file", tls_flags.cert_file,
                 "client certificate (PEM) for Redis servers with tls-auth-clients");
  app.add_option("--redis.tls.key-file", tls_flags.key_file,
                 "private key of --redis.tls.cert-file");
  app.add_option("--redis.tls.server-name", tls_flags.server_name,
                 "name checked against the Redis server's certificate and sent as SNI "
                 "(default: the URL's host)");
  bool redis_cluster = false;
  app.add_flag("--redis.cluster", redis_cluster,
               "the Redis URL names one node of a Redis Cluster (reads routed by key slot)");
  app.add_flag("--redis.tls.insecure-skip-verify", tls_flags.insecure_skip_verify,
               "do not verify the Redis server's certificate (testing only)");
  app.add_option("--postgres.dsn", postgres_dsn,
                 "libpq connection string; PostgreSQL collectors are off without it "
                 "(env CERNIQ_POSTGRES_DSN)");
  app.add_option("--log.level", o.log_level, "debug, info, warn or error")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}))
      ->capture_default_str();
  app.add_option("--log.format", o.log_format, "logfmt or json")
      ->check(CLI::IsMember({"logfmt", "json"}))
      ->capture_default_str();
  app.add_option("--print-metrics", o.print_metrics,
                 "print the metric catalogue (text or markdown) and exit")
      ->expected(0, 1)
      ->default_str("text")
      ->check(CLI::IsMember({"text", "markdown"}));
  std::string eval_interval = "15s";
  app.add_option("--rules.file", o.rule_files,
                 "rule file or glob to evaluate locally (repeatable); none: no evaluation");
  app.add_option("--rules.evaluation-interval", eval_interval,
                 "evaluation interval of rule groups without their own")
      ->capture_default_str();
  app.add_flag("--web.enable-lifecycle", o.web_enable_lifecycle,
               "enable POST /-/reload (rule files are also reloaded on SIGHUP)");
  std::string retention = "1h", max_bytes = "0", checkpoint_interval = "5m";
  app.add_option("--storage.retention", retention,
                 "history kept for queries; series read by rules keep what the rules need "
                 "(range + for + lookback) if longer")
      ->capture_default_str();
  app.add_option("--storage.max-bytes", max_bytes,
                 "memory limit of the history (e.g. 64MiB); oldest chunks go first; 0: none")
      ->capture_default_str();
  app.add_option("--storage.path", o.storage_path,
                 "directory of the history and alert-state checkpoint (cerniq-history.ckpt); "
                 "none: nothing kept across restarts");
  app.add_option("--storage.checkpoint-interval", checkpoint_interval,
                 "time between checkpoints (also written on SIGTERM/SIGINT)")
      ->capture_default_str();
  std::string query_timeout = "2m", lookback = "5m";
  app.add_option("--query.timeout", query_timeout, "maximum time a query may take")
      ->capture_default_str();
  app.add_option("--query.max-concurrency", o.query_max_concurrency,
                 "maximum number of queries executed concurrently")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--query.max-samples", o.query_max_samples,
                 "maximum number of samples a single query can load into memory")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--query.lookback-delta", lookback,
                 "how far back a query (and a rule) looks for the last sample of a series")
      ->capture_default_str();
  std::string max_body = "64KiB";
  AddLimitFlags(app, o, max_body);
  app.add_flag("--version", o.version, "print the version and exit");
  app.add_option("--alertmanager.url", o.alertmanager_urls,
                 "Alertmanager to send the evaluated alerts to (repeatable), e.g. "
                 "http://127.0.0.1:9093");
  app.add_option("--alertmanager.notification-queue-capacity", o.notification_queue_capacity,
                 "the capacity of the queue for pending Alertmanager notifications")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--alertmanager.timeout", alerting.am_timeout,
                 "timeout for sending alerts to Alertmanager")
      ->capture_default_str();
  app.add_flag(
         "--alertmanager.drain-notification-queue-on-shutdown,"
         "!--no-alertmanager.drain-notification-queue-on-shutdown",
         o.drain_notifications_on_shutdown,
         "send the queued notifications when shutting down (for at most "
         "--alertmanager.timeout); else they are dropped")
      ->capture_default_str();
  app.add_option("--rules.alert.resend-delay", alerting.resend_delay,
                 "minimum time before an alert is sent to Alertmanager again")
      ->capture_default_str();
  app.add_option("--rules.alert.for-outage-tolerance", alerting.outage_tolerance,
                 "max downtime after which a restored alert's `for` state is not restored")
      ->capture_default_str();
  app.add_option("--rules.alert.for-grace-period", alerting.grace_period,
                 "minimum time between a restart and a restored alert firing (only for rules "
                 "whose `for` is at least that long)")
      ->capture_default_str();
  app.add_option("--rules.external-label", alerting.external_labels,
                 "name=value label added to every alert sent and seen by templates as "
                 "$externalLabels (repeatable)");
  app.add_option("--web.external-url", alerting.external_url,
                 "URL under which the exporter is reached (e.g. behind a reverse proxy): "
                 "alerts' generatorURL and the status page's links; default "
                 "http://<hostname>:<port>");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    std::ostringstream out, err;
    outcome.exit_code = app.exit(e, out, err);
    outcome.message = out.str() + err.str();
    return outcome;
  }
  const std::string error = ResolveAlertingFlags(alerting, o);
  if (!error.empty()) {
    outcome.exit_code = 2;
    outcome.message = "error: " + error + "\n";
    return outcome;
  }
  if (o.version || !o.print_metrics.empty()) {
    outcome.options = std::move(o);
    return outcome;
  }
  for (const DurationFlag& flag :
       {DurationFlag{"--rules.evaluation-interval", eval_interval, &o.rules_evaluation_interval},
        DurationFlag{"--storage.retention", retention, &o.storage_retention},
        DurationFlag{"--storage.checkpoint-interval", checkpoint_interval,
                     &o.storage_checkpoint_interval},
        DurationFlag{"--query.timeout", query_timeout, &o.query_timeout},
        DurationFlag{"--query.lookback-delta", lookback, &o.query_lookback_delta}}) {
    if (!ParseDurationAtLeast(flag.text, 1, *flag.out)) {
      outcome.exit_code = 1;
      outcome.message = std::string("error: invalid ") + flag.name + " " + flag.text + "\n";
      return outcome;
    }
  }
  if (auto bytes = ParseByteSize(max_bytes)) {
    o.storage_max_bytes = *bytes;
  } else {
    outcome.exit_code = 1;
    outcome.message = "error: invalid --storage.max-bytes " + max_bytes + "\n";
    return outcome;
  }
  if (auto bytes = ParseByteSize(max_body); bytes && *bytes > 0) {
    o.web_max_request_body_bytes = *bytes;
  } else {
    outcome.exit_code = 1;
    outcome.message = "error: invalid --web.max-request-body-bytes " + max_body + "\n";
    return outcome;
  }
  try {
    o.config = config_file.empty() ? config::DefaultConfig() : config::LoadConfigFile(config_file);
    if (redis_url.empty()) redis_url = Env("CERNIQ_REDIS_URL");
    if (!redis_url.empty() && o.config.redis.sentinel.configured()) {
      throw config::ConfigError(o.config.file,
                                "redis.sentinel names the server; --redis.url "
                                "(or CERNIQ_REDIS_URL) cannot also be given");
    }
    if (!redis_url.empty()) o.config.redis.url = redis_url;
    if (std::string f = Env("CERNIQ_REDIS_PASSWORD_FILE"); !f.empty())
      o.config.redis.password_file = f;
    ApplyTlsFlags(tls_flags, o.config.redis.tls);
    if (redis_cluster) o.config.redis.cluster = true;
    if (postgres_dsn.empty()) postgres_dsn = Env("CERNIQ_POSTGRES_DSN");
    if (!postgres_dsn.empty()) o.config.postgres.dsn = postgres_dsn;
    if (std::string f = Env("CERNIQ_POSTGRES_PASSWORD_FILE"); !f.empty()) {
      o.config.postgres.password_file = f;
    }
  } catch (const config::ConfigError& e) {
    outcome.exit_code = 1;
    outcome.message = std::string("error: ") + e.what() + "\n";
    return outcome;
  }
  outcome.options = std::move(o);
  return outcome;
}

}  // namespace cerniq::exporter

#include "options.h"

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "config/strict_yaml.h"

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

}  // namespace

ParseOutcome ParseOptions(int argc, const char* const* argv) {
  ParseOutcome outcome;
  Options o;
  std::string config_file, redis_url, postgres_dsn;
  config::RedisTlsConfig tls_flags;
  CLI::App app{
      "cerniq_exporter: Prometheus exporter for Cerniq Etapa 5 (BullMQ queues in Redis, "
      "business state in PostgreSQL)",
      "cerniq_exporter"};
  app.add_option("--config.file", config_file, "YAML config file (see README)");
  app.add_option("--web.listen-address", o.listen_address, "[host]:port to listen on")
      ->capture_default_str();
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
  app.add_flag("--version", o.version, "print the version and exit");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    std::ostringstream out, err;
    outcome.exit_code = app.exit(e, out, err);
    outcome.message = out.str() + err.str();
    return outcome;
  }
  if (o.version || !o.print_metrics.empty()) {
    outcome.options = std::move(o);
    return outcome;
  }
  try {
    o.config = config_file.empty() ? config::DefaultConfig() : config::LoadConfigFile(config_file);
    if (redis_url.empty()) redis_url = Env("CERNIQ_REDIS_URL");
    if (!redis_url.empty()) o.config.redis.url = redis_url;
    if (std::string f = Env("CERNIQ_REDIS_PASSWORD_FILE"); !f.empty())
      o.config.redis.password_file = f;
    ApplyTlsFlags(tls_flags, o.config.redis.tls);
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

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

}  // namespace

ParseOutcome ParseOptions(int argc, const char* const* argv) {
  ParseOutcome outcome;
  Options o;
  std::string config_file, redis_url, postgres_dsn;
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

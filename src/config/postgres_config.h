#pragma once
// PostgreSQL section of the exporter config. Filled in by the PostgreSQL collectors' work
// (issue "PostgreSQL collectors"); the core only needs to know whether it is enabled.

#include <chrono>
#include <string>

#include "config/strict_yaml.h"

namespace cerniq::config {

struct PostgresConfig {
  std::string dsn;  // empty = PostgreSQL collectors off
  std::string password_file;
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds statement_timeout{10000};
  std::string application_name = "cerniq_exporter";
  bool enabled() const { return !dsn.empty(); }
};

// Reads the `postgres:` mapping (absent or null = defaults).
PostgresConfig ParsePostgresConfig(MapReader& section);

}  // namespace cerniq::config

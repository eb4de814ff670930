#include "config/postgres_config.h"

namespace cerniq::config {

PostgresConfig ParsePostgresConfig(MapReader& section) {
  PostgresConfig pg;
  pg.dsn = section.String("dsn", pg.dsn);
  pg.password_file = section.String("password_file", pg.password_file);
  pg.connect_timeout = section.Duration("connect_timeout", pg.connect_timeout);
  pg.statement_timeout = section.Duration("statement_timeout", pg.statement_timeout);
  pg.application_name = section.String("application_name", pg.application_name);
  section.Finish();
  return pg;
}

}  // namespace cerniq::config

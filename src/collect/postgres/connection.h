#pragma once
// One libpq connection, owned by one collector thread (libpq allows one PGconn per thread).
// Sessions are read-only (default_transaction_read_only=on) with statement_timeout,
// connect_timeout and application_name set at connection start. A failed connection attempt
// backs off exponentially; a lost connection is dropped and re-established on the next use.
// Error texts never contain the password: they pass through Scrub().

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <libpq-fe.h>

namespace cerniq::collect::postgres {

struct ConnectionSettings {
  std::string dsn;            // conninfo or URI, may hold a password
  std::string password_file;  // read at each attempt; wins over a DSN password
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds statement_timeout{10000};
  std::string application_name = "cerniq_exporter";
  std::chrono::milliseconds backoff_initial{500};
  std::chrono::milliseconds backoff_max{30000};
};

// Owns a PGresult.
using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

struct QueryError {
  std::string message;   // one line, scrubbed
  std::string sqlstate;  // empty when the server did not send one (e.g. connection lost)
  bool reached = false;  // the server answered (false: could not connect, or connection lost)
  // The server closed a working connection (restart, terminated backend): worth one immediate
  // reconnect. Not set when the client gave up on a server that stopped answering.
  bool connection_lost = false;
};

// An error in the answer itself (wrong columns, a value that is not a number): the server was
// reached, the query is at fault.
inline QueryError AnswerError(std::string message) {
  QueryError e;
  e.message = std::move(message);
  e.reached = true;
  return e;
}

class PgConnection {
 public:
  explicit PgConnection(ConnectionSettings settings);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Connects unless connected. Returns false (and fills error) on failure or while backing off.
  bool Connect(QueryError& error);
  bool connected() const;
  void Drop();
  // Counts successful connections: a collector can do per-session work once per session.
  std::uint64_t generation() const { return generation_; }

  // Runs one statement with text parameters ($1...). Returns the rows, or nullptr and error.
  // A reply later than statement_timeout plus a grace period (a server that stopped answering)
  // cancels the query and drops the connection.
  ResultPtr Query(const std::string& sql, const std::vector<std::string>& params,
                  QueryError& error);

  // Replaces every secret (the password from the file or the DSN) in text, and flattens it to
  // one line.
  std::string Scrub(std::string text) const;

 private:
  ResultPtr Wait(QueryError& error);
  void Fail(QueryError& error, std::string message, std::string sqlstate, bool reached);

  ConnectionSettings settings_;
  PGconn* conn_ = nullptr;
  std::vector<std::string> secrets_;
  std::chrono::steady_clock::time_point next_attempt_{};
  std::chrono::milliseconds backoff_{0};
  std::string last_connect_error_;
  std::uint64_t generation_ = 0;
};

}  // namespace cerniq::collect::postgres

#include "collect/postgres/connection.h"

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <set>

#include "config/secret_file.h"
#include "log/log.h"

namespace cerniq::collect::postgres {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Grace period past statement_timeout before the client gives up on the server: the server
// normally cancels the statement itself and answers with SQLSTATE 57014 well within it.
constexpr milliseconds kReplyGrace{2000};

std::string OneLine(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  std::string out;
  for (char c : text) {
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out.push_back(c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// Replaces every "quoted" part of text that is not a libpq connection keyword by "...".
std::string RedactQuoted(const std::string& text) {
  std::set<std::string> keywords;
  if (PQconninfoOption* defaults = PQconndefaults()) {
    for (PQconninfoOption* o = defaults; o->keyword != nullptr; ++o) keywords.insert(o->keyword);
    PQconninfoFree(defaults);
  }
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t open = text.find('"', pos);
    size_t close = open == std::string::npos ? open : text.find('"', open + 1);
    if (close == std::string::npos) {
      out += text.substr(pos);
      return out;
    }
    std::string quoted = text.substr(open + 1, close - open - 1);
    out +=
        text.substr(pos, open - pos) + "\"" + (keywords.contains(quoted) ? quoted : "...") + "\"";
    pos = close + 1;
  }
}

}  // namespace

PgConnection::PgConnection(ConnectionSettings settings) : settings_(std::move(settings)) {}

PgConnection::~PgConnection() { Drop(); }

bool PgConnection::connected() const {
  return conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK;
}

void PgConnection::Drop() {
  if (conn_ != nullptr) PQfinish(conn_);
  conn_ = nullptr;
}

std::string PgConnection::Scrub(std::string text) const {
  for (const std::string& secret : secrets_) {
    if (secret.empty()) continue;
    for (size_t pos = text.find(secret); pos != std::string::npos;
         pos = text.find(secret, pos + 5)) {
      text.replace(pos, secret.size(), "*****");
    }
  }
  return OneLine(std::move(text));
}

void PgConnection::Fail(QueryError& error, std::string message, std::string sqlstate,
                        bool reached) {
  error.message = Scrub(std::move(message));
  error.sqlstate = std::move(sqlstate);
  error.reached = reached;
  error.connection_lost = false;
}

bool PgConnection::Connect(QueryError& error) {
  if (connected()) return true;
  Drop();
  auto now = Clock::now();
  if (now < next_attempt_) {
    auto wait = std::chrono::duration_cast<milliseconds>(next_attempt_ - now).count();
    Fail(error,
         "not connected, next attempt in " + std::to_string(wait) +
             "ms; last error: " + last_connect_error_,
         "", false);
    return false;
  }

  // Start from the DSN's own parameters, then add ours, so a user's `options` (search_path...)
  // are kept and ours are appended (the last -c of a setting wins).
  char* parse_error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(settings_.dsn.c_str(), &parse_error);
  if (parsed == nullptr) {
    std::string message = parse_error ? parse_error : "out of memory";
    PQfreemem(parse_error);
    // Without a parse the password cannot be located, and libpq quotes pieces of the DSN
    // (`missing "=" after "..."`): keep only quoted connection keywords.
    secrets_ = {settings_.dsn};
    Fail(error, "invalid DSN: " + RedactQuoted(message), "", false);
    return false;
  }
  std::map<std::string, std::string> params;
  for (PQconninfoOption* o = parsed; o->keyword != nullptr; ++o) {
    if (o->val != nullptr) params[o->keyword] = o->val;
  }
  PQconninfoFree(parsed);
  secrets_.clear();
  // sslpassword: the passphrase of the client key (sslkey).
  for (const char* secret : {"password", "sslpassword"}) {
    if (params.contains(secret)) secrets_.push_back(params[secret]);
  }
  if (!settings_.password_file.empty()) {
    std::string password, reason;
    if (!config::ReadSecretFile(settings_.password_file, password, reason)) {
      Fail(error, "cannot read password file " + settings_.password_file + ": " + reason, "",
           false);
      return false;
    }
    secrets_.push_back(password);
    params["password"] = password;
  }
  // libpq's connect_timeout is whole seconds (and treats 1 as 2).
  long long timeout_s = std::max<long long>(2, (settings_.connect_timeout.count() + 999) / 1000);
  params["connect_timeout"] = std::to_string(timeout_s);
  params["application_name"] = settings_.application_name;
  // Label values must be UTF-8 whatever the server's encoding.
  if (!params.contains("client_encoding")) params["client_encoding"] = "UTF8";
  std::string options = params.contains("options") ? params["options"] + " " : "";
  options += "-c default_transaction_read_only=on -c statement_timeout=" +
             std::to_string(settings_.statement_timeout.count());
  params["options"] = options;

  std::vector<const char*> keys, values;
  for (const auto& [k, v] : params) {
    keys.push_back(k.c_str());
    values.push_back(v.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  conn_ = PQconnectdbParams(keys.data(), values.data(), /*expand_dbname=*/0);
  if (connected()) {
    // libpq prints server notices to stderr by default; they belong in the log, at debug.
    PQsetNoticeProcessor(
        conn_,
        [](void*, const char* message) {
          log::Debug("postgres notice", {{"msg", OneLine(message)}});
        },
        nullptr);
    ++generation_;
    backoff_ = milliseconds(0);
    next_attempt_ = {};
    last_connect_error_.clear();
    return true;
  }
  std::string message = conn_ ? PQerrorMessage(conn_) : "out of memory";
  Drop();
  Fail(error, "cannot connect: " + message, "", false);
  last_connect_error_ = error.message;
  backoff_ = backoff_.count() == 0 ? std::min(settings_.backoff_initial, settings_.backoff_max)
                                   : std::min(backoff_ * 2, settings_.backoff_max);
  next_attempt_ = Clock::now() + backoff_;
  return false;
}

ResultPtr PgConnection::Query(const std::string& sql, const std::vector<std::string>& params,
                              QueryError& error) {
  ResultPtr none(nullptr, &PQclear);
  if (!Connect(error)) return none;
  std::vector<const char*> values;
  for (const auto& p : params) values.push_back(p.c_str());
  if (PQsendQueryParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(),
                        nullptr, nullptr, /*text results*/ 0) == 0) {
    bool lost = PQstatus(conn_) != CONNECTION_OK;
    Fail(error, PQerrorMessage(conn_), "", !lost);
    error.connection_lost = lost;
    if (lost) Drop();
    return none;
  }
  return Wait(error);
}

ResultPtr PgConnection::Wait(QueryError& error) {
  ResultPtr none(nullptr, &PQclear);
  auto deadline = Clock::now() + settings_.statement_timeout + kReplyGrace;
  while (true) {
    if (PQconsumeInput(conn_) == 0) break;  // connection trouble: reported below
    if (PQisBusy(conn_) == 0) break;
    auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      // The server stopped answering: ask it to cancel, then give up on this connection.
      if (PGcancel* cancel = PQgetCancel(conn_)) {
        char buf[256];
        PQcancel(cancel, buf, sizeof buf);
        PQfreeCancel(cancel);
      }
      Drop();
      Fail(error, "no reply within statement_timeout + grace; connection dropped", "", false);
      return none;
    }
    pollfd pfd{PQsocket(conn_), POLLIN, 0};
    int rc = poll(&pfd, 1, static_cast<int>(std::min<long long>(left, 1000)));
    if (rc < 0 && errno != EINTR) break;
  }
  // Read every result of the statement; keep the first error, or the last row set.
  ResultPtr rows = std::move(none);
  ResultPtr failure(nullptr, &PQclear);
  while (PGresult* r = PQgetResult(conn_)) {
    ResultPtr res(r, &PQclear);
    ExecStatusType status = PQresultStatus(r);
    if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
      rows = std::move(res);
    } else if (!failure) {
      failure = std::move(res);
    }
  }
  bool lost = PQstatus(conn_) != CONNECTION_OK;
  if (failure || lost || !rows) {
    const char* state = failure ? PQresultErrorField(failure.get(), PG_DIAG_SQLSTATE) : nullptr;
    const char* primary =
        failure ? PQresultErrorField(failure.get(), PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    std::string message = primary ? primary : PQerrorMessage(conn_);
    if (message.empty()) message = "query failed without a message";
    // No SQLSTATE + a bad connection = the backend went away (terminated, restarted).
    Fail(error, message, state ? state : "", state != nullptr && !lost);
    error.connection_lost = lost;
    if (lost) Drop();
    return ResultPtr(nullptr, &PQclear);
  }
  return rows;
}

}  // namespace cerniq::collect::postgres

#include "collect/redis/connection.h"

#include <hiredis/hiredis.h>
#include <hiredis/read.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

#include "log/log.h"

namespace cerniq::collect::redis {
namespace {

Reply Convert(const redisReply* r) {
  Reply out;
  if (r == nullptr) return out;
  switch (r->type) {
    case REDIS_REPLY_STRING:
      out.type = Reply::Type::kString;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = Reply::Type::kStatus;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = Reply::Type::kError;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = Reply::Type::kInteger;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = Reply::Type::kArray;
      out.elements.reserve(r->elements);
      for (size_t i = 0; i < r->elements; ++i) out.elements.push_back(Convert(r->element[i]));
      break;
    default:
      out.type = Reply::Type::kNil;
  }
  return out;
}

struct ReplyDeleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

// RESP encoding of a whole batch into one buffer. hiredis' own argv formatting (sdscatfmt per
// argument) cost more than the rest of a pass together; one preformatted write is ~10x cheaper.
std::string EncodeBatch(const Command* lead, const std::vector<Command>& commands) {
  size_t size = 0;
  for (const Command& cmd : commands) {
    size += 16;
    for (const std::string& arg : cmd) size += arg.size() + 16;
  }
  std::string out;
  out.reserve(size);
  char num[24];
  auto append_header = [&](char kind, size_t n) {
    out += kind;
    auto [end, ec] = std::to_chars(num, num + sizeof num, n);
    out.append(num, end);
    out += "\r\n";
  };
  auto append_command = [&](const Command& cmd) {
    append_header('*', cmd.size());
    for (const std::string& arg : cmd) {
      append_header('$', arg.size());
      out += arg;
      out += "\r\n";
    }
  };
  if (lead != nullptr) append_command(*lead);
  for (const Command& cmd : commands) append_command(cmd);
  return out;
}

// ROLE's first element: "master", "slave" or "sentinel".
std::string RoleOf(const Reply& role) {
  if (role.IsError()) return "unknown (" + role.str + ")";
  if (role.type != Reply::Type::kArray || role.elements.empty()) return "unknown";
  return role.elements[0].str;
}

// A read refused because the server is no longer what it was (a replica now, or loading).
bool RoleChanged(const std::vector<Reply>& replies) {
  for (const Reply& r : replies) {
    if (r.IsError() && (r.str.starts_with("READONLY") || r.str.starts_with("MASTERDOWN"))) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::optional<long long> Reply::AsInteger() const {
  if (type == Type::kInteger) return integer;
  if (type != Type::kString) return std::nullopt;
  long long v = 0;
  auto [ptr, ec] = std::from_chars(str.data(), str.data() + str.size(), v);
  if (ec != std::errc() || ptr != str.data() + str.size()) return std::nullopt;
  return v;
}

std::optional<double> Reply::AsDouble() const {
  if (type == Type::kInteger) return static_cast<double>(integer);
  if (type != Type::kString || str.empty()) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(str.c_str(), &end);
  if (end != str.c_str() + str.size() || std::isnan(v)) return std::nullopt;
  return v;
}

Connection::Connection(RedisAddress address, std::chrono::milliseconds connect_timeout,
                       std::chrono::milliseconds read_timeout,
                       std::shared_ptr<const TlsContext> tls)
    : address_(std::move(address)),
      connect_timeout_(connect_timeout),
      read_timeout_(read_timeout),
      tls_(std::move(tls)) {
  if (address_.tls != (tls_ != nullptr)) {
    throw std::invalid_argument("a TLS context goes with a rediss:// address, and only with one");
  }
}

Connection::~Connection() { Drop(); }

void Connection::Drop() {
  transport_.reset();
  if (reader_ != nullptr) redisReaderFree(reader_);
  reader_ = nullptr;
}

bool Connection::EnsureConnected(std::string& error) {
  if (transport_ != nullptr) return true;
  auto now = std::chrono::steady_clock::now();
  if (now < next_attempt_) {
    error = "reconnect backoff: waiting before the next attempt to " + address_.Display();
    return false;
  }
  auto fail = [&](const std::string& why) {
    error = "connect to " + address_.Display() + ": " + why;
    Drop();
    // Exponential backoff from 250 ms to 8 s, so a dead server costs little.
    backoff_ = backoff_.count() == 0 ? std::chrono::milliseconds(250)
                                     : std::min(backoff_ * 2, std::chrono::milliseconds(8000));
    next_attempt_ = std::chrono::steady_clock::now() + backoff_;
    return false;
  };
  std::string why;
  transport_ = Transport::Connect(address_, tls_.get(), connect_timeout_, why);
  if (transport_ == nullptr) return fail(why);
  reader_ = redisReaderCreate();
  if (reader_ == nullptr) return fail("out of memory");

  std::vector<Command> handshake;
  if (!address_.password.empty()) {
    if (address_.username.empty()) {
      handshake.push_back({"AUTH", address_.password});
    } else {
      handshake.push_back({"AUTH", address_.username, address_.password});
    }
  }
  if (address_.db != 0) handshake.push_back({"SELECT", std::to_string(address_.db)});
  if (!handshake.empty()) {
    std::vector<Reply> replies;
    if (!RoundTrip(handshake, replies, why)) return fail(why);
    for (size_t i = 0; i < handshake.size(); ++i) {
      // The server's text (WRONGPASS, NOAUTH, ERR DB index...) never contains the password.
      if (replies[i].IsError()) return fail(handshake[i][0] + ": " + replies[i].str);
    }
  }
  backoff_ = std::chrono::milliseconds(0);
  return true;
}

bool Connection::RoundTrip(const std::vector<Command>& commands, std::vector<Reply>& replies,
                           std::string& error, const Command* lead) {
  ++round_trips_;
  if (!transport_->WriteAll(EncodeBatch(lead, commands), read_timeout_, error)) return false;
  const size_t expected = commands.size() + (lead != nullptr ? 1 : 0);
  replies.clear();
  replies.reserve(expected);
  char buffer[64 * 1024];
  // Each read waits at most read_timeout; the loop ends when every reply is parsed.
  while (replies.size() < expected) {
    void* raw = nullptr;
    if (redisReaderGetReply(reader_, &raw) != REDIS_OK) {
      error = std::string("protocol error: ") + reader_->errstr;
      return false;
    }
    if (raw != nullptr) {
      ReplyPtr reply(static_cast<redisReply*>(raw));
      replies.push_back(Convert(reply.get()));
      continue;
    }
    size_t n = transport_->ReadSome(buffer, sizeof buffer, read_timeout_, error);
    if (n == 0) return false;
    if (redisReaderFeed(reader_, buffer, n) != REDIS_OK) {
      error = std::string("protocol error: ") + reader_->errstr;
      return false;
    }
  }
  return true;
}

void Connection::FollowSentinels(std::unique_ptr<SentinelResolver> sentinels) {
  sentinels_ = std::move(sentinels);
}

std::optional<std::vector<Reply>> Connection::Pipeline(const std::vector<Command>& commands,
                                                       std::string& error,
                                                       const std::vector<std::string>&) {
  if (sentinels_ != nullptr) return PipelineToMaster(commands, error);
  return PipelineOnce(commands, error, nullptr);
}

std::optional<Reply> Connection::OnMaster(size_t i, const Command& command, std::string& error) {
  if (i != 0) {
    error = "one server has one master";
    return std::nullopt;
  }
  auto replies = Pipeline({command}, error);
  if (!replies) return std::nullopt;
  return std::move((*replies)[0]);
}

std::optional<std::vector<Reply>> Connection::PipelineOnce(const std::vector<Command>& commands,
                                                           std::string& error,
                                                           const Command* lead) {
  if (!EnsureConnected(error)) return std::nullopt;
  std::vector<Reply> replies;
  if (!RoundTrip(commands, replies, error, lead)) {
    error = "redis " + address_.Display() + ": " + error;
    Drop();  // a half-read pipeline cannot be resumed: only a new connection recovers
    return std::nullopt;
  }
  return replies;
}

bool Connection::FollowMaster(std::string& error) {
  std::string why;
  auto master = sentinels_->Ask(why);
  if (!master) {
    // The master verified by ROLE at the last call stays readable; the ROLE lead guards it.
    if (transport_ != nullptr) return true;
    error = why;
    return false;
  }
  if (master->host == address_.host && master->port == address_.port) return true;
  if (!address_.host.empty()) {
    log::Info("Sentinel names a new Redis master",
              {{"master", address_.master_name},
               {"from", address_.host + ":" + std::to_string(address_.port)},
               {"to", master->host + ":" + std::to_string(master->port)}});
  }
  Drop();
  address_.host = master->host;
  address_.port = master->port;
  // A new address owes nothing to the old one's failures.
  backoff_ = std::chrono::milliseconds(0);
  next_attempt_ = {};
  return true;
}

std::optional<std::vector<Reply>> Connection::PipelineToMaster(const std::vector<Command>& commands,
                                                               std::string& error) {
  static const Command kRole = {"ROLE"};
  // Two attempts: a failover seen by this call (dead connection, demoted master) is followed at
  // once rather than at the next pass.
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!FollowMaster(error)) return std::nullopt;
    auto replies = PipelineOnce(commands, error, &kRole);
    if (!replies) continue;
    std::string role = RoleOf(replies->front());
    if (role == "master" && !RoleChanged(*replies)) {
      replies->erase(replies->begin());
      return replies;
    }
    error = "redis " + address_.Display() + " is not the master any more (role: " + role + ")";
    Drop();
  }
  return std::nullopt;
}

}  // namespace cerniq::collect::redis

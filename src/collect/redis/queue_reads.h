#pragma once
// The Redis reads of one BullMQ collection pass, as pure functions: which commands to pipeline
// and how to turn the replies into per-queue figures. Read-only commands only (LLEN, ZCARD,
// HEXISTS, HGET, HMGET, GET, LINDEX, LRANGE, CLIENT LIST). The list tails are in tail_reads.h.

#include <optional>
#include <string>
#include <vector>

#include "collect/redis/connection.h"

namespace cerniq::collect::redis {

struct QueueRef {
  std::string prefix;
  std::string queue;
  std::string Key(std::string_view suffix) const {
    return prefix + ":" + queue + ":" + std::string(suffix);
  }
};

struct QueueCounts {
  long long wait_length = 0;    // LLEN wait (a legacy marker included)
  long long paused_length = 0;  // LLEN paused (BullMQ 5 keeps a paused queue's jobs there)
  long long active = 0;
  long long delayed = 0;
  long long prioritized = 0;
  long long waiting_children = 0;
  long long failed = 0;
  long long completed = 0;
  bool paused = false;
  std::optional<long long> completed_total;  // metrics:completed count, when the hash exists
  std::optional<long long> failed_total;
  std::optional<long long> added_total;  // GET id, when it exists
};

inline constexpr size_t kCommandsPerQueue = 12;

// Appends the first-round commands of one queue.
void AppendCountCommands(const QueueRef& q, std::vector<Command>& out);

// Parses the kCommandsPerQueue replies starting at `first`. Returns nullopt and sets error
// (naming the key) on a server error such as WRONGTYPE.
std::optional<QueueCounts> ParseCountReplies(const QueueRef& q, const std::vector<Reply>& replies,
                                             size_t first, std::string& error);

// `HMGET <prefix>:<queue>:<id> timestamp delay` for a waiting job's age.
Command OldestJobCommand(const QueueRef& q, const std::string& job_id);

// When a waiting job became ready, from its HMGET reply: timestamp + delay (ms); nullopt when the
// job hash is gone or malformed. BullMQ does not change either field while a job waits.
std::optional<double> ReadyTimeMs(const Reply& hmget_reply);

// now - ready, in seconds, at least 0 (producer clocks may run ahead of ours).
double AgeSeconds(double ready_ms, double now_ms);

}  // namespace cerniq::collect::redis

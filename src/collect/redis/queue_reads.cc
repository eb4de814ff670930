#include "collect/redis/queue_reads.h"

#include <algorithm>

namespace cerniq::collect::redis {
namespace {

enum Slot : size_t {
  kLlenWait,
  kLlenPaused,
  kLlenActive,
  kZcardDelayed,
  kZcardPrioritized,
  kZcardWaitingChildren,
  kZcardFailed,
  kZcardCompleted,
  kHexistsPaused,
  kHgetCompletedCount,
  kHgetFailedCount,
  kGetId,
  kSlotCount
};
static_assert(kSlotCount == kCommandsPerQueue);

}  // namespace

void AppendCountCommands(const QueueRef& q, std::vector<Command>& out) {
  out.push_back({"LLEN", q.Key("wait")});
  out.push_back({"LLEN", q.Key("paused")});
  out.push_back({"LLEN", q.Key("active")});
  out.push_back({"ZCARD", q.Key("delayed")});
  out.push_back({"ZCARD", q.Key("prioritized")});
  out.push_back({"ZCARD", q.Key("waiting-children")});
  out.push_back({"ZCARD", q.Key("failed")});
  out.push_back({"ZCARD", q.Key("completed")});
  out.push_back({"HEXISTS", q.Key("meta"), "paused"});
  out.push_back({"HGET", q.Key("metrics:completed"), "count"});
  out.push_back({"HGET", q.Key("metrics:failed"), "count"});
  out.push_back({"GET", q.Key("id")});
}

std::optional<QueueCounts> ParseCountReplies(const QueueRef& q, const std::vector<Reply>& replies,
                                             size_t first, std::string& error) {
  static const char* const kKeys[] = {
      "wait",   "paused",    "active", "delayed",           "prioritized",    "waiting-children",
      "failed", "completed", "meta",   "metrics:completed", "metrics:failed", "id",
      "wait",   "paused"};
  if (replies.size() < first + kCommandsPerQueue) {
    error = "short reply for queue " + q.queue;
    return std::nullopt;
  }
  auto at = [&](Slot s) -> const Reply& { return replies[first + s]; };
  for (size_t s = 0; s < kCommandsPerQueue; ++s) {
    if (at(static_cast<Slot>(s)).IsError()) {
      error = "key " + q.Key(kKeys[s]) + ": " + at(static_cast<Slot>(s)).str;
      return std::nullopt;
    }
  }
  auto integer = [&](Slot s) { return at(s).AsInteger().value_or(0); };
  // A counter whose key holds garbage is better absent than wrong.
  auto counter = [&](Slot s) -> std::optional<long long> {
    if (at(s).type == Reply::Type::kNil) return std::nullopt;
    return at(s).AsInteger();
  };

  QueueCounts c;
  c.wait_length = integer(kLlenWait);
  c.paused_length = integer(kLlenPaused);
  c.active = integer(kLlenActive);
  c.delayed = integer(kZcardDelayed);
  c.prioritized = integer(kZcardPrioritized);
  c.waiting_children = integer(kZcardWaitingChildren);
  c.failed = integer(kZcardFailed);
  c.completed = integer(kZcardCompleted);
  c.paused = integer(kHexistsPaused) == 1;
  c.completed_total = counter(kHgetCompletedCount);
  c.failed_total = counter(kHgetFailedCount);
  c.added_total = counter(kGetId);
  return c;
}

Command OldestJobCommand(const QueueRef& q, const std::string& job_id) {
  return {"HMGET", q.Key(job_id), "timestamp", "delay"};
}

std::optional<double> ReadyTimeMs(const Reply& hmget_reply) {
  if (hmget_reply.type != Reply::Type::kArray || hmget_reply.elements.size() != 2) {
    return std::nullopt;
  }
  auto timestamp = hmget_reply.elements[0].AsDouble();
  if (!timestamp) return std::nullopt;
  return *timestamp + hmget_reply.elements[1].AsDouble().value_or(0);
}

double AgeSeconds(double ready_ms, double now_ms) {
  return std::max(0.0, (now_ms - ready_ms) / 1000.0);
}

}  // namespace cerniq::collect::redis

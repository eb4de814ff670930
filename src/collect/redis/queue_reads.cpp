#include "collect/redis/queue_reads.h"

#include <algorithm>

namespace cerniq::redis {
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
  kTailWait,
  kTailPaused,
  kSlotCount
};
static_assert(kSlotCount == kCommandsPerQueue);

bool IsLegacyMarker(const Reply& r) {
  return r.type == Reply::Type::kString && r.str.starts_with("0:");
}

// From `LRANGE list -2 -1`: the id of the job that runs next (the tail), skipping the legacy
// marker that pre-v5 BullMQ pushed there. Returns whether the tail was a marker.
bool TailJob(const Reply& tail, std::vector<std::string>& ids) {
  if (tail.type != Reply::Type::kArray || tail.elements.empty()) return false;
  const auto& e = tail.elements;
  if (IsLegacyMarker(e.back())) {
    if (e.size() == 2 && e[0].type == Reply::Type::kString) ids.push_back(e[0].str);
    return true;
  }
  if (e.back().type == Reply::Type::kString) ids.push_back(e.back().str);
  return false;
}

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
  out.push_back({"LRANGE", q.Key("wait"), "-2", "-1"});
  out.push_back({"LRANGE", q.Key("paused"), "-2", "-1"});
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
  std::vector<std::string> ids;
  long long wait = integer(kLlenWait) - (TailJob(at(kTailWait), ids) ? 1 : 0);
  long long paused_list = integer(kLlenPaused) - (TailJob(at(kTailPaused), ids) ? 1 : 0);
  c.waiting = std::max(0LL, wait) + std::max(0LL, paused_list);
  c.oldest_job_ids = std::move(ids);
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

std::optional<double> WaitingAgeSeconds(const Reply& hmget_reply, double now_ms) {
  if (hmget_reply.type != Reply::Type::kArray || hmget_reply.elements.size() != 2) {
    return std::nullopt;
  }
  auto timestamp = hmget_reply.elements[0].AsDouble();
  if (!timestamp) return std::nullopt;
  double delay = hmget_reply.elements[1].AsDouble().value_or(0);
  return std::max(0.0, (now_ms - (*timestamp + delay)) / 1000.0);
}

}  // namespace cerniq::redis

#pragma once
// Finding the next job to run of a queue's `wait` and `paused` lists (their tails), with as few
// reads as possible: `LINDEX list -1` in the first round trip only for lists that were non-empty
// at the last pass, and a later round trip only when a list became non-empty or its tail is a
// legacy `0:` marker (pre-v5 BullMQ), which is counted out, never popped.

#include <optional>
#include <string>

#include "collect/redis/connection.h"

namespace cerniq::collect::redis {

struct ListTail {
  enum class Need { kNothing, kSecondToLast, kLastTwo };
  long long length = 0;  // LLEN of the list
  bool marker = false;   // the tail is a legacy marker: one less job than LLEN says
  std::optional<std::string> job_id;
  Need need = Need::kNothing;  // what a further round trip must read

  long long jobs() const { return length - (marker ? 1 : 0); }
};

// From LLEN and, when it was asked for, the `LINDEX list -1` reply of the same round trip.
ListTail ResolveTail(long long length, const Reply* last_element);

// The read `need` calls for (`LINDEX key -2` or `LRANGE key -2 -1`).
Command TailCommand(const std::string& list_key, ListTail::Need need);

// Applies the reply of TailCommand.
void ApplyTailReply(ListTail& tail, const Reply& reply);

bool IsLegacyMarker(const Reply& r);

}  // namespace cerniq::collect::redis

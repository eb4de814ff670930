#include "collect/redis/tail_reads.h"

namespace cerniq::collect::redis {

bool IsLegacyMarker(const Reply& r) {
  return r.type == Reply::Type::kString && r.str.starts_with("0:");
}

ListTail ResolveTail(long long length, const Reply* last_element) {
  ListTail t;
  t.length = length;
  if (length <= 0) return t;
  if (last_element == nullptr || last_element->type != Reply::Type::kString) {
    // Not asked (the list was empty last pass), or it changed between LLEN and LINDEX.
    t.need = ListTail::Need::kLastTwo;
    return t;
  }
  if (IsLegacyMarker(*last_element)) {
    t.marker = true;
    if (length >= 2) t.need = ListTail::Need::kSecondToLast;
    return t;
  }
  t.job_id = last_element->str;
  return t;
}

Command TailCommand(const std::string& list_key, ListTail::Need need) {
  if (need == ListTail::Need::kSecondToLast) return {"LINDEX", list_key, "-2"};
  return {"LRANGE", list_key, "-2", "-1"};
}

void ApplyTailReply(ListTail& tail, const Reply& reply) {
  ListTail::Need need = tail.need;
  tail.need = ListTail::Need::kNothing;
  if (need == ListTail::Need::kSecondToLast) {
    if (reply.type == Reply::Type::kString && !IsLegacyMarker(reply)) tail.job_id = reply.str;
    return;
  }
  if (reply.type != Reply::Type::kArray || reply.elements.empty()) return;
  const auto& e = reply.elements;
  if (IsLegacyMarker(e.back())) {
    tail.marker = true;
    if (e.size() == 2 && e[0].type == Reply::Type::kString && !IsLegacyMarker(e[0])) {
      tail.job_id = e[0].str;
    }
  } else if (e.back().type == Reply::Type::kString) {
    tail.job_id = e.back().str;
  }
}

}  // namespace cerniq::collect::redis

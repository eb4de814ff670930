#include "evaluator/eval_timestamp.h"

#include <xxhash.h>

namespace cerniq::evaluator {

uint64_t GroupHash(const std::string& file, const std::string& name) {
  // labels.New sorts by name: "file" comes before "name"; 0xff separates names and values.
  const std::string sep(1, '\xff');
  const std::string bytes = "file" + sep + file + sep + "name" + sep + name + sep;
  return XXH64(bytes.data(), bytes.size(), 0);
}

int64_t EvalTimestampNs(uint64_t group_hash, int64_t interval_ns, int64_t now_ns) {
  const auto offset = static_cast<int64_t>(group_hash % static_cast<uint64_t>(interval_ns));
  const int64_t adjusted = now_ns - offset;
  // Go's % truncates towards zero like C++'s; the same formula keeps the same slots.
  const int64_t base = adjusted - adjusted % interval_ns;
  return base + offset;
}

}  // namespace cerniq::evaluator

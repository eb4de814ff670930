#include "log/limits.h"

#include <map>
#include <mutex>

namespace cerniq::log {
namespace {

struct LimitRegistry {
  std::mutex mutex;
  std::map<std::string, std::uint64_t, std::less<>> counts;
  LimitRegistry() {
    using namespace limit;
    for (auto name : {kQueuesDiscovered, kSeriesPerCollector, kLabelValueLength, kPostgresRows,
                      kHttpConnections, kHttpRequestBody, kHttpRequestHeader, kQuerySamples,
                      kQueryTimeout, kHistoryBytes}) {
      counts.emplace(name, 0);
    }
  }
};

LimitRegistry& Registry() {
  static LimitRegistry registry;
  return registry;
}

}  // namespace

void LimitReached(std::string_view limit, Fields fields) {
  bool first = false;
  try {
    auto& r = Registry();
    std::lock_guard<std::mutex> lock(r.mutex);
    auto it = r.counts.find(limit);
    if (it == r.counts.end()) it = r.counts.emplace(std::string(limit), 0).first;
    first = it->second == 0;
    ++it->second;
  } catch (...) {
    return;  // out of memory while counting a limit: nothing better to do
  }
  if (!first) return;
  std::string message = "limit reached, logged once and counted in cerniq_limit_reached_total: ";
  message += limit;
  Warn(message, fields);
}

std::vector<std::pair<std::string, std::uint64_t>> LimitCounts() {
  auto& r = Registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  return {r.counts.begin(), r.counts.end()};
}

}  // namespace cerniq::log

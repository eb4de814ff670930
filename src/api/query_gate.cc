#include "api/query_gate.h"

namespace cerniq::api {

bool QueryGate::Acquire(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (!cv_.wait_until(lock, deadline, [this] { return free_ > 0; })) return false;
  --free_;
  return true;
}

void QueryGate::Release() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++free_;
  }
  cv_.notify_one();
}

}  // namespace cerniq::api

#pragma once
// At most N queries evaluate at once (--query.max-concurrency); the others wait in line until
// their deadline, as Prometheus's active query tracker makes them wait.
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace cerniq::api {

class QueryGate {
 public:
  explicit QueryGate(int slots) : free_(slots < 1 ? 1 : slots) {}
  // False when the deadline passed before a slot came free.
  bool Acquire(std::chrono::steady_clock::time_point deadline);
  void Release();

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  int free_;
};

}  // namespace cerniq::api

#pragma once
// The evaluator's notion of now, injectable so tests drive time without sleeping.
#include <atomic>
#include <cstdint>

namespace cerniq::evaluator {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t NowNs() const = 0;  // Unix time in nanoseconds
};

class SystemClock : public Clock {
 public:
  int64_t NowNs() const override;
};

// A clock that only moves when told to; safe to read from any thread.
class FakeClock : public Clock {
 public:
  explicit FakeClock(int64_t now_ns = 0) : now_ns_(now_ns) {}
  int64_t NowNs() const override { return now_ns_.load(); }
  void SetNs(int64_t now_ns) { now_ns_.store(now_ns); }
  void AdvanceMs(int64_t ms) { now_ns_.fetch_add(ms * 1'000'000); }

 private:
  std::atomic<int64_t> now_ns_;
};

}  // namespace cerniq::evaluator

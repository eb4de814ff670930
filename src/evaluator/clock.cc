#include "evaluator/clock.h"

#include <chrono>

namespace cerniq::evaluator {

int64_t SystemClock::NowNs() const {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace cerniq::evaluator

#pragma once
// Bounded polling for integration tests: every wait has a deadline.

#include <chrono>
#include <functional>
#include <string>

namespace cerniq::testing {

// Calls `condition` every `step` until it returns true or `timeout` passes.
bool WaitFor(const std::function<bool()>& condition, std::chrono::milliseconds timeout,
             std::chrono::milliseconds step = std::chrono::milliseconds(50));

int FreeLoopbackPort();

// Environment variable or "" when unset.
std::string EnvOr(const char* name, const std::string& fallback = "");

}  // namespace cerniq::testing

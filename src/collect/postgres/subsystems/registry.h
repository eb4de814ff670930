#pragma once
// Every PostgreSQL subsystem, in the order the config's error message lists them. An explicit
// list rather than self-registration from each file: a static initializer in a static library is
// dropped by the linker when nothing else refers to its object file, so a subsystem would vanish
// without a word; here a forgotten subsystem is a test failure (tests/postgres).

#include <span>
#include <string_view>

#include "collect/postgres/subsystems/subsystem.h"

namespace cerniq::collect::postgres::subsystems {

std::span<const Subsystem* const> All();

// nullptr when no subsystem has that name.
const Subsystem* Find(std::string_view name);

}  // namespace cerniq::collect::postgres::subsystems

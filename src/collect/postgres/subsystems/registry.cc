#include "collect/postgres/subsystems/registry.h"

#include <array>

namespace cerniq::collect::postgres::subsystems {

// Each defined in its own file (churn.cc, ...). A new subsystem adds one line here and one in
// the list below.
const Subsystem& Churn();
const Subsystem& Clients();
const Subsystem& Hitl();
const Subsystem& Graph();
const Subsystem& Cron();
const Subsystem& WorkerErrors();
const Subsystem& Referrals();
const Subsystem& Nps();
const Subsystem& Spatial();
const Subsystem& Partitions();

std::span<const Subsystem* const> All() {
  static const std::array<const Subsystem*, 10> all = {
      &Churn(),        &Clients(),   &Hitl(), &Graph(),   &Cron(),
      &WorkerErrors(), &Referrals(), &Nps(),  &Spatial(), &Partitions()};
  return all;
}

const Subsystem* Find(std::string_view name) {
  for (const Subsystem* s : All()) {
    if (s->name == name) return s;
  }
  return nullptr;
}

}  // namespace cerniq::collect::postgres::subsystems

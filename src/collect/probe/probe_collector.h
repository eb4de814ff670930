#pragma once
// Probes one service's health endpoint: up when it answers 2xx within the timeout with a JSON
// object holding every expected field (`{"status": "healthy"}`, `{"available": true}`, ...).

#include <string>

#include "collect/collector.h"
#include "config/config.h"

namespace cerniq::collect::probe {

class ProbeCollector : public collect::Collector {
 public:
  explicit ProbeCollector(config::ProbeConfig config);
  std::string Name() const override { return "probe_" + config_.service; }
  std::string Source() const override { return "http"; }
  collect::CollectResult Collect() override;

 private:
  config::ProbeConfig config_;
};

// Whether a 2xx body matches the expectations; sets `why` when not (pure, unit-tested).
bool BodyMatches(const std::string& body, const std::map<std::string, std::string>& expect,
                 std::string& why);

}  // namespace cerniq::collect::probe

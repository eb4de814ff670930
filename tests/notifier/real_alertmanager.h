#pragma once
// A real Alertmanager (Debian's prometheus-alertmanager 0.25) on a free loopback port, in a
// temporary directory, routing every alert to one webhook (group_wait 500ms, group_interval 1s,
// repeat_interval 1h, send_resolved). Stopped and removed on destruction.

#include <filesystem>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "support/subprocess.h"

namespace cerniq::notifier::testing {

inline constexpr const char* kAlertmanagerBin = "/usr/bin/prometheus-alertmanager";

class RealAlertmanager {
 public:
  static bool Installed();
  // Starts it and waits (bounded) for /-/ready; ok() tells whether it came up.
  explicit RealAlertmanager(const std::string& webhook_url);
  ~RealAlertmanager();
  RealAlertmanager(const RealAlertmanager&) = delete;
  RealAlertmanager& operator=(const RealAlertmanager&) = delete;

  bool ok() const { return ready_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // GET /api/v2/alerts (unresolved alerts); an empty array when it does not answer.
  nlohmann::json ActiveAlerts() const;

 private:
  std::filesystem::path dir_;
  int port_ = 0;
  bool ready_ = false;
  std::unique_ptr<cerniq::testing::Subprocess> process_;
};

}  // namespace cerniq::notifier::testing

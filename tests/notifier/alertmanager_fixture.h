#pragma once
// A gtest fixture with a real Alertmanager whose webhook receiver is a loopback fake server;
// skips when Debian's prometheus-alertmanager is not installed.

#include <memory>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "notifier/fake_http_server.h"
#include "notifier/real_alertmanager.h"

namespace cerniq::notifier::testing {

class AlertmanagerFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!RealAlertmanager::Installed()) {
      GTEST_SKIP() << kAlertmanagerBin << " is not installed (scripts/install-deps.sh)";
    }
    am_ = std::make_unique<RealAlertmanager>(hook_.url() + "/hook");
    ASSERT_TRUE(am_->ok()) << "Alertmanager did not become ready";
  }

  // Webhook notifications received so far, as parsed bodies.
  std::vector<nlohmann::json> Notifications() const {
    std::vector<nlohmann::json> out;
    for (const auto& r : hook_.requests()) out.push_back(nlohmann::json::parse(r.body));
    return out;
  }

  FakeHttpServer hook_;
  std::unique_ptr<RealAlertmanager> am_;
};

}  // namespace cerniq::notifier::testing

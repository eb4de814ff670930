#include "notifier/real_alertmanager.h"

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

#include "support/http_get.h"
#include "support/wait.h"

namespace cerniq::notifier::testing {

using namespace std::chrono_literals;

bool RealAlertmanager::Installed() { return access(kAlertmanagerBin, X_OK) == 0; }

RealAlertmanager::RealAlertmanager(const std::string& webhook_url) {
  char tmpl[] = "/tmp/cerniq-am-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) return;
  dir_ = tmpl;
  std::ofstream(dir_ / "am.yml")
      << "route: {receiver: hook, group_by: [alertname], group_wait: 500ms,\n"
         "        group_interval: 1s, repeat_interval: 1h}\n"
         "receivers:\n"
         "  - name: hook\n"
         "    webhook_configs: [{url: '"
      << webhook_url << "', send_resolved: true}]\n";
  port_ = cerniq::testing::FreeLoopbackPort();
  process_ = std::make_unique<cerniq::testing::Subprocess>(
      std::vector<std::string>{kAlertmanagerBin, "--config.file=" + (dir_ / "am.yml").string(),
                               "--storage.path=" + (dir_ / "data").string(),
                               "--web.listen-address=127.0.0.1:" + std::to_string(port_),
                               "--cluster.listen-address=", "--log.level=warn"});
  ready_ = cerniq::testing::WaitFor(
      [&] { return cerniq::testing::HttpGet(url() + "/-/ready", 1s).status == 200; }, 30s, 100ms);
}

RealAlertmanager::~RealAlertmanager() {
  if (process_) {
    process_->Signal(SIGTERM);
    process_->Wait(5s);
  }
  if (!dir_.empty()) std::filesystem::remove_all(dir_);
}

nlohmann::json RealAlertmanager::ActiveAlerts() const {
  auto r = cerniq::testing::HttpGet(url() + "/api/v2/alerts", 2s);
  return r.status == 200 ? nlohmann::json::parse(r.body) : nlohmann::json::array();
}

}  // namespace cerniq::notifier::testing

#include "support/sentinel_setup.h"

#include <signal.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/wait.h"

namespace cerniq::testing {
namespace {

using std::chrono::milliseconds;

}  // namespace

SentinelSetup::SentinelSetup() {
  char tmpl[] = "/tmp/cerniq-sentinel-XXXXXX";
  if (mkdtemp(tmpl) != nullptr) dir_ = tmpl;
  for (int i = 0; i < 3; ++i) sentinel_ports_.push_back(FreeLoopbackPort());
}

SentinelSetup::~SentinelSetup() {
  for (auto& s : sentinels_) {
    s->Signal(SIGKILL);
    s->Wait(milliseconds(5000));
  }
  sentinels_.clear();
  master_.reset();
  replica_.reset();
  std::error_code ec;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
}

bool SentinelSetup::Start(std::string& error) {
  if (dir_.empty()) {
    error = "no temporary directory";
    return false;
  }
  master_ = MakeServer({}, "master");
  if (!master_->Start()) {
    error = "master did not start";
    return false;
  }
  replica_ = MakeServer({"--replicaof", "127.0.0.1", std::to_string(master_->port())}, "replica");
  if (!replica_->Start()) {
    error = "replica did not start";
    return false;
  }
  if (!WaitFor(
          [&] {
            return replica_->Cli({"INFO", "replication"}).find("master_link_status:up") !=
                   std::string::npos;
          },
          milliseconds(15000), milliseconds(100))) {
    error = "replica did not sync";
    return false;
  }
  // Sentinels start after the replica is in sync, so their first INFO of the master names it.
  for (size_t i = 0; i < sentinel_ports_.size(); ++i) {
    std::string conf = dir_ + "/sentinel-" + std::to_string(i) + ".conf";
    std::ofstream(conf) << SentinelConf(i, master_->port());
    sentinels_.push_back(
        std::make_unique<Subprocess>(std::vector<std::string>{"redis-sentinel", conf}));
  }
  for (size_t i = 0; i < sentinel_ports_.size(); ++i) {
    bool known = WaitFor(
        [&] {
          std::string replicas = SentinelCli(i, {"SENTINEL", "replicas", kMaster});
          std::string others = SentinelCli(i, {"SENTINEL", "sentinels", kMaster});
          size_t peers = 0;
          for (int port : sentinel_ports_) {
            if (others.find("\n" + std::to_string(port) + "\n") != std::string::npos) ++peers;
          }
          return replicas.find(std::to_string(replica_->port())) != std::string::npos &&
                 peers == sentinel_ports_.size() - 1;
        },
        milliseconds(20000), milliseconds(200));
    if (!known) {
      error = "sentinel " + std::to_string(i) + " did not learn the replica and its peers";
      return false;
    }
  }
  return true;
}

std::unique_ptr<RedisServer> SentinelSetup::MakeServer(std::vector<std::string> args,
                                                       const std::string& name) const {
  // A directory of its own: the replica saves the RDB it receives (dump.rdb) in its --dir,
  // which would otherwise be the directory the test runs from.
  const std::string dir = dir_ + "/" + name;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  args.insert(args.end(), {"--dir", dir});
  // Replication over TLS too, so the replica reaches a TLS-only master.
  if (tls_) args.insert(args.end(), {"--tls-replication", "yes"});
  auto server = std::make_unique<RedisServer>(std::move(args));
  if (tls_) server->UseTls(*tls_);
  return server;
}

std::string SentinelSetup::SentinelConf(size_t i, int master_port) const {
  std::ostringstream conf;
  const std::string port = std::to_string(sentinel_ports_[i]);
  if (tls_) {
    // tls-replication: the Sentinel's own connections (to the servers and to its peers) use TLS,
    // and it announces its tls-port to them.
    conf << "port 0\ntls-port " << port << "\ntls-cert-file " << tls_->cert << "\ntls-key-file "
         << tls_->key << "\ntls-ca-cert-file " << tls_->ca << "\ntls-auth-clients "
         << (tls_->auth_clients ? "yes" : "no") << "\ntls-replication yes\n";
  } else {
    conf << "port " << port << "\n";
  }
  conf << "bind 127.0.0.1\ndir " << dir_ << "\nlogfile " << dir_ << "/sentinel-" << i
       << ".log\nsentinel monitor " << kMaster << " 127.0.0.1 " << master_port << " 2\n"
       << "sentinel down-after-milliseconds " << kMaster << " 1000\n"
       << "sentinel failover-timeout " << kMaster << " 5000\n";
  return conf.str();
}

std::string SentinelSetup::url(int db) const {
  std::string hosts;
  for (int port : sentinel_ports_) {
    hosts += (hosts.empty() ? "" : ",") + std::string("127.0.0.1:") + std::to_string(port);
  }
  return std::string(tls_ ? "rediss" : "redis") + "+sentinel://" + hosts + "/" + kMaster + "/" +
         std::to_string(db);
}

int SentinelSetup::MasterPortSeenBy(size_t i) const {
  std::string out = SentinelCli(i, {"SENTINEL", "get-master-addr-by-name", kMaster});
  size_t nl = out.find('\n');
  if (nl == std::string::npos) return 0;
  return std::atoi(out.c_str() + nl + 1);
}

RedisServer& SentinelSetup::ServerOnPort(int port) {
  return master_->port() == port ? *master_ : *replica_;
}

std::string SentinelSetup::SentinelCli(size_t i, const std::vector<std::string>& args) const {
  std::string cmd = "timeout 5 redis-cli -p " + std::to_string(sentinel_ports_.at(i));
  if (tls_) {
    cmd += " --tls --cacert '" + tls_->ca + "'";
    if (!tls_->cli_cert.empty())
      cmd += " --cert '" + tls_->cli_cert + "' --key '" + tls_->cli_key + "'";
  }
  return ShellOutput(cmd, args);
}

}  // namespace cerniq::testing

#include "support/cluster_setup.h"

#include <stdlib.h>

#include <filesystem>
#include <sstream>

#include "support/wait.h"

namespace cerniq::testing {
namespace {

using std::chrono::milliseconds;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

}  // namespace

ClusterSetup::ClusterSetup() {
  char tmpl[] = "/tmp/cerniq-cluster-XXXXXX";
  if (mkdtemp(tmpl) != nullptr) dir_ = tmpl;
}

ClusterSetup::~ClusterSetup() {
  nodes_.clear();
  std::error_code ec;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
}

bool ClusterSetup::Start(std::string& error) {
  if (dir_.empty()) {
    error = "no temporary directory";
    return false;
  }
  std::string create = "timeout 60 redis-cli --cluster create";
  for (int i = 0; i < 6; ++i) {
    std::string node_dir = dir_ + "/" + std::to_string(i);
    std::filesystem::create_directories(node_dir);
    nodes_.push_back(std::make_unique<RedisServer>(std::vector<std::string>{
        "--cluster-enabled", "yes", "--cluster-config-file", node_dir + "/nodes.conf",
        "--cluster-node-timeout", "1000", "--dir", node_dir,
        // The bus port defaults to port + 10000, which may be taken or past 65535.
        "--cluster-port", std::to_string(FreeLoopbackPort())}));
    if (!nodes_.back()->Start()) {
      error = "cluster node did not start";
      return false;
    }
    create += " 127.0.0.1:" + std::to_string(nodes_.back()->port());
  }
  std::string out = ShellOutput(create + " --cluster-replicas 1 --cluster-yes");
  if (out.find("[OK] All 16384 slots covered") == std::string::npos) {
    error = "redis-cli --cluster create failed: " + out.substr(0, 400);
    return false;
  }
  return WaitUntilOk(0, error);
}

std::string ClusterSetup::scenario_url() const {
  std::string hosts;
  for (const auto& n : nodes_) {
    hosts += (hosts.empty() ? "" : ",") + std::string("127.0.0.1:") + std::to_string(n->port());
  }
  return "redis+cluster://" + hosts;
}

std::string ClusterSetup::CliAt(int port, const std::vector<std::string>& args) const {
  return ShellOutput("timeout 10 redis-cli -p " + std::to_string(port), args);
}

std::string ClusterSetup::Cli(const std::vector<std::string>& args) const {
  for (int port : MasterPorts()) {
    return ShellOutput("timeout 10 redis-cli -c -p " + std::to_string(port), args);
  }
  return "";
}

std::vector<int> ClusterSetup::MasterPorts() const {
  std::vector<int> out;
  for (const auto& n : nodes_) {
    if (CliAt(n->port(), {"ROLE"}).starts_with("master")) out.push_back(n->port());
  }
  return out;
}

RedisServer& ClusterSetup::NodeOnPort(int port) {
  for (auto& n : nodes_) {
    if (n->port() == port) return *n;
  }
  return *nodes_.front();
}

std::string ClusterSetup::NodeId(int port) const {
  std::string id = CliAt(port, {"CLUSTER", "MYID"});
  while (!id.empty() && (id.back() == '\n' || id.back() == '\r')) id.pop_back();
  return id;
}

int ClusterSetup::MasterOfSlot(int slot) const {
  // CLUSTER NODES, as the first live master sees it: id addr flags master ... slot ranges.
  for (int port : MasterPorts()) {
    std::string nodes = CliAt(port, {"CLUSTER", "NODES"});
    for (const auto& line : Lines(nodes)) {
      std::istringstream in(line);
      std::string id, addr, flags, master, ping, pong, epoch, link;
      in >> id >> addr >> flags >> master >> ping >> pong >> epoch >> link;
      if (flags.find("master") == std::string::npos || flags.find("fail") != std::string::npos)
        continue;
      for (std::string range; in >> range;) {
        if (range.starts_with("[")) continue;  // migrating/importing markers
        size_t dash = range.find('-');
        int first = std::atoi(range.c_str());
        int last = dash == std::string::npos ? first : std::atoi(range.c_str() + dash + 1);
        if (slot >= first && slot <= last) return std::atoi(addr.c_str() + addr.find(':') + 1);
      }
    }
    return 0;
  }
  return 0;
}

bool ClusterSetup::WaitUntilOk(int slot, std::string& error) {
  bool ok = WaitFor(
      [&] {
        for (const auto& n : nodes_) {
          std::string info = CliAt(n->port(), {"CLUSTER", "INFO"});
          if (info.empty()) continue;  // a killed node
          if (info.find("cluster_state:ok") == std::string::npos) return false;
        }
        return MasterOfSlot(slot) != 0;
      },
      milliseconds(30000), milliseconds(200));
  if (!ok) error = "cluster did not reach cluster_state:ok";
  return ok;
}

bool ClusterSetup::MoveSlot(int slot, int to_port, const std::function<void()>& halfway,
                            std::string& error) {
  int from_port = MasterOfSlot(slot);
  if (from_port == 0 || from_port == to_port) {
    error = "slot " + std::to_string(slot) + " is not on another master";
    return false;
  }
  std::string from_id = NodeId(from_port), to_id = NodeId(to_port);
  std::string s = std::to_string(slot);
  CliAt(to_port, {"CLUSTER", "SETSLOT", s, "IMPORTING", from_id});
  CliAt(from_port, {"CLUSTER", "SETSLOT", s, "MIGRATING", to_id});
  auto keys = Lines(CliAt(from_port, {"CLUSTER", "GETKEYSINSLOT", s, "100000"}));
  auto migrate = [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      if (keys[i].empty()) continue;
      CliAt(from_port, {"MIGRATE", "127.0.0.1", std::to_string(to_port), keys[i], "0", "5000"});
    }
  };
  migrate(0, keys.size() / 2);
  halfway();
  migrate(keys.size() / 2, keys.size());
  for (int port : {to_port, from_port}) CliAt(port, {"CLUSTER", "SETSLOT", s, "NODE", to_id});
  for (int port : MasterPorts()) CliAt(port, {"CLUSTER", "SETSLOT", s, "NODE", to_id});
  return WaitFor([&] { return MasterOfSlot(slot) == to_port; }, milliseconds(15000),
                 milliseconds(100)) ||
         (error = "slot did not move", false);
}

}  // namespace cerniq::testing

#pragma once
// A Redis Cluster on loopback for integration tests: three masters and three replicas
// (`redis-cli --cluster create --cluster-replicas 1`), cluster-node-timeout 1 s, each node with
// its nodes.conf in a temporary directory removed on destruction. Every wait is bounded.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "support/redis_server.h"

namespace cerniq::testing {

class ClusterSetup {
 public:
  ClusterSetup();
  ~ClusterSetup();

  // Starts the six nodes, creates the cluster and waits until every node says cluster_state:ok.
  bool Start(std::string& error);

  // redis+cluster://127.0.0.1:<p1>,... (the seed list the BullMQ scenario takes).
  std::string scenario_url() const;
  int seed_port() const { return nodes_.front()->port(); }
  // redis-cli -c against the first live node.
  std::string Cli(const std::vector<std::string>& args) const;
  // redis-cli against the node on `port` (no redirection).
  std::string CliAt(int port, const std::vector<std::string>& args) const;
  // The port of the master serving `slot` (0 when unknown) and the node id on `port`.
  int MasterOfSlot(int slot) const;
  std::string NodeId(int port) const;
  // Ports of the nodes that are masters now.
  std::vector<int> MasterPorts() const;
  RedisServer& NodeOnPort(int port);
  // Waits until every live node says cluster_state:ok and `slot` has a live master.
  bool WaitUntilOk(int slot, std::string& error);
  // Moves `slot` with its keys to the master on `to_port` (SETSLOT IMPORTING/MIGRATING, MIGRATE,
  // SETSLOT NODE), calling `halfway` after the first half of the keys moved (ASK territory).
  bool MoveSlot(int slot, int to_port, const std::function<void()>& halfway, std::string& error);

 private:
  std::string dir_;
  std::vector<std::unique_ptr<RedisServer>> nodes_;
};

}  // namespace cerniq::testing

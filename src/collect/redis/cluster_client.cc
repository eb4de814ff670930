#include "collect/redis/cluster_client.h"

#include <charconv>

#include "collect/redis/key_slot.h"
#include "log/log.h"

namespace cerniq::collect::redis {
namespace {

constexpr int kMaxHops = 5;  // MOVED/ASK redirections followed within one call

std::string HostPortText(const std::string& host, long long port) {
  return host + ":" + std::to_string(port);
}

// "MOVED 3999 127.0.0.1:6381" / "ASK 3999 127.0.0.1:6381" -> ("MOVED", 3999, "127.0.0.1:6381").
struct Redirect {
  bool ask = false;
  int slot = -1;
  std::string to;
};
std::optional<Redirect> ParseRedirect(const Reply& r) {
  if (!r.IsError()) return std::nullopt;
  Redirect out;
  std::string_view s = r.str;
  if (s.starts_with("MOVED ")) {
    s.remove_prefix(6);
  } else if (s.starts_with("ASK ")) {
    out.ask = true;
    s.remove_prefix(4);
  } else {
    return std::nullopt;
  }
  size_t space = s.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + space, out.slot);
  if (ec != std::errc() || out.slot < 0 || out.slot >= kClusterSlots) return std::nullopt;
  out.to = std::string(s.substr(space + 1));
  if (out.to.empty()) return std::nullopt;
  return out;
}

// The key a command is routed by: argv[1] for every read the collectors send.
std::string_view KeyOf(const Command& c) { return c.size() >= 2 ? c[1] : std::string_view(); }

}  // namespace

ClusterClient::ClusterClient(RedisAddress seed, std::chrono::milliseconds connect_timeout,
                             std::chrono::milliseconds read_timeout,
                             std::shared_ptr<const TlsContext> tls)
    : seed_(std::move(seed)),
      connect_timeout_(connect_timeout),
      read_timeout_(read_timeout),
      tls_(std::move(tls)) {
  slot_master_.fill(-1);
  if (seed_.db != 0) throw std::invalid_argument("Redis Cluster has only database 0");
  if (!seed_.socket_path.empty() || seed_.via_sentinel()) {
    throw std::invalid_argument("Redis Cluster needs a host:port seed node");
  }
}

Connection& ClusterClient::Node(const std::string& host_port) {
  auto& slot = nodes_[host_port];
  if (slot == nullptr) {
    RedisAddress a = seed_;
    // host:port from CLUSTER SLOTS or a MOVED/ASK error; a malformed one fails to connect.
    size_t colon = host_port.rfind(':');
    if (colon != std::string::npos) {
      a.host = host_port.substr(0, colon);
      a.port = std::atoi(host_port.c_str() + colon + 1);
    } else {
      a.host = host_port;
      a.port = 0;
    }
    slot = std::make_unique<Connection>(a, connect_timeout_, read_timeout_, tls_);
  }
  return *slot;
}

int ClusterClient::MasterIndex(const std::string& host_port) {
  for (size_t i = 0; i < masters_.size(); ++i) {
    if (masters_[i] == host_port) return static_cast<int>(i);
  }
  masters_.push_back(host_port);
  return static_cast<int>(masters_.size() - 1);
}

bool ClusterClient::RefreshSlots(std::string& error) {
  // Ask the masters we know first, then the seed: any live node has the whole map.
  std::vector<std::string> candidates = masters_;
  candidates.push_back(HostPortText(seed_.host, seed_.port));
  std::string reasons;
  for (const std::string& at : candidates) {
    std::string why;
    auto replies = Node(at).Pipeline({{"CLUSTER", "SLOTS"}}, why);
    if (replies && (*replies)[0].IsError()) why = (*replies)[0].str;
    if (!replies || (*replies)[0].type != Reply::Type::kArray) {
      reasons += (reasons.empty() ? "" : "; ") + at + ": " + (why.empty() ? "bad reply" : why);
      continue;
    }
    std::array<int, kClusterSlots> map;
    map.fill(-1);
    std::vector<std::string> old = std::move(masters_);
    masters_.clear();
    const std::string asked_host = at.substr(0, at.rfind(':'));
    for (const Reply& range : (*replies)[0].elements) {
      if (range.elements.size() < 3 || range.elements[2].elements.size() < 2) continue;
      auto first = range.elements[0].AsInteger(), last = range.elements[1].AsInteger();
      auto port = range.elements[2].elements[1].AsInteger();
      if (!first || !last || !port || *first < 0 || *last >= kClusterSlots) continue;
      // An empty or "?" host means "the address you reached me on".
      std::string host = range.elements[2].elements[0].str;
      if (host.empty() || host == "?") host = asked_host;
      int master = MasterIndex(HostPortText(host, *port));
      for (long long s = *first; s <= *last; ++s) map[s] = master;
    }
    slot_master_ = map;
    slots_stale_ = false;
    if (old != masters_ && !old.empty()) {
      log::Info("Redis Cluster slot map changed", {{"masters", std::to_string(masters_.size())}});
    }
    return true;
  }
  error = "no cluster node gave CLUSTER SLOTS (" + reasons + ")";
  return false;
}

bool ClusterClient::EnsureSlots(std::string& error) { return !slots_stale_ || RefreshSlots(error); }

std::vector<int> ClusterClient::ServersOf(const std::vector<std::string>& keys) {
  std::string ignored;
  EnsureSlots(ignored);
  std::vector<int> out;
  out.reserve(keys.size());
  for (const auto& k : keys) out.push_back(slot_master_[KeySlot(k)]);
  return out;
}

size_t ClusterClient::MasterCount() {
  std::string ignored;
  EnsureSlots(ignored);
  return masters_.size();
}

std::optional<Reply> ClusterClient::OnMaster(size_t i, const Command& command, std::string& error) {
  if (!EnsureSlots(error)) return std::nullopt;
  if (i >= masters_.size()) {
    error = "no cluster master #" + std::to_string(i);
    return std::nullopt;
  }
  auto replies = Node(masters_[i]).Pipeline({command}, error);
  if (!replies) {
    slots_stale_ = true;
    return std::nullopt;
  }
  return std::move((*replies)[0]);
}

std::uint64_t ClusterClient::round_trips() const {
  std::uint64_t n = 0;
  for (const auto& [at, c] : nodes_) n += c->round_trips();
  return n;
}

std::vector<std::string> ClusterClient::Masters() const { return masters_; }

bool ClusterClient::SendRound(const std::vector<Command>& commands, std::vector<size_t>& pending,
                              std::vector<std::string>& target, std::vector<bool>& asking,
                              std::vector<std::optional<Reply>>& replies, std::string& error) {
  std::map<std::string, std::vector<size_t>> by_node;
  for (size_t i : pending) by_node[target[i]].push_back(i);
  std::vector<size_t> still;
  bool ok = true;
  static const Command kAsking = {"ASKING"};
  for (auto& [node, indexes] : by_node) {
    std::vector<Command> batch;
    batch.reserve(indexes.size());
    for (size_t i : indexes) {
      if (asking[i]) batch.push_back(kAsking);
      batch.push_back(commands[i]);
    }
    std::string why;
    auto got = Node(node).Pipeline(batch, why);
    if (!got) {
      // This node's commands wait for the next round, after the map is read again.
      error = why;
      slots_stale_ = true;
      ok = false;
      still.insert(still.end(), indexes.begin(), indexes.end());
      continue;
    }
    size_t k = 0;
    for (size_t i : indexes) {
      if (asking[i]) ++k;  // ASKING's +OK
      Reply& r = (*got)[k++];
      auto redirect = ParseRedirect(r);
      asking[i] = false;
      if (!redirect) {
        replies[i] = std::move(r);
        continue;
      }
      // MOVED: the slot has a new owner for good; ASK: only this command goes there, once.
      if (!redirect->ask) {
        slot_master_[redirect->slot] = MasterIndex(redirect->to);
        slots_stale_ = true;
      }
      asking[i] = redirect->ask;
      target[i] = redirect->to;
      still.push_back(i);
    }
  }
  pending = std::move(still);
  return ok;
}

std::optional<std::vector<Reply>> ClusterClient::Pipeline(
    const std::vector<Command>& commands, std::string& error,
    const std::vector<std::string>& route_keys) {
  if (!EnsureSlots(error)) return std::nullopt;
  const size_t n = commands.size();
  std::vector<std::string> target(n);
  auto route = [&](size_t i) {
    std::string_view key =
        route_keys.empty() || route_keys[i].empty() ? KeyOf(commands[i]) : route_keys[i];
    int master = slot_master_[KeySlot(key)];
    return master < 0 ? std::string() : masters_[master];
  };
  std::vector<size_t> pending;
  for (size_t i = 0; i < n; ++i) {
    target[i] = route(i);
    if (target[i].empty()) {
      error = "cluster slot " + std::to_string(KeySlot(KeyOf(commands[i]))) + " has no master";
      return std::nullopt;
    }
    pending.push_back(i);
  }
  std::vector<bool> asking(n, false);
  std::vector<std::optional<Reply>> replies(n);
  bool refreshed = false;
  for (int hop = 0; hop < kMaxHops && !pending.empty(); ++hop) {
    if (!SendRound(commands, pending, target, asking, replies, error)) {
      // A node failed: read the map once more (a replica may have been promoted) and re-route
      // what that node had; a second failure fails the call.
      if (refreshed || !RefreshSlots(error)) return std::nullopt;
      refreshed = true;
      for (size_t i : pending) {
        if (!asking[i]) target[i] = route(i);
        if (target[i].empty()) {
          error = "cluster slot " + std::to_string(KeySlot(KeyOf(commands[i]))) + " has no master";
          return std::nullopt;
        }
      }
    }
  }
  if (!pending.empty()) {
    error = "redirected more than " + std::to_string(kMaxHops) + " times (cluster resharding?)";
    return std::nullopt;
  }
  std::vector<Reply> out;
  out.reserve(n);
  for (auto& r : replies) out.push_back(std::move(*r));
  return out;
}

}  // namespace cerniq::collect::redis

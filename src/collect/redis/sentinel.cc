#include "collect/redis/sentinel.h"

#include <charconv>

#include "collect/redis/connection.h"

namespace cerniq::collect::redis {
namespace {

// The reply to get-master-addr-by-name: [ip, port], or nil for a master the Sentinel does not
// monitor.
std::optional<HostPort> MasterFromReply(const Reply& r, std::string& why) {
  if (r.IsError()) {
    why = r.str;
    return std::nullopt;
  }
  if (r.type == Reply::Type::kNil) {
    why = "does not know this master";
    return std::nullopt;
  }
  auto port = r.type == Reply::Type::kArray && r.elements.size() == 2 ? r.elements[1].AsInteger()
                                                                      : std::nullopt;
  if (!port || *port <= 0 || *port > 65535 || r.elements[0].type != Reply::Type::kString) {
    why = "unexpected reply to SENTINEL get-master-addr-by-name";
    return std::nullopt;
  }
  return HostPort{r.elements[0].str, static_cast<int>(*port)};
}

}  // namespace

SentinelResolver::SentinelResolver(std::vector<HostPort> sentinels, std::string master_name,
                                   std::string password, std::chrono::milliseconds connect_timeout,
                                   std::chrono::milliseconds read_timeout,
                                   std::shared_ptr<const TlsContext> tls)
    : master_name_(std::move(master_name)) {
  for (HostPort& s : sentinels) {
    RedisAddress a;
    a.host = std::move(s.host);
    a.port = s.port;
    a.password = password;
    a.tls = tls != nullptr;
    sentinels_.push_back(std::make_unique<Connection>(a, connect_timeout, read_timeout, tls));
  }
}

SentinelResolver::~SentinelResolver() = default;

std::optional<HostPort> SentinelResolver::Ask(std::string& error) {
  error.clear();
  for (size_t k = 0; k < sentinels_.size(); ++k) {
    size_t i = (preferred_ + k) % sentinels_.size();
    std::string why;
    auto replies =
        sentinels_[i]->Pipeline({{"SENTINEL", "get-master-addr-by-name", master_name_}}, why);
    std::optional<HostPort> master;
    if (replies) master = MasterFromReply((*replies)[0], why);
    if (master) {
      preferred_ = i;
      return master;
    }
    error += (error.empty() ? "" : "; ") + std::string("sentinel ") +
             sentinels_[i]->address().Display() + ": " + why;
  }
  error = "no Sentinel named master " + master_name_ + " (" + error + ")";
  return std::nullopt;
}

}  // namespace cerniq::collect::redis

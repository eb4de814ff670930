#pragma once
// `--web.listen-address` values in Go's net.Listen form: "host:port", "[v6-host]:port", ":port".

#include <optional>
#include <string>

namespace cerniq::http {

struct ListenAddress {
  std::string host;  // "" = every address, IPv6 and IPv4 (dual-stack, as Go listens)
  unsigned short port = 0;
};

// Returns nullopt and sets `error` when the text is not [host]:port.
std::optional<ListenAddress> ParseListenAddress(const std::string& text, std::string& error);

}  // namespace cerniq::http

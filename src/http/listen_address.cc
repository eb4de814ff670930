#include "http/listen_address.h"

namespace cerniq::http {

std::optional<ListenAddress> ParseListenAddress(const std::string& text, std::string& error) {
  size_t colon = text.rfind(':');
  if (colon == std::string::npos) {
    error = "listen address must be [host]:port, got \"" + text + "\"";
    return std::nullopt;
  }
  ListenAddress address;
  address.host = text.substr(0, colon);
  if (address.host.size() >= 2 && address.host.front() == '[' && address.host.back() == ']') {
    address.host = address.host.substr(1, address.host.size() - 2);
  } else if (address.host.find_first_of("[]:") != std::string::npos) {
    error = "listen address must put an IPv6 host in brackets, got \"" + text + "\"";
    return std::nullopt;
  }
  std::string port = text.substr(colon + 1);
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) > 65535) {
    error = "invalid port in listen address \"" + text + "\"";
    return std::nullopt;
  }
  address.port = static_cast<unsigned short>(std::stoi(port));
  return address;
}

}  // namespace cerniq::http

#pragma once
// Raw TCP clients for the server tests: exact bytes on the wire, every read bounded in time.

#include <chrono>
#include <string>

namespace cerniq::http::testing {

// A connected socket to host:port ("127.0.0.1" or "::1"); -1 on failure. Reads time out.
int Connect(const std::string& host, int port,
            std::chrono::milliseconds read_timeout = std::chrono::seconds(5));
bool SendAll(int fd, const std::string& data);
// Reads until the peer closes or the read timeout passes.
std::string ReadAll(int fd);
// Sends `request`, reads the whole answer (the request should say Connection: close).
std::string Exchange(const std::string& host, int port, const std::string& request);
// The number of open file descriptors of this process.
int OpenFds();
// Raises the soft open-file limit to the hard one (Go does this at start too).
void RaiseFdLimit();

struct ParsedResponse {
  int status = 0;
  std::string head;  // status line and headers
  std::string body;
};
ParsedResponse Parse(const std::string& raw);

}  // namespace cerniq::http::testing

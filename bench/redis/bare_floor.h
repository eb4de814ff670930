#pragma once
// The floors a BullMQ pass is measured against: the same per-queue reads, formatted by hiredis,
// written as one pipelined batch and read back reply by reply, with nothing else around them —
// over plain TCP by hiredis itself, over TLS by a blocking socket + OpenSSL feeding hiredis'
// reader (what any bare TLS client does).

#include <memory>
#include <string>
#include <vector>

namespace cerniq::bench {

// The pass's reads of `queues`: 9 per queue (3 LLEN, 5 ZCARD, 1 HEXISTS), and with `all_reads`
// the 4 further reads a pass makes (two counter hashes, the id counter, the wait tail).
std::string FloorBatch(const std::string& prefix, const std::vector<std::string>& queues,
                       bool all_reads, size_t& commands);

class BareClient {
 public:
  virtual ~BareClient() = default;
  // Writes `batch` and reads `replies` replies; exits the process on an error (a bench).
  virtual void RoundTrip(const std::string& batch, size_t replies) = 0;
};

std::unique_ptr<BareClient> BareTcpClient(int port);
// TLS to 127.0.0.1:port, the server's certificate verified against `ca_file` (and its IP).
std::unique_ptr<BareClient> BareTlsClient(int port, const std::string& ca_file);

// One timed floor pass, in ms: formatting the batch included, as the pass's encoding is.
double FloorPassMs(BareClient& client, const std::string& prefix,
                   const std::vector<std::string>& queues, bool all_reads);

}  // namespace cerniq::bench

#pragma once
// On-request diagnosis reads behind /api/admin/workers/<queue> and
// /api/admin/queues/<queue>/failed (runbook §3.1, §3.2). The HTTP routes stay pure functions of
// the request: they call this interface, implemented over Redis in
// redis/admin_reader_redis.h (its own connection, bounded timeouts, read-only commands) and by
// fakes in tests.
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cerniq::collect {

// One CLIENT LIST entry of a worker connection, as BullMQ's getWorkers() returns it: every
// `key=value` field in CLIENT LIST order as strings, with `name` replaced by the queue's name
// and `rawname` holding the connection's name.
using ClientEntry = std::vector<std::pair<std::string, std::string>>;

// A failed job's fields as BullMQ's getFailed() reads them from the job hash.
struct FailedJob {
  std::string id;
  std::string name;
  std::string failed_reason;
  long long attempts_made = 0;         // attemptsMade, else atm, else 0
  std::optional<long long> timestamp;  // absent when the field is missing or not a number
  std::optional<long long> finished_on;
  std::string stack_first_line;  // first line of the latest stack trace; "" when none
};

class AdminReader {
 public:
  virtual ~AdminReader() = default;
  // The worker connections of `queue` under `prefix`. False (and `error`) when Redis could not
  // be read in time.
  virtual bool Workers(const std::string& prefix, const std::string& queue,
                       std::vector<ClientEntry>& out, std::string& error) = 0;
  // The `limit` most recently failed jobs of the queue, newest first.
  virtual bool FailedJobs(const std::string& prefix, const std::string& queue, int limit,
                          std::vector<FailedJob>& out, std::string& error) = 0;
};

}  // namespace cerniq::collect

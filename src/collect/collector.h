#pragma once
// A collector samples one subsystem (BullMQ, one PostgreSQL query, one HTTP probe) and returns
// its metric families. Collectors know nothing about HTTP or the snapshot; the runner calls them.

#include <chrono>
#include <string>
#include <vector>

#include <prometheus/metric_family.h>

namespace cerniq::collect {

struct CollectResult {
  std::vector<prometheus::MetricFamily> families;
  bool success = false;         // the whole pass worked; families are complete
  bool source_reached = false;  // the backend answered (drives cerniq_up{source})
  std::string error;            // one line, for the log; empty on success
};

class Collector {
 public:
  virtual ~Collector() = default;
  virtual std::string Name() const = 0;    // label value of cerniq_scrape_collector_*
  virtual std::string Source() const = 0;  // label value of cerniq_up: redis, postgres, http
  // One pass. May throw: the runner turns an exception into a failed pass.
  virtual CollectResult Collect() = 0;
};

// How often the runner starts a pass. There is no pass timeout here: the runner cannot interrupt
// a collector blocked in hiredis, libpq or curl, so each collector bounds its own I/O with the
// timeout that can act (Redis read/connect timeouts and bullmq.timeout, PostgreSQL's
// statement_timeout, the probe's transfer timeout).
struct Schedule {
  std::chrono::milliseconds interval{5000};
};

}  // namespace cerniq::collect

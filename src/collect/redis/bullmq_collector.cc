#include "collect/redis/bullmq_collector.h"

#include <array>
#include <map>

#include "catalog/catalog.h"
#include "collect/families.h"
#include "collect/redis/workers.h"
#include "log/log.h"

namespace cerniq::collect::redis {
namespace {

using namespace catalog::names;

double NowMs() {
  using namespace std::chrono;
  return static_cast<double>(
      duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

constexpr const char* kLists[2] = {"wait", "paused"};

// bullmq.timeout bounds a whole pass. Each round trip is already bounded by redis.read_timeout;
// this stops a pass of several slow round trips between two of them, where nothing is half-read.
bool WithinTimeout(std::chrono::steady_clock::time_point started, std::chrono::milliseconds timeout,
                   std::string& error) {
  if (std::chrono::steady_clock::now() - started <= timeout) return true;
  error = "pass exceeded bullmq.timeout (" + std::to_string(timeout.count()) + "ms)";
  return false;
}

// The families of one pass, one sample per queue; families left empty are not exported.
std::vector<prometheus::MetricFamily> QueueFamilies(
    const std::vector<QueueRef>& queues, const std::vector<QueueCounts>& counts,
    const std::vector<std::array<ListTail, 2>>& tails,
    const std::optional<std::vector<int>>& workers, const std::vector<double>& oldest_age) {
  auto waiting = collect::MakeFamily(kQueueWaiting);
  auto active = collect::MakeFamily(kQueueActive);
  auto delayed = collect::MakeFamily(kQueueDelayed);
  auto prioritized = collect::MakeFamily(kQueuePrioritized);
  auto waiting_children = collect::MakeFamily(kQueueWaitingChildren);
  auto failed = collect::MakeFamily(kQueueFailed);
  auto completed = collect::MakeFamily(kQueueCompleted);
  auto paused = collect::MakeFamily(kQueuePaused);
  auto age = collect::MakeFamily(kQueueOldestWaitingAge);
  auto worker_family = collect::MakeFamily(kWorkersActive);
  auto completed_total = collect::MakeFamily(kJobsCompletedTotal);
  auto failed_total = collect::MakeFamily(kJobsFailedTotal);
  auto added_total = collect::MakeFamily(kJobsAddedTotal);
  for (size_t i = 0; i < queues.size(); ++i) {
    const QueueCounts& c = counts[i];
    collect::LabelPairs labels = {{"prefix", queues[i].prefix}, {"queue", queues[i].queue}};
    long long waiting_jobs = std::max(0LL, tails[i][0].jobs()) + std::max(0LL, tails[i][1].jobs());
    collect::AddSample(waiting, labels, static_cast<double>(waiting_jobs));
    collect::AddSample(active, labels, static_cast<double>(c.active));
    collect::AddSample(delayed, labels, static_cast<double>(c.delayed));
    collect::AddSample(prioritized, labels, static_cast<double>(c.prioritized));
    collect::AddSample(waiting_children, labels, static_cast<double>(c.waiting_children));
    collect::AddSample(failed, labels, static_cast<double>(c.failed));
    collect::AddSample(completed, labels, static_cast<double>(c.completed));
    collect::AddSample(paused, labels, c.paused ? 1 : 0);
    collect::AddSample(age, labels, waiting_jobs > 0 ? oldest_age[i] : 0);
    if (workers) collect::AddSample(worker_family, labels, (*workers)[i]);
    if (c.completed_total)
      collect::AddSample(completed_total, labels, static_cast<double>(*c.completed_total));
    if (c.failed_total)
      collect::AddSample(failed_total, labels, static_cast<double>(*c.failed_total));
    if (c.added_total) collect::AddSample(added_total, labels, static_cast<double>(*c.added_total));
  }
  std::vector<prometheus::MetricFamily> families;
  for (auto* f : {&waiting, &active, &delayed, &prioritized, &waiting_children, &failed, &completed,
                  &paused, &age, &worker_family, &completed_total, &failed_total, &added_total}) {
    if (!f->metric.empty()) families.push_back(std::move(*f));
  }
  return families;
}

}  // namespace

BullmqCollector::BullmqCollector(std::unique_ptr<RedisClient> connection,
                                 config::BullmqConfig config)
    : connection_(std::move(connection)), config_(std::move(config)), discovery_(config_) {}

std::optional<std::vector<int>> BullmqCollector::CountQueueWorkers(
    const std::vector<QueueRef>& queues, const std::vector<int>& server,
    const std::map<int, const Reply*>& client_lists) {
  for (const auto& [s, client_list] : client_lists) {
    if (!client_list->IsError()) continue;
    // Managed Redis without CLIENT, or an ACL without client|list: no worker metric, not a failure.
    if (!client_list_refused_logged_) {
      log::Warn("CLIENT LIST refused by the server; bullmq_workers_active is not exported",
                {{"err", client_list->str}});
      client_list_refused_logged_ = true;
    }
    return std::nullopt;
  }
  std::map<std::string, size_t, std::less<>> by_name;
  for (size_t i = 0; i < queues.size(); ++i) {
    by_name.emplace(WorkerConnectionName(queues[i].prefix, queues[i].queue), i);
  }
  std::vector<int> workers(queues.size(), 0);
  for (const auto& [s, client_list] : client_lists) {
    std::vector<int> counts = CountWorkers(ClientNames(client_list->str), by_name, queues.size());
    for (size_t i = 0; i < queues.size(); ++i) {
      if (server[i] == s) workers[i] = counts[i];
    }
  }
  return workers;
}

const BullmqCollector::TailMemory* BullmqCollector::Remembered(const QueueRef& q) const {
  auto it = tail_memory_.find({q.prefix, q.queue});
  return it == tail_memory_.end() ? nullptr : &it->second;
}

void BullmqCollector::Remember(const std::vector<QueueRef>& queues,
                               const std::vector<std::array<ListTail, 2>>& tails,
                               std::vector<std::map<std::string, double>> ready_ms) {
  std::map<std::pair<std::string, std::string>, TailMemory> memory;
  for (size_t i = 0; i < queues.size(); ++i) {
    TailMemory& m = memory[{queues[i].prefix, queues[i].queue}];
    for (size_t l = 0; l < 2; ++l) m.had_jobs[l] = tails[i][l].length > 0;
    m.ready_ms = std::move(ready_ms[i]);  // only the current tails: a job that left is forgotten
  }
  tail_memory_ = std::move(memory);
}

bool BullmqCollector::ReadMissingTails(const std::vector<QueueRef>& queues,
                                       std::vector<std::array<ListTail, 2>>& tails,
                                       std::string& error) {
  std::vector<Command> commands;
  std::vector<ListTail*> owners;
  for (size_t i = 0; i < queues.size(); ++i) {
    for (size_t l = 0; l < 2; ++l) {
      if (tails[i][l].need == ListTail::Need::kNothing) continue;
      commands.push_back(TailCommand(queues[i].Key(kLists[l]), tails[i][l].need));
      owners.push_back(&tails[i][l]);
    }
  }
  if (commands.empty()) return true;
  auto replies = connection_->Pipeline(commands, error);
  if (!replies) return false;
  for (size_t k = 0; k < owners.size(); ++k) ApplyTailReply(*owners[k], (*replies)[k]);
  return true;
}

bool BullmqCollector::ReadReadyTimes(const std::vector<QueueRef>& queues,
                                     const std::vector<std::array<ListTail, 2>>& tails,
                                     std::vector<std::map<std::string, double>>& ready_ms,
                                     std::string& error) {
  std::vector<Command> commands;
  std::vector<std::pair<size_t, std::string>> owner;
  for (size_t i = 0; i < queues.size(); ++i) {
    const TailMemory* memory = Remembered(queues[i]);
    for (const ListTail& tail : tails[i]) {
      if (!tail.job_id) continue;
      if (memory != nullptr) {
        if (auto it = memory->ready_ms.find(*tail.job_id); it != memory->ready_ms.end()) {
          ready_ms[i][*tail.job_id] = it->second;
          continue;
        }
      }
      commands.push_back(OldestJobCommand(queues[i], *tail.job_id));
      owner.emplace_back(i, *tail.job_id);
    }
  }
  if (commands.empty()) return true;
  auto replies = connection_->Pipeline(commands, error);
  if (!replies) return false;
  for (size_t k = 0; k < commands.size(); ++k) {
    // A job hash already gone (processed since) gives no age this pass.
    if (auto ready = ReadyTimeMs((*replies)[k])) ready_ms[owner[k].first][owner[k].second] = *ready;
  }
  return true;
}

std::vector<QueueRef> BullmqCollector::QueuesToRead() const {
  std::set<std::pair<std::string, std::string>> all = discovery_.queues();
  for (const auto& p : config_.prefixes) {
    for (const auto& q : p.queues) all.emplace(p.prefix, q);
  }
  std::vector<QueueRef> out;
  out.reserve(all.size());
  for (const auto& [prefix, queue] : all) out.push_back({prefix, queue});
  return out;
}

collect::CollectResult BullmqCollector::Collect() {
  const auto started = std::chrono::steady_clock::now();
  collect::CollectResult result;
  std::uint64_t trips_before = connection_->round_trips();
  discovery_.RunIfDue(*connection_);
  std::vector<QueueRef> queues = QueuesToRead();
  const size_t n = queues.size();

  // Round trip 1: the counts, the tail of each list that had jobs at the last pass, CLIENT LIST.
  // In a steady state this is the whole pass: a tail job seen before keeps its ready time.
  std::vector<Command> commands;
  commands.reserve(n * (kCommandsPerQueue + 3) + 1);
  for (const auto& q : queues) AppendCountCommands(q, commands);
  std::vector<std::array<std::optional<size_t>, 2>> tail_slot(n);
  for (size_t i = 0; i < n; ++i) {
    const TailMemory* memory = Remembered(queues[i]);
    for (size_t l = 0; l < 2; ++l) {
      if (memory == nullptr || memory->had_jobs[l]) {
        tail_slot[i][l] = commands.size();
        commands.push_back({"LINDEX", queues[i].Key(kLists[l]), "-1"});
      }
    }
  }
  // One CLIENT LIST per server holding a queue's marker key (a single one outside a cluster).
  std::vector<std::string> markers;
  for (const auto& q : queues) markers.push_back(q.Key("marker"));
  const std::vector<int> server = connection_->ServersOf(markers);
  std::vector<std::string> route_keys(commands.size());
  std::map<int, size_t> client_list_at;
  for (size_t i = 0; i < n; ++i) {
    if (client_list_at.emplace(server[i], commands.size()).second) {
      commands.push_back({"CLIENT", "LIST"});
      route_keys.push_back(markers[i]);
    }
  }
  if (commands.empty()) {  // no queue yet: the pass still proves the server answers
    commands.push_back({"PING"});
    route_keys.emplace_back();
  }
  auto replies = connection_->Pipeline(commands, result.error, route_keys);
  if (!replies) return result;
  result.source_reached = true;
  if (!WithinTimeout(started, config_.timeout, result.error)) return result;

  std::vector<QueueCounts> counts;
  std::vector<std::array<ListTail, 2>> tails(n);
  counts.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto c = ParseCountReplies(queues[i], *replies, i * kCommandsPerQueue, result.error);
    if (!c) return result;
    long long lengths[2] = {c->wait_length, c->paused_length};
    for (size_t l = 0; l < 2; ++l) {
      const Reply* last = tail_slot[i][l] ? &(*replies)[*tail_slot[i][l]] : nullptr;
      tails[i][l] = ResolveTail(lengths[l], last);
    }
    counts.push_back(std::move(*c));
  }
  std::map<int, const Reply*> client_lists;
  for (const auto& [s, at] : client_list_at) client_lists[s] = &(*replies)[at];
  std::optional<std::vector<int>> workers = CountQueueWorkers(queues, server, client_lists);

  // Further round trips only where a list became non-empty or a tail moved: first the missing
  // tails, then the hashes of tail jobs not seen before.
  if (!ReadMissingTails(queues, tails, result.error)) return result;
  if (!WithinTimeout(started, config_.timeout, result.error)) return result;
  std::vector<std::map<std::string, double>> ready_ms(n);
  if (!ReadReadyTimes(queues, tails, ready_ms, result.error)) return result;
  if (!WithinTimeout(started, config_.timeout, result.error)) return result;
  Remember(queues, tails, ready_ms);
  std::vector<double> oldest_age(n, 0.0);
  double now_ms = NowMs();
  for (size_t i = 0; i < n; ++i) {
    for (const auto& [id, ready] : ready_ms[i]) {
      oldest_age[i] = std::max(oldest_age[i], AgeSeconds(ready, now_ms));
    }
  }

  result.families = QueueFamilies(queues, counts, tails, workers, oldest_age);
  result.success = true;
  last_pass_round_trips_ = connection_->round_trips() - trips_before;
  return result;
}

}  // namespace cerniq::collect::redis

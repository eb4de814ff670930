#include "evaluator/manager.h"

#include <glob.h>

#include <algorithm>
#include <chrono>

#include "evaluator/alert_state.h"
#include "evaluator/eval_timestamp.h"
#include "rules/rule_loader.h"

namespace cerniq::evaluator {
namespace {

// Waits of the scheduler thread are bounded so a clock jump or a stop is seen promptly.
constexpr int64_t kMaxWaitNs = 1'000'000'000;

bool HasGlobMeta(const std::string& s) { return s.find_first_of("*?[") != std::string::npos; }

// filepath.Glob for patterns (sorted matches, none is no error); a plain path as it is, so a
// missing file is reported by the loader.
std::vector<std::string> ExpandPatterns(const std::vector<std::string>& patterns) {
  std::vector<std::string> files;
  for (const auto& p : patterns) {
    if (!HasGlobMeta(p)) {
      files.push_back(p);
      continue;
    }
    glob_t g{};
    if (glob(p.c_str(), 0, nullptr, &g) == 0) {
      for (size_t i = 0; i < g.gl_pathc; ++i) files.push_back(g.gl_pathv[i]);
    }
    globfree(&g);
  }
  return files;
}

}  // namespace

Manager::Manager(ManagerOptions options)
    : options_(std::move(options)),
      clock_(options_.clock ? *options_.clock : system_clock_),
      engine_([&] {
        promql::EngineOptions o = options_.engine;
        const int64_t step = options_.default_interval_ms;
        o.no_step_subquery_interval = [step](int64_t) { return step; };
        return o;
      }()),
      status_(std::make_shared<RulesStatus>()) {
  env_.engine = &engine_;
  env_.storage = options_.storage;
  env_.external_labels = options_.external_labels;
  env_.external_url = options_.external_url;
  env_.default_interval_ms = options_.default_interval_ms;
  env_.notify = options_.notify;
  env_.resend_delay_ms = options_.resend_delay_ms;
}

Manager::~Manager() { Stop(); }

ReloadResult Manager::Reload(const std::vector<std::string>& patterns) {
  ReloadResult result;
  std::vector<std::unique_ptr<ScheduledGroup>> loaded;
  std::lock_guard lock(mutex_);
  const bool restored = loaded_once_;
  for (const auto& file : ExpandPatterns(patterns)) {
    rules::RuleFileResult r = rules::LoadRuleFile(file);
    if (!r.ok()) {
      result.errors.insert(result.errors.end(), r.errors.begin(), r.errors.end());
      continue;
    }
    for (const auto& g : r.file->groups) {
      loaded.push_back(
          std::make_unique<ScheduledGroup>(file, g, options_.default_interval_ms, restored));
    }
  }
  const int64_t now_ns = clock_.NowNs();
  if (!result.ok()) {
    reload_.last_successful = false;
    reload_.last_errors = result.errors;
    PublishLocked();
    return result;
  }
  std::map<std::string, std::unique_ptr<ScheduledGroup>> old;
  for (auto& g : groups_) {
    std::string key = g->Key();
    old.emplace(std::move(key), std::move(g));
  }
  for (auto& g : loaded) {
    auto it = old.find(g->Key());
    if (it != old.end() && it->second->SameAs(*g)) {
      g = std::move(it->second);  // unchanged: keeps running in its slots
    } else {
      if (it != old.end()) g->CopyState(*it->second);
      g->Schedule(now_ns);
    }
    if (it != old.end()) old.erase(it);
  }
  // Removed groups: stale markers at removal time, written two intervals later so that a
  // renamed group's new series win (manager.go, Group.run's markStale).
  for (auto& [key, g] : old) {
    pending_stale_.push_back(
        {now_ns + 2 * g->interval_ns(), NsToMs(now_ns), g->SeriesToMarkStale()});
  }
  std::sort(loaded.begin(), loaded.end(), [](const auto& a, const auto& b) {
    return a->file() != b->file() ? a->file() < b->file() : a->name() < b->name();
  });
  groups_ = std::move(loaded);
  loaded_once_ = true;
  reload_ = {true, now_ns, {}};
  PublishLocked();
  ++reloads_;
  wake_.notify_all();
  return result;
}

void Manager::RunDue() {
  std::lock_guard lock(mutex_);
  RunDueLocked(clock_.NowNs());
}

void Manager::RunDueLocked(int64_t now_ns) {
  bool ran = false;
  for (auto& g : groups_) ran |= g->RunIfDue(now_ns, env_);
  auto due = std::stable_partition(pending_stale_.begin(), pending_stale_.end(),
                                   [&](const PendingStale& p) { return p.due_ns > now_ns; });
  if (due != pending_stale_.end()) {
    auto appender = options_.storage->Appender();
    for (auto it = due; it != pending_stale_.end(); ++it) {
      for (const auto& labels : it->series) appender->Append(labels, it->ts_ms, promql::StaleNaN());
    }
    appender->Commit();
    pending_stale_.erase(due, pending_stale_.end());
  }
  if (ran) PublishLocked();
}

std::optional<int64_t> Manager::NextDueNs() const {
  std::lock_guard lock(mutex_);
  std::optional<int64_t> next;
  auto consider = [&](int64_t t) { next = next ? std::min(*next, t) : t; };
  for (const auto& g : groups_) consider(g->next_due_ns());
  for (const auto& p : pending_stale_) consider(p.due_ns);
  return next;
}

void Manager::PublishLocked() {
  auto status = std::make_shared<RulesStatus>();
  for (const auto& g : groups_) status->groups.push_back(g->Status());
  status->reload = reload_;
  std::lock_guard lock(status_mutex_);
  status_ = std::move(status);
}

std::shared_ptr<const RulesStatus> Manager::Status() const {
  std::lock_guard lock(status_mutex_);
  return status_;
}

std::string Manager::ExportAlertState() const {
  AlertStateMap state;
  std::lock_guard lock(mutex_);
  for (const auto& g : groups_) {
    auto alerts = g->TrackedAlerts();
    if (!alerts.rules.empty()) state[g->Key()] = std::move(alerts);
  }
  return EncodeAlertState(state);
}

long Manager::ImportAlertState(const std::string& blob, std::string* error) {
  AlertStateMap state;
  if (!DecodeAlertState(blob, &state, error)) return -1;
  long restored = 0;
  std::lock_guard lock(mutex_);
  const int64_t now_ms = NsToMs(clock_.NowNs());
  for (auto& g : groups_) {
    auto it = state.find(g->Key());
    if (it == state.end()) continue;
    restored += static_cast<long>(g->RestoreAlerts(it->second, now_ms, options_.for_restore));
  }
  PublishLocked();
  return restored;
}

void Manager::Start() {
  std::lock_guard lock(mutex_);
  if (scheduler_.joinable()) return;
  stopping_ = false;
  scheduler_ = std::thread([this] { SchedulerLoop(); });
}

void Manager::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (scheduler_.joinable()) scheduler_.join();
}

void Manager::SchedulerLoop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    const int64_t now_ns = clock_.NowNs();
    RunDueLocked(now_ns);
    int64_t wait_ns = kMaxWaitNs;
    for (const auto& g : groups_) wait_ns = std::min(wait_ns, g->next_due_ns() - now_ns);
    for (const auto& p : pending_stale_) wait_ns = std::min(wait_ns, p.due_ns - now_ns);
    const uint64_t seen = reloads_;
    wake_.wait_for(lock, std::chrono::nanoseconds(std::max<int64_t>(wait_ns, 1'000'000)),
                   [&] { return stopping_ || reloads_ != seen; });
  }
}

}  // namespace cerniq::evaluator

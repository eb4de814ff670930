#include "collect/runner.h"

#include <chrono>
#include <exception>

#include "log/log.h"

namespace cerniq::collect {
namespace {

double UnixNow() {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

Runner::Runner(SnapshotStore& store, CollectLimits limits) : store_(store), limits_(limits) {}

Runner::~Runner() { Stop(); }

void Runner::Add(std::unique_ptr<Collector> collector, Schedule schedule) {
  store_.Register(collector->Name(), collector->Source());
  entries_.push_back(std::make_unique<Entry>(Entry{std::move(collector), schedule}));
}

void Runner::Start() {
  for (auto& entry : entries_) {
    threads_.emplace_back([this, e = entry.get()] { Loop(*e); });
  }
}

void Runner::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

CollectorState Runner::RunOnce(Collector& collector, const CollectLimits& limits) {
  CollectorState state;
  state.name = collector.Name();
  state.source = collector.Source();
  state.finished_first_pass = true;
  auto begin = std::chrono::steady_clock::now();
  state.last_attempt_unix = UnixNow();
  CollectResult result;
  try {
    result = collector.Collect();
  } catch (const std::exception& e) {
    result = CollectResult{};
    result.error = std::string("unexpected error: ") + e.what();
  } catch (...) {
    result = CollectResult{};
    result.error = "unexpected non-standard exception";
  }
  state.duration_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  state.success = result.success;
  state.source_reached = result.source_reached;
  state.error = std::move(result.error);
  if (result.success) {
    state.last_success_unix = UnixNow();
    state.families = std::move(result.families);
    ApplyLimits(state.name, limits, state.families);
  }
  return state;
}

void Runner::Loop(Entry& entry) {
  double last_success = 0;
  bool last_ok = true;
  while (true) {
    CollectorState state = RunOnce(*entry.collector, limits_);
    state.passes = ++entry.passes;
    state.failures = entry.failures += state.success ? 0 : 1;
    if (state.success) {
      last_success = state.last_success_unix;
      if (!last_ok) log::Info("collector recovered", {{"collector", state.name}});
    } else {
      state.last_success_unix = last_success;
      // One line per failure streak at warn, then debug, so a dead backend does not flood logs.
      auto level = last_ok ? log::Level::kWarn : log::Level::kDebug;
      log::Write(level, "collection failed", {{"collector", state.name}, {"err", state.error}});
    }
    last_ok = state.success;
    store_.Publish(std::move(state));

    std::unique_lock<std::mutex> lock(mutex_);
    if (wake_.wait_for(lock, entry.schedule.interval, [this] { return stopping_; })) return;
  }
}

}  // namespace cerniq::collect

#include "collect/snapshot.h"

namespace cerniq::collect {

bool Snapshot::Ready() const {
  for (const auto& [name, state] : collectors) {
    if (!state->finished_first_pass) return false;
  }
  return true;
}

std::map<std::string, bool> Snapshot::SourcesUp() const {
  std::map<std::string, bool> up;
  for (const auto& [name, state] : collectors) {
    auto [it, inserted] = up.emplace(state->source, true);
    it->second = it->second && state->finished_first_pass && state->source_reached;
  }
  return up;
}

void SnapshotStore::Register(const std::string& name, const std::string& source) {
  CollectorState state;
  state.name = name;
  state.source = source;
  std::lock_guard<std::mutex> lock(mutex_);
  auto next = std::make_shared<Snapshot>(*current_);
  next->collectors[name] = std::make_shared<const CollectorState>(std::move(state));
  current_ = std::move(next);
}

void SnapshotStore::Publish(CollectorState state) {
  auto part = std::make_shared<const CollectorState>(std::move(state));
  std::lock_guard<std::mutex> lock(mutex_);
  auto next = std::make_shared<Snapshot>(*current_);
  next->collectors[part->name] = std::move(part);
  current_ = std::move(next);
}

std::shared_ptr<const Snapshot> SnapshotStore::Current() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return current_;
}

}  // namespace cerniq::collect

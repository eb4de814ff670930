#include "collect/redis/admin_reader_redis.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>

#include "collect/redis/workers.h"

namespace cerniq::collect::redis {
namespace {

// JavaScript's parseInt of a decimal string: the leading integer, nullopt when there is none.
std::optional<long long> ParseIntPrefix(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  long long v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end == s.data()) return std::nullopt;
  return v;
}

const std::string* Field(const Reply& hmget, std::size_t i) {
  if (i >= hmget.elements.size() || hmget.elements[i].type != Reply::Type::kString) return nullptr;
  return &hmget.elements[i].str;
}

}  // namespace

RedisAdminReader::RedisAdminReader(std::unique_ptr<RedisClient> client)
    : connection_(std::move(client)) {}

bool RedisAdminReader::Workers(const std::string& prefix, const std::string& queue,
                               std::vector<ClientEntry>& out, std::string& error) {
  std::lock_guard lock(mutex_);
  // On a cluster, the workers are connected to the node that holds the queue's keys (they block
  // on its marker key), as the collector counts them.
  auto replies =
      connection_->Pipeline({{"CLIENT", "LIST"}}, error, {prefix + ":" + queue + ":marker"});
  if (!replies) return false;
  const Reply& list = (*replies)[0];
  if (list.IsError() || list.type != Reply::Type::kString) {
    error = "CLIENT LIST: " + (list.IsError() ? list.str : std::string("unexpected reply"));
    return false;
  }
  out = WorkerEntries(list.str, prefix, queue, kMaxWorkersListed);
  return true;
}

bool RedisAdminReader::FailedJobs(const std::string& prefix, const std::string& queue, int limit,
                                  std::vector<FailedJob>& out, std::string& error) {
  std::lock_guard lock(mutex_);
  const std::string base = prefix + ":" + queue + ":";
  auto ids = connection_->Pipeline(
      {{"ZREVRANGE", base + "failed", "0", std::to_string(std::max(limit, 1) - 1)}}, error);
  if (!ids) return false;
  if ((*ids)[0].IsError()) {
    error = "ZREVRANGE: " + (*ids)[0].str;
    return false;
  }
  std::vector<Command> reads;
  for (const auto& id : (*ids)[0].elements) {
    Command c = {"HMGET", base + id.str};
    c.insert(c.end(), FailedJobFields().begin(), FailedJobFields().end());
    reads.push_back(std::move(c));
  }
  out.clear();
  if (reads.empty()) return true;
  auto jobs = connection_->Pipeline(reads, error);
  if (!jobs) return false;
  for (std::size_t i = 0; i < jobs->size(); ++i) {
    if ((*jobs)[i].IsError()) {
      error = "HMGET: " + (*jobs)[i].str;
      return false;
    }
    if (auto job = ParseFailedJob((*ids)[0].elements[i].str, (*jobs)[i])) out.push_back(*job);
  }
  return true;
}

std::vector<ClientEntry> WorkerEntries(std::string_view client_list, std::string_view prefix,
                                       std::string_view queue, std::size_t max) {
  const std::string unnamed = WorkerConnectionName(prefix, queue);
  const std::string named = unnamed + ":w:";
  std::vector<ClientEntry> out;
  std::size_t pos = 0;
  while (pos < client_list.size() && out.size() < max) {
    std::size_t eol = client_list.find('\n', pos);
    if (eol == std::string_view::npos) eol = client_list.size();
    std::string_view line = client_list.substr(pos, eol - pos);
    pos = eol + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ClientEntry entry;
    std::string raw_name;
    bool has_name = false;
    for (std::size_t start = 0; start <= line.size();) {
      std::size_t end = line.find(' ', start);
      if (end == std::string_view::npos) end = line.size();
      const std::string_view kv = line.substr(start, end - start);
      const auto eq = kv.find('=');
      // As JavaScript's substring(0, -1): a field without '=' has an empty key.
      std::string key(eq == std::string_view::npos ? "" : kv.substr(0, eq));
      std::string value(eq == std::string_view::npos ? kv : kv.substr(eq + 1));
      if (key == "name") raw_name = value, has_name = true;
      auto same = std::find_if(entry.begin(), entry.end(), [&](auto& f) { return f.first == key; });
      if (same != entry.end()) {
        same->second = std::move(value);  // a repeated key keeps its first place, last value
      } else {
        entry.emplace_back(std::move(key), std::move(value));
      }
      start = end + 1;
    }
    if (!has_name || raw_name.empty()) continue;
    if (raw_name != unnamed && !raw_name.starts_with(named)) continue;
    for (auto& [key, value] : entry) {
      if (key == "name") value = std::string(queue);
    }
    entry.emplace_back("rawname", raw_name);
    out.push_back(std::move(entry));
  }
  return out;
}

const std::vector<std::string>& FailedJobFields() {
  static const std::vector<std::string> kFields = {
      "name", "failedReason", "attemptsMade", "atm", "timestamp", "finishedOn", "stacktrace"};
  return kFields;
}

std::optional<FailedJob> ParseFailedJob(const std::string& id, const Reply& hmget) {
  bool any = false;
  for (std::size_t i = 0; i < FailedJobFields().size(); ++i) any = any || Field(hmget, i);
  if (!any) return std::nullopt;
  auto text = [&](std::size_t i) { return Field(hmget, i) ? *Field(hmget, i) : std::string(); };
  auto number = [&](std::size_t i) -> std::optional<long long> {
    return Field(hmget, i) ? ParseIntPrefix(*Field(hmget, i)) : std::nullopt;
  };
  FailedJob job;
  job.id = id;
  job.name = text(0);
  job.failed_reason = text(1);
  // parseInt(json.attemptsMade || json.atm || '0'): the first non-empty one.
  const std::string attempts = !text(2).empty() ? text(2) : text(3);
  job.attempts_made = ParseIntPrefix(attempts).value_or(0);
  job.timestamp = number(4);
  job.finished_on = number(5);
  job.stack_first_line = LatestStackFirstLine(text(6));
  return job;
}

std::string LatestStackFirstLine(std::string_view stacktrace_json) {
  const auto traces = nlohmann::json::parse(stacktrace_json, nullptr, false);
  if (!traces.is_array() || traces.empty() || !traces.back().is_string()) return "";
  const std::string& latest = traces.back().get_ref<const std::string&>();
  return latest.substr(0, latest.find('\n'));
}

}  // namespace cerniq::collect::redis

#include "collect/redis/workers.h"

namespace cerniq::collect::redis {

std::string Base64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                 (static_cast<unsigned char>(in[i + 1]) << 8) |
                 static_cast<unsigned char>(in[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  size_t rest = in.size() - i;
  if (rest == 1) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += "==";
  } else if (rest == 2) {
    unsigned v =
        (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

std::vector<std::string> ClientNames(std::string_view client_list) {
  std::vector<std::string> names;
  size_t pos = 0;
  while (pos < client_list.size()) {
    size_t eol = client_list.find('\n', pos);
    if (eol == std::string_view::npos) eol = client_list.size();
    std::string_view line = client_list.substr(pos, eol - pos);
    pos = eol + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    // Fields are space-separated `key=value`; a client name cannot contain spaces.
    size_t field = 0;
    while (field < line.size()) {
      size_t end = line.find(' ', field);
      if (end == std::string_view::npos) end = line.size();
      std::string_view kv = line.substr(field, end - field);
      if (kv.starts_with("name=")) {
        names.emplace_back(kv.substr(5));
        break;
      }
      field = end + 1;
    }
  }
  return names;
}

std::string WorkerConnectionName(std::string_view prefix, std::string_view queue) {
  return std::string(prefix) + ":" + Base64(queue);
}

std::vector<int> CountWorkers(const std::vector<std::string>& client_names,
                              const std::map<std::string, size_t, std::less<>>& queues,
                              size_t queue_count) {
  std::vector<int> counts(queue_count, 0);
  for (const std::string& name : client_names) {
    if (name.empty()) continue;
    if (auto it = queues.find(name); it != queues.end()) {
      ++counts[it->second];
      continue;
    }
    // `<base>:w:<worker name>`: try every ":w:" since the worker name may contain one too.
    for (size_t p = name.find(":w:"); p != std::string::npos; p = name.find(":w:", p + 1)) {
      std::string_view base(name.data(), p);
      if (auto it = queues.find(base); it != queues.end()) {
        ++counts[it->second];
        break;
      }
    }
  }
  return counts;
}

}  // namespace cerniq::collect::redis

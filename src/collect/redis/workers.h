#pragma once
// BullMQ worker detection from CLIENT LIST. A Worker's blocking connection is named
// `<prefix>:<base64(queue)>`, or `<prefix>:<base64(queue)>:w:<name>` with the Worker `name`
// option; `...:qe` (QueueEvents) and unnamed connections are not workers.

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cerniq::collect::redis {

// Standard base64 with padding, as Node's Buffer.toString('base64').
std::string Base64(std::string_view in);

// The `name=` field of each line of a CLIENT LIST reply (empty names included).
std::vector<std::string> ClientNames(std::string_view client_list);

// The connection name prefix BullMQ gives workers of a queue.
std::string WorkerConnectionName(std::string_view prefix, std::string_view queue);

// Counts worker connections per queue. `queues` maps WorkerConnectionName(prefix, queue) to an
// index; the result has one count per index.
std::vector<int> CountWorkers(const std::vector<std::string>& client_names,
                              const std::map<std::string, size_t, std::less<>>& queues,
                              size_t queue_count);

}  // namespace cerniq::collect::redis

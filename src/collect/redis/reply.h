#pragma once
// A Redis command (argv) and a parsed reply, shared by every way of reaching Redis.

#include <optional>
#include <string>
#include <vector>

namespace cerniq::collect::redis {

struct Reply {
  enum class Type { kNil, kString, kInteger, kArray, kStatus, kError };
  Type type = Type::kNil;
  std::string str;  // string, status or error text
  long long integer = 0;
  std::vector<Reply> elements;

  bool IsError() const { return type == Type::kError; }
  // Integer replies, or strings holding an integer (GET of a counter); nullopt otherwise.
  std::optional<long long> AsInteger() const;
  std::optional<double> AsDouble() const;
};

using Command = std::vector<std::string>;

}  // namespace cerniq::collect::redis

#pragma once
// Structured logging in logfmt or JSON on stderr, as Prometheus exporters do
// (`--log.level`, `--log.format`). Thread-safe; one line per call.

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace cerniq::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };
enum class Format { kLogfmt, kJson };

// Returns false for an unknown name.
bool ParseLevel(std::string_view name, Level& out);
bool ParseFormat(std::string_view name, Format& out);
void Configure(Level min_level, Format format);

using Fields = std::initializer_list<std::pair<std::string_view, std::string_view>>;
void Write(Level level, std::string_view msg, Fields fields = {});

inline void Debug(std::string_view msg, Fields f = {}) { Write(Level::kDebug, msg, f); }
inline void Info(std::string_view msg, Fields f = {}) { Write(Level::kInfo, msg, f); }
inline void Warn(std::string_view msg, Fields f = {}) { Write(Level::kWarn, msg, f); }
inline void Error(std::string_view msg, Fields f = {}) { Write(Level::kError, msg, f); }

// Formats one line without writing it (unit-tested).
std::string FormatLine(Format format, std::string_view ts, Level level, std::string_view msg,
                       Fields fields);

}  // namespace cerniq::log

#pragma once
// Checkpoints of a HistoryStore plus an opaque blob of the caller's (the evaluator's alert
// state), so a restart keeps history and `for` clocks.
//
// Format, little-endian, version 1:
//   header:  "CERNIQHS" (8 bytes), version u32, CRC-32 of the previous 12 bytes (u32)
//   section: kind u8, length u32, payload[length], CRC-32 of kind, length and payload (u32)
//     kind 1 series: label count u32, (name length u32, name, value length u32, value)...,
//                    chunk count u32, (chunk length u32, XOR chunk bytes)...
//     kind 2 blob:   the caller's bytes (exactly one)
//     kind 3 end:    series count u64; nothing may follow
// Series come in strictly increasing label order. Every count and length read is checked
// against the bytes left, so a damaged file cannot cause a large allocation.
#include <cstdint>
#include <string>
#include <string_view>

#include "tsdb/history_store.h"

namespace cerniq::tsdb {

inline constexpr uint32_t kCheckpointVersion = 1;

struct CheckpointResult {
  bool ok = true;
  bool missing = false;  // no file at the path (not a corruption)
  std::string error;     // what went wrong
  uint64_t offset = 0;   // where in the file, for a file that failed to read
  // "<path>: <error> at offset <n>" (or without the offset for I/O errors).
  std::string message;
};

// Writes to "<path>.tmp" in the same directory, fsyncs it, renames it over `path` and fsyncs
// the directory, so `path` always holds a whole checkpoint.
CheckpointResult WriteCheckpoint(const HistoryStore& store, const std::string& path,
                                 std::string_view blob);

// Replaces the store's content and `blob` with the checkpoint's. On any error the store and
// blob are left untouched.
CheckpointResult ReadCheckpoint(HistoryStore& store, const std::string& path, std::string* blob);

// Parses checkpoint bytes (what ReadCheckpoint does after reading the file).
CheckpointResult ParseCheckpoint(std::string_view data, std::vector<SeriesSnapshot>* series,
                                 std::string* blob);

// Renames a bad checkpoint to "<path>.corrupt-<unix ms>" so the next start does not trip on it
// and an operator can inspect it. Returns the new path, or empty with `error` set.
std::string SetAsideCorrupt(const std::string& path, int64_t now_ms, std::string* error);

}  // namespace cerniq::tsdb

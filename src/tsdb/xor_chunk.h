#pragma once
// Gorilla-style chunks with Prometheus's XOR encoding (tsdb/chunkenc/xor.go): a 2-byte
// big-endian sample count, then a bit stream. First sample: timestamp as varint, value as raw
// 64 bits. Second: timestamp delta as uvarint, value XORed with the first. Later ones:
// delta-of-delta in buckets of 0 / 14 / 17 / 20 / 64 bits, values XORed with the previous and
// written with the previous leading/trailing zero counts when they fit. Every float, NaN
// payloads included, round-trips bit for bit.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "tsdb/bit_stream.h"

namespace cerniq::tsdb {

inline constexpr size_t kChunkHeaderBytes = 2;
// Prometheus caps an XOR chunk at 1024 bytes; a chunk is cut before an append could pass it.
inline constexpr size_t kMaxChunkBytes = 1024;
inline constexpr size_t kMaxSampleBytes = 19;
inline constexpr int kMaxChunkSamples = 0xffff;

class XorChunk {
 public:
  XorChunk() : bytes_(kChunkHeaderBytes, 0) {}
  // Takes encoded bytes (as Bytes() returned them) without checking them; XorAppender and
  // XorIterator report a malformed stream.
  explicit XorChunk(std::vector<uint8_t> bytes) : bytes_(std::move(bytes)) {}

  int NumSamples() const;
  std::span<const uint8_t> Bytes() const { return bytes_; }
  size_t CapacityBytes() const { return bytes_.capacity(); }
  void Compact() { bytes_.shrink_to_fit(); }

 private:
  friend class XorAppender;
  std::vector<uint8_t> bytes_;
  uint8_t free_bits_ = 0;  // unwritten low bits of the last byte
};

// Decodes a chunk's samples in order. Next() is false at the end or on a malformed stream
// (then error() is set); it never reads outside the chunk.
class XorIterator {
 public:
  explicit XorIterator(std::span<const uint8_t> bytes);
  bool Next();
  int64_t t() const { return s_.t; }
  double v() const { return std::bit_cast<double>(s_.v_bits); }
  bool error() const { return error_; }
  // Writes the remaining samples with mint <= t <= maxt to t[0..] and v[0..], which have room
  // for remaining() samples, returns how many, and stops at the first after maxt (Next() is
  // then false); the same samples as a Next() loop, decoded faster.
  size_t DecodeInto(int64_t mint, int64_t maxt, int64_t* t, double* v);
  int remaining() const { return total_ - read_; }
  size_t bits_read() const { return reader_.position(); }
  size_t bits_total() const { return reader_.size_bits(); }

  // What the decoder carries from one sample to the next.
  struct State {
    int64_t t = 0;
    uint64_t delta = 0;
    uint64_t v_bits = 0;
    uint8_t leading = 0xff;  // 0xff: no value window yet
    uint8_t trailing = 0;
  };

 private:
  friend class XorAppender;
  bool ReadFirstOrSecond();  // the two samples before delta-of-delta encoding starts

  BitReader reader_;
  int total_ = 0;
  int read_ = 0;
  State s_;
  bool error_ = false;
};

// Appends to one chunk. Opening an appender on a non-empty chunk decodes it to learn the
// encoder's state; that fails (ok() false, `error` set) when the chunk is malformed, so a chunk
// read from a file is checked before anything is appended to it.
class XorAppender {
 public:
  explicit XorAppender(XorChunk* chunk);
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  // The caller keeps timestamps increasing and the chunk below kMaxChunkSamples.
  void Append(int64_t t, double v);
  int64_t last_t() const { return t_; }

 private:
  void WriteValue(uint64_t v_bits);

  XorChunk* chunk_;
  int64_t t_ = 0;
  uint64_t delta_ = 0;
  uint64_t v_bits_ = 0;
  uint8_t leading_ = 0xff;
  uint8_t trailing_ = 0;
  std::string error_;
};

}  // namespace cerniq::tsdb

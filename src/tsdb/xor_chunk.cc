#include "tsdb/xor_chunk.h"

#include <algorithm>
#include <bit>

namespace cerniq::tsdb {
namespace {

uint64_t BitsOf(double v) { return std::bit_cast<uint64_t>(v); }

// Whether x fits the signed bucket of `bits` bits as Prometheus defines it:
// -(2^(bits-1) - 1) <= x <= 2^(bits-1).
bool FitsBucket(int64_t x, int bits) {
  int64_t half = int64_t{1} << (bits - 1);
  return -(half - 1) <= x && x <= half;
}

}  // namespace

int XorChunk::NumSamples() const {
  if (bytes_.size() < kChunkHeaderBytes) return 0;
  return (bytes_[0] << 8) | bytes_[1];
}

XorIterator::XorIterator(std::span<const uint8_t> bytes)
    : reader_(bytes.size() >= kChunkHeaderBytes ? bytes.subspan(kChunkHeaderBytes)
                                                : std::span<const uint8_t>()) {
  if (bytes.size() < kChunkHeaderBytes) {
    error_ = true;
    return;
  }
  total_ = (bytes[0] << 8) | bytes[1];
}

inline bool XorIterator::ReadTimestamp() {
  if (read_ == 0) return reader_.ReadVarint(&t_);
  if (read_ == 1) {
    if (!reader_.ReadUvarint(&delta_)) return false;
    t_ = static_cast<int64_t>(static_cast<uint64_t>(t_) + delta_);
    return true;
  }
  // The bucket prefix: up to four 1 bits, ended by a 0 unless there are four.
  const int prefix = std::min(std::countl_one(reader_.Peek64()), 4);
  const int prefix_bits = prefix < 4 ? prefix + 1 : 4;
  if (reader_.bits_left() < static_cast<size_t>(prefix_bits)) return false;
  reader_.Skip(prefix_bits);
  static constexpr int kBucketBits[] = {0, 14, 17, 20, 64};
  int size = kBucketBits[prefix];
  int64_t dod = 0;
  if (size > 0) {
    uint64_t raw;
    if (!reader_.ReadBits(size, &raw)) return false;
    if (size < 64 && raw > (uint64_t{1} << (size - 1))) raw -= uint64_t{1} << size;
    dod = static_cast<int64_t>(raw);
  }
  delta_ += static_cast<uint64_t>(dod);
  t_ = static_cast<int64_t>(static_cast<uint64_t>(t_) + delta_);
  return true;
}

inline bool XorIterator::ReadValue() {
  if (read_ == 0) {
    if (!reader_.ReadBits(64, &v_bits_)) return false;
    v_ = std::bit_cast<double>(v_bits_);
    return true;
  }
  // Control bits: 0 = same value; 10 = XOR in the previous window; 11 = a new window.
  if (reader_.bits_left() == 0) return false;
  const uint64_t control = reader_.Peek64();
  if ((control >> 63) == 0) {
    reader_.Skip(1);
    return true;
  }
  if (reader_.bits_left() < 2) return false;
  reader_.Skip(2);
  if ((control >> 62) & 1) {
    uint64_t window;
    if (!reader_.ReadBits(11, &window)) return false;
    uint64_t leading = window >> 6, significant = window & 63;
    if (significant == 0) significant = 64;
    if (leading + significant > 64) return false;
    leading_ = static_cast<uint8_t>(leading);
    trailing_ = static_cast<uint8_t>(64 - leading - significant);
  } else if (leading_ == 0xff) {
    return false;  // reuses a window that was never set
  }
  uint64_t xored;
  if (!reader_.ReadBits(64 - leading_ - trailing_, &xored)) return false;
  v_bits_ ^= xored << trailing_;
  v_ = std::bit_cast<double>(v_bits_);
  return true;
}

inline bool XorIterator::Step() {
  if (error_ || read_ == total_) return false;
  if (!ReadTimestamp() || !ReadValue()) {
    error_ = true;
    return false;
  }
  ++read_;
  return true;
}

bool XorIterator::Next() { return Step(); }

void XorIterator::DecodeInto(int64_t mint, int64_t maxt, std::vector<int64_t>* t,
                             std::vector<double>* v) {
  // Written by index into room made up front (no capacity check per sample), trimmed after.
  const size_t base = t->size(), room = static_cast<size_t>(total_ - read_);
  t->resize(base + room);
  v->resize(base + room);
  int64_t* t_out = t->data() + base;
  double* v_out = v->data() + base;
  size_t n = 0;
  while (Step()) {
    if (t_ < mint) continue;
    if (t_ > maxt) {
      read_ = total_;  // past maxt: the rest is not wanted
      break;
    }
    t_out[n] = t_;
    v_out[n] = v_;
    ++n;
  }
  t->resize(base + n);
  v->resize(base + n);
}

XorAppender::XorAppender(XorChunk* chunk) : chunk_(chunk) {
  if (chunk->bytes_.size() < kChunkHeaderBytes) {
    error_ = "chunk shorter than its header";
    return;
  }
  if (chunk->NumSamples() == 0) {
    if (chunk->bytes_.size() != kChunkHeaderBytes) error_ = "empty chunk with trailing bytes";
    chunk->free_bits_ = 0;
    return;
  }
  XorIterator it(chunk->Bytes());
  while (it.Next()) {
  }
  if (it.error()) {
    error_ = "malformed chunk: stream ends before sample " + std::to_string(it.read_ + 1) + " of " +
             std::to_string(it.total_);
    return;
  }
  size_t unused = it.bits_total() - it.bits_read();
  if (unused >= 8) {
    error_ = "malformed chunk: " + std::to_string(unused / 8) + " bytes after the last sample";
    return;
  }
  chunk->free_bits_ = static_cast<uint8_t>(unused);
  t_ = it.t_;
  delta_ = it.delta_;
  v_bits_ = it.v_bits_;
  leading_ = it.leading_;
  trailing_ = it.trailing_;
}

void XorAppender::Append(int64_t t, double v) {
  auto& bytes = chunk_->bytes_;
  int n = chunk_->NumSamples();
  BitWriter w(&bytes, &chunk_->free_bits_);
  uint64_t delta = static_cast<uint64_t>(t) - static_cast<uint64_t>(t_);
  if (n == 0) {
    w.WriteVarint(t);
    w.WriteBits(BitsOf(v), 64);
    v_bits_ = BitsOf(v);
  } else if (n == 1) {
    w.WriteUvarint(delta);
    WriteValue(BitsOf(v));
  } else {
    int64_t dod = static_cast<int64_t>(delta - delta_);
    if (dod == 0) {
      w.WriteBit(false);
    } else if (FitsBucket(dod, 14)) {
      w.WriteBits(0b10, 2);
      w.WriteBits(static_cast<uint64_t>(dod), 14);
    } else if (FitsBucket(dod, 17)) {
      w.WriteBits(0b110, 3);
      w.WriteBits(static_cast<uint64_t>(dod), 17);
    } else if (FitsBucket(dod, 20)) {
      w.WriteBits(0b1110, 4);
      w.WriteBits(static_cast<uint64_t>(dod), 20);
    } else {
      w.WriteBits(0b1111, 4);
      w.WriteBits(static_cast<uint64_t>(dod), 64);
    }
    WriteValue(BitsOf(v));
  }
  t_ = t;
  delta_ = n == 0 ? 0 : delta;
  ++n;
  bytes[0] = static_cast<uint8_t>(n >> 8);
  bytes[1] = static_cast<uint8_t>(n);
}

void XorAppender::WriteValue(uint64_t v_bits) {
  BitWriter w(&chunk_->bytes_, &chunk_->free_bits_);
  uint64_t xored = v_bits ^ v_bits_;
  v_bits_ = v_bits;
  if (xored == 0) {
    w.WriteBit(false);
    return;
  }
  w.WriteBit(true);
  // Leading zeros are written in 5 bits, so at most 31 are counted.
  uint8_t leading = static_cast<uint8_t>(std::min(std::countl_zero(xored), 31));
  uint8_t trailing = static_cast<uint8_t>(std::countr_zero(xored));
  if (leading_ != 0xff && leading >= leading_ && trailing >= trailing_) {
    w.WriteBit(false);
    w.WriteBits(xored >> trailing_, 64 - leading_ - trailing_);
    return;
  }
  leading_ = leading;
  trailing_ = trailing;
  int significant = 64 - leading - trailing;
  w.WriteBit(true);
  w.WriteBits(leading, 5);
  w.WriteBits(significant == 64 ? 0 : significant, 6);  // 64 does not fit: written as 0
  w.WriteBits(xored >> trailing, significant);
}

}  // namespace cerniq::tsdb

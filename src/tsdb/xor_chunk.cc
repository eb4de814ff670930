#include "tsdb/xor_chunk.h"

#include <algorithm>
#include <bit>
#include <cstring>

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

namespace {

constexpr int kBucketBits[] = {0, 14, 17, 20, 64};
// The most bits a sample after the second takes: 4 + 64 (timestamp), 2 + 11 + 64 (value).
constexpr size_t kMaxLaterSampleBits = 145;
// Zero bytes after a stream copied for unchecked reads: a whole sample that starts inside the
// stream, and the 9 bytes Peek64Unchecked loads at its last read.
constexpr size_t kStreamPadding = (kMaxLaterSampleBits + 7) / 8 + 9;

template <bool kChecked>
uint64_t Peek(const BitReader& r) {
  if constexpr (kChecked) return r.Peek64();
  return r.Peek64Unchecked();
}

// A value after the first. Control bits: 0 = same value; 10 = XOR in the previous window;
// 11 = a new window (5 bits leading zeros, 6 bits significant, 0 meaning 64).
template <bool kChecked>
inline bool DecodeLaterValue(BitReader& r, XorIterator::State& s) {
  const uint64_t control = Peek<kChecked>(r);
  if ((control >> 63) == 0) {
    if (kChecked && r.bits_left() < 1) return false;
    r.Skip(1);
    return true;
  }
  if ((control >> 62) & 1) {
    if (kChecked && r.bits_left() < 13) return false;
    const uint64_t leading = (control >> 57) & 31;
    uint64_t significant = (control >> 51) & 63;
    if (significant == 0) significant = 64;
    if (leading + significant > 64) return false;
    s.leading = static_cast<uint8_t>(leading);
    s.trailing = static_cast<uint8_t>(64 - leading - significant);
    r.Skip(13);
  } else {
    if (s.leading == 0xff) return false;  // reuses a window that was never set
    if (kChecked && r.bits_left() < 2) return false;
    r.Skip(2);
  }
  const int significant = 64 - s.leading - s.trailing;  // 1..64
  if (kChecked && r.bits_left() < static_cast<size_t>(significant)) return false;
  s.v_bits ^= (Peek<kChecked>(r) >> (64 - significant)) << s.trailing;
  r.Skip(significant);
  return true;
}

// A sample after the second: the delta of deltas in a bucket given by a prefix of up to four
// 1 bits (ended by a 0 unless there are four), then the value. False when the stream ends
// inside it (kChecked) or is malformed.
template <bool kChecked>
inline bool DecodeLaterSample(BitReader& r, XorIterator::State& s) {
  const uint64_t word = Peek<kChecked>(r);
  if ((word >> 63) == 0) {  // the same interval as before: the usual case
    if (kChecked && r.bits_left() < 1) return false;
    r.Skip(1);
  } else {
    const int prefix = std::min(std::countl_one(word), 4);
    const int prefix_bits = prefix < 4 ? prefix + 1 : 4;
    const int size = kBucketBits[prefix];
    if (kChecked && r.bits_left() < static_cast<size_t>(prefix_bits + size)) return false;
    r.Skip(prefix_bits);
    uint64_t raw = Peek<kChecked>(r) >> (64 - size);
    r.Skip(size);
    if (size < 64 && raw > (uint64_t{1} << (size - 1))) raw -= uint64_t{1} << size;
    s.delta += raw;
  }
  s.t = static_cast<int64_t>(static_cast<uint64_t>(s.t) + s.delta);
  return DecodeLaterValue<kChecked>(r, s);
}

// Any sample, bounds-checked; `index` counts the samples decoded before it.
bool DecodeSample(BitReader& r, XorIterator::State& s, int index) {
  if (index >= 2) return DecodeLaterSample<true>(r, s);
  if (index == 0) return r.ReadVarint(&s.t) && r.ReadBits(64, &s.v_bits);
  if (!r.ReadUvarint(&s.delta)) return false;
  s.t = static_cast<int64_t>(static_cast<uint64_t>(s.t) + s.delta);
  return DecodeLaterValue<true>(r, s);
}

}  // namespace

bool XorIterator::Next() {
  if (error_ || read_ == total_) return false;
  if (!DecodeSample(reader_, s_, read_)) {
    error_ = true;
    return false;
  }
  ++read_;
  return true;
}

size_t XorIterator::DecodeInto(int64_t mint, int64_t maxt, int64_t* t_out, double* v_out) {
  size_t n = 0;
  // Stores the sample just decoded when it is within [mint, maxt]; false past maxt, where the
  // rest is not wanted.
  auto keep = [&](int64_t t, uint64_t v_bits) {
    if (t < mint) return true;
    if (t > maxt) return false;
    t_out[n] = t;
    v_out[n] = std::bit_cast<double>(v_bits);
    ++n;
    return true;
  };
  while (read_ < 2 && Next()) {
    if (!keep(s_.t, s_.v_bits)) {
      read_ = total_;
      return n;
    }
  }
  if (error_ || read_ == total_) return n;
  // The rest is read without bounds checks from a copy with kStreamPadding zero bytes after
  // the stream: a sample takes at most kMaxLaterSampleBits, so one that runs past the end is
  // caught after it, still inside the padding. The loop works on local copies of the state,
  // which stay in registers (stores to the output could alias the members).
  const auto stream = reader_.data();
  uint8_t local[kMaxChunkBytes + kStreamPadding];
  std::vector<uint8_t> large;  // only for a stream longer than any chunk we cut
  uint8_t* padded = local;
  if (stream.size() + kStreamPadding > sizeof local) {
    large.resize(stream.size() + kStreamPadding);
    padded = large.data();
  }
  std::memcpy(padded, stream.data(), stream.size());
  std::memset(padded + stream.size(), 0, kStreamPadding);
  BitReader r(std::span<const uint8_t>(padded, stream.size() + kStreamPadding));
  r.Skip(static_cast<int>(reader_.position()));
  const size_t end_bits = reader_.size_bits();
  State s = s_;
  int read = read_;
  for (; read < total_; ++read) {
    if (!DecodeLaterSample<false>(r, s) || r.position() > end_bits) {
      error_ = true;
      break;
    }
    if (!keep(s.t, s.v_bits)) {
      read = total_;
      break;
    }
  }
  if (!error_) reader_.Skip(static_cast<int>(r.position() - reader_.position()));
  s_ = s;
  read_ = read;
  return n;
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
  t_ = it.s_.t;
  delta_ = it.s_.delta;
  v_bits_ = it.s_.v_bits;
  leading_ = it.s_.leading;
  trailing_ = it.s_.trailing;
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

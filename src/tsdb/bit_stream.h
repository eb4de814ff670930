#pragma once
// Bit-level writing and reading, most significant bit first, as the XOR chunks need them.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

namespace cerniq::tsdb {

// Appends bits to a byte vector it does not own. `free_bits` is how many low bits of the last
// byte are still unwritten (0 when the stream ends on a byte boundary).
class BitWriter {
 public:
  BitWriter(std::vector<uint8_t>* bytes, uint8_t* free_bits) : bytes_(bytes), free_(free_bits) {}
  void WriteBit(bool bit);
  void WriteBits(uint64_t value, int count);  // the `count` low bits of value, high bit first
  void WriteUvarint(uint64_t value);          // Go's binary.PutUvarint, bit-aligned
  void WriteVarint(int64_t value);            // Go's binary.PutVarint (zigzag)

 private:
  std::vector<uint8_t>* bytes_;
  uint8_t* free_;
};

// Reads bits from a span; every read past the end fails (returns false) instead of crashing,
// because chunks are also read back from checkpoint files. Reads take up to 64 bits at once
// from a big-endian word (the bytes past the end read as zeros, and are never returned).
class BitReader {
 public:
  explicit BitReader(std::span<const uint8_t> data) : data_(data) {}
  bool ReadBit(bool* bit) {
    if (pos_ >= size_bits()) return false;
    *bit = (data_[pos_ >> 3] >> (7 - (pos_ & 7))) & 1;
    ++pos_;
    return true;
  }
  bool ReadBits(int count, uint64_t* value) {  // count in 1..64
    if (count < 1 || count > 64 || size_bits() - pos_ < static_cast<size_t>(count)) return false;
    *value = Peek64() >> (64 - count);
    pos_ += static_cast<size_t>(count);
    return true;
  }
  // The next 64 bits (zeros past the end) without consuming them, and a skip of `count` bits
  // (the caller checked they are there with bits_left()).
  uint64_t Peek64() const {
    size_t byte = pos_ >> 3;
    unsigned shift = static_cast<unsigned>(pos_ & 7);
    uint64_t word = LoadBigEndian(byte);
    if (shift == 0) return word;
    uint64_t next = byte + 8 < data_.size() ? data_[byte + 8] : 0;
    return (word << shift) | (next >> (8 - shift));
  }
  // Peek64 for a caller that knows at least 9 bytes are left from the current byte on: one
  // unaligned load, a byte swap and shifts, no bounds check.
  uint64_t Peek64Unchecked() const {
    const uint8_t* p = data_.data() + (pos_ >> 3);
    const unsigned shift = static_cast<unsigned>(pos_ & 7);
    uint64_t word;
    std::memcpy(&word, p, 8);
    if constexpr (std::endian::native == std::endian::little) word = __builtin_bswap64(word);
    // The next byte's top `shift` bits, shifted so that shift 0 adds nothing.
    return (word << shift) | ((uint64_t{p[8]} << shift) >> 8);
  }
  void Skip(int count) { pos_ += static_cast<size_t>(count); }
  size_t bits_left() const { return size_bits() - pos_; }
  bool ReadUvarint(uint64_t* value);
  bool ReadVarint(int64_t* value);
  size_t position() const { return pos_; }  // in bits
  std::span<const uint8_t> data() const { return data_; }
  size_t size_bits() const { return data_.size() * 8; }

 private:
  uint64_t LoadBigEndian(size_t byte) const {
    uint64_t word = 0;
    if (byte + 8 <= data_.size()) {
      std::memcpy(&word, data_.data() + byte, 8);
      if constexpr (std::endian::native == std::endian::little) word = __builtin_bswap64(word);
      return word;
    }
    for (size_t i = 0; i < 8; ++i)
      word = (word << 8) | (byte + i < data_.size() ? data_[byte + i] : 0);
    return word;
  }

  std::span<const uint8_t> data_;
  size_t pos_ = 0;
};

}  // namespace cerniq::tsdb

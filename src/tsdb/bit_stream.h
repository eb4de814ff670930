#pragma once
// Bit-level writing and reading, most significant bit first, as the XOR chunks need them.
#include <cstddef>
#include <cstdint>
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
// because chunks are also read back from checkpoint files.
class BitReader {
 public:
  explicit BitReader(std::span<const uint8_t> data) : data_(data) {}
  bool ReadBit(bool* bit);
  bool ReadBits(int count, uint64_t* value);  // count in 1..64
  bool ReadUvarint(uint64_t* value);
  bool ReadVarint(int64_t* value);
  size_t position() const { return pos_; }  // in bits
  size_t size_bits() const { return data_.size() * 8; }

 private:
  std::span<const uint8_t> data_;
  size_t pos_ = 0;
};

}  // namespace cerniq::tsdb

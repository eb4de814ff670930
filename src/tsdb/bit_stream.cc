#include "tsdb/bit_stream.h"

#include <algorithm>

namespace cerniq::tsdb {

void BitWriter::WriteBit(bool bit) {
  if (*free_ == 0) {
    bytes_->push_back(0);
    *free_ = 8;
  }
  --*free_;
  if (bit) bytes_->back() |= static_cast<uint8_t>(1u << *free_);
}

void BitWriter::WriteBits(uint64_t value, int count) {
  while (count > 0) {
    if (*free_ == 0) {
      bytes_->push_back(0);
      *free_ = 8;
    }
    int take = std::min<int>(count, *free_);
    uint64_t chunk = (value >> (count - take)) & ((uint64_t{1} << take) - 1);
    *free_ = static_cast<uint8_t>(*free_ - take);
    bytes_->back() |= static_cast<uint8_t>(chunk << *free_);
    count -= take;
  }
}

void BitWriter::WriteUvarint(uint64_t value) {
  while (value >= 0x80) {
    WriteBits((value & 0x7f) | 0x80, 8);
    value >>= 7;
  }
  WriteBits(value, 8);
}

void BitWriter::WriteVarint(int64_t value) {
  uint64_t zigzag = static_cast<uint64_t>(value) << 1;
  if (value < 0) zigzag = ~zigzag;
  WriteUvarint(zigzag);
}

bool BitReader::ReadUvarint(uint64_t* value) {
  uint64_t out = 0;
  for (int shift = 0; shift < 70; shift += 7) {  // at most 10 bytes, as Go's ReadUvarint
    uint64_t byte;
    if (!ReadBits(8, &byte)) return false;
    if (shift == 63 && byte > 1) return false;  // overflows 64 bits
    out |= (byte & 0x7f) << shift;
    if (byte < 0x80) {
      *value = out;
      return true;
    }
  }
  return false;
}

bool BitReader::ReadVarint(int64_t* value) {
  uint64_t zigzag;
  if (!ReadUvarint(&zigzag)) return false;
  uint64_t x = zigzag >> 1;
  if (zigzag & 1) x = ~x;
  *value = static_cast<int64_t>(x);
  return true;
}

}  // namespace cerniq::tsdb

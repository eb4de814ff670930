#pragma once
// CRC-32 (IEEE 802.3, as zlib and Go's hash/crc32.ChecksumIEEE compute it).
#include <cstdint>
#include <string_view>

namespace cerniq::tsdb {

uint32_t Crc32(std::string_view data, uint32_t crc = 0);

}  // namespace cerniq::tsdb

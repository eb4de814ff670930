#pragma once
// Redis Cluster's key → hash slot mapping (cluster spec): CRC16-XMODEM of the key, or of its hash
// tag (the bytes between the first '{' and the next '}', when not empty), modulo 16384.

#include <cstdint>
#include <string_view>

namespace cerniq::collect::redis {

inline constexpr int kClusterSlots = 16384;

std::uint16_t Crc16Xmodem(std::string_view bytes);
int KeySlot(std::string_view key);

}  // namespace cerniq::collect::redis

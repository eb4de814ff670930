#include "tsdb/checkpoint.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "promql/value.h"
#include "tsdb/crc32.h"

namespace cerniq::tsdb {
namespace {

namespace fs = std::filesystem;
using promql::Labels;

class CheckpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("tsdb_checkpoint_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "history.ckpt").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  static void FillSmall(HistoryStore& store) {
    Labels a{{"__name__", "up"}, {"job", "x"}}, b{{"__name__", "queue_waiting"}, {"q", "e5"}};
    for (int i = 0; i < 6; ++i) {
      store.Append(a, 1000 + i * 5000LL, 1);
      store.Append(b, 1000 + i * 5003LL, i * 1.5);
    }
    store.Append(b, 40'000, promql::StaleNaN());
  }
  static std::string Read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  void Write(const std::string& data) { std::ofstream(path_, std::ios::binary) << data; }

  static std::string Dump(const HistoryStore& store) {
    std::string out;
    for (const auto& s : store.Snapshot(INT64_MIN, INT64_MAX)) {
      out += s.labels.String();
      for (const auto& c : s.chunks)
        out += " [" + std::to_string(c.min_t) + "," + std::to_string(c.max_t) + "]" +
               std::string(reinterpret_cast<const char*>(c.data->Bytes().data()),
                           c.data->Bytes().size());
      out += "\n";
    }
    return out;
  }

  fs::path dir_;
  std::string path_;
};

TEST(Crc32, KnownVector) { EXPECT_EQ(Crc32("123456789"), 0xcbf43926u); }

TEST_F(CheckpointTest, RoundTripsSeriesChunksAndBlob) {
  HistoryStore store;
  for (int i = 0; i < 400; ++i)
    for (int s = 0; s < 3; ++s)
      store.Append(Labels{{"__name__", "x"}, {"s", std::to_string(s)}}, i * 5000LL + s,
                   i % (s + 2));
  std::string blob("alert state \0 with zero", 23);
  auto w = WriteCheckpoint(store, path_, blob);
  ASSERT_TRUE(w.ok) << w.message;
  EXPECT_FALSE(fs::exists(path_ + ".tmp"));

  HistoryStore restored;
  std::string read_blob;
  auto r = ReadCheckpoint(restored, path_, &read_blob);
  ASSERT_TRUE(r.ok) << r.message;
  EXPECT_EQ(read_blob, blob);
  EXPECT_EQ(Dump(restored), Dump(store));
  // Appending goes on where the checkpoint ended, as it would have without a restart.
  for (int i = 400; i < 500; ++i)
    for (int s = 0; s < 3; ++s) {
      Labels l{{"__name__", "x"}, {"s", std::to_string(s)}};
      store.Append(l, i * 5000LL + s, i % (s + 2));
      restored.Append(l, i * 5000LL + s, i % (s + 2));
    }
  EXPECT_EQ(Dump(restored), Dump(store));
}

TEST_F(CheckpointTest, EveryTruncationIsAnError) {
  HistoryStore store;
  FillSmall(store);
  ASSERT_TRUE(WriteCheckpoint(store, path_, "state").ok);
  std::string data = Read(path_);
  ASSERT_GT(data.size(), 100u);
  for (size_t len = 0; len < data.size(); ++len) {
    std::vector<SeriesSnapshot> series;
    std::string blob;
    auto r = ParseCheckpoint(std::string_view(data).substr(0, len), &series, &blob);
    EXPECT_FALSE(r.ok) << len;
    EXPECT_LE(r.offset, len) << len << " " << r.error;
  }
  // Through the file API too, leaving the store untouched.
  Write(data.substr(0, data.size() / 2));
  HistoryStore target;
  FillSmall(target);
  std::string before = Dump(target), blob = "kept";
  auto r = ReadCheckpoint(target, path_, &blob);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("at offset"), std::string::npos) << r.message;
  EXPECT_EQ(Dump(target), before);
  EXPECT_EQ(blob, "kept");
}

TEST_F(CheckpointTest, EverySingleByteFlipIsAnError) {
  HistoryStore store;
  FillSmall(store);
  ASSERT_TRUE(WriteCheckpoint(store, path_, "state").ok);
  std::string data = Read(path_);
  for (size_t i = 0; i < data.size(); ++i)
    for (unsigned mask : {0x01u, 0x80u, 0xffu, 0x5au}) {
      std::string bad = data;
      bad[i] = static_cast<char>(bad[i] ^ mask);
      std::vector<SeriesSnapshot> series;
      std::string blob;
      auto r = ParseCheckpoint(bad, &series, &blob);
      EXPECT_FALSE(r.ok) << "byte " << i << " mask " << mask;
    }
}

TEST_F(CheckpointTest, EmptyForeignAndMissingFiles) {
  HistoryStore store;
  std::string blob;
  auto missing = ReadCheckpoint(store, path_, &blob);
  EXPECT_FALSE(missing.ok);
  EXPECT_TRUE(missing.missing);

  Write("");
  auto empty = ReadCheckpoint(store, path_, &blob);
  EXPECT_FALSE(empty.ok);
  EXPECT_FALSE(empty.missing);
  EXPECT_EQ(empty.error, "empty file");

  Write("\x89PNG\r\n\x1a\n and more bytes");
  auto foreign = ReadCheckpoint(store, path_, &blob);
  EXPECT_EQ(foreign.error, "not a cerniq history checkpoint (bad magic)");
  EXPECT_EQ(foreign.offset, 0u);
}

TEST_F(CheckpointTest, HugeLengthsAreRejectedWithoutAllocating) {
  std::string data = "CERNIQHS";
  data += std::string("\x01\x00\x00\x00", 4);
  uint32_t crc = Crc32(data);
  for (int i = 0; i < 4; ++i) data.push_back(static_cast<char>(crc >> (8 * i)));
  data += std::string("\x01\xf0\xff\xff\xff", 5) + "xxxx";
  std::vector<SeriesSnapshot> series;
  std::string blob;
  auto r = ParseCheckpoint(data, &series, &blob);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.offset, 17u);
  EXPECT_NE(r.error.find("runs past the end"), std::string::npos) << r.error;
}

TEST_F(CheckpointTest, UnsupportedVersionIsNamed) {
  std::string data = "CERNIQHS";
  data += std::string("\x07\x00\x00\x00", 4);
  uint32_t crc = Crc32(data);
  for (int i = 0; i < 4; ++i) data.push_back(static_cast<char>(crc >> (8 * i)));
  std::vector<SeriesSnapshot> series;
  std::string blob;
  auto r = ParseCheckpoint(data, &series, &blob);
  EXPECT_EQ(r.error, "unsupported version 7 (this build reads 1)");
  EXPECT_EQ(r.offset, 8u);
}

TEST_F(CheckpointTest, SetAsideRenamesTheBadFile) {
  Write("garbage");
  std::string error;
  std::string moved = SetAsideCorrupt(path_, 1234, &error);
  EXPECT_EQ(moved, path_ + ".corrupt-1234") << error;
  EXPECT_FALSE(fs::exists(path_));
  EXPECT_EQ(Read(moved), "garbage");
  Write("again");
  EXPECT_EQ(SetAsideCorrupt(path_, 1234, &error), path_ + ".corrupt-1234-1");
  EXPECT_EQ(SetAsideCorrupt(path_, 1234, &error), "");
  EXPECT_FALSE(error.empty());
}

TEST_F(CheckpointTest, WriteFailsCleanlyInAMissingDirectory) {
  HistoryStore store;
  auto r = WriteCheckpoint(store, (dir_ / "no" / "such" / "file").string(), "");
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("create"), std::string::npos) << r.message;
}

}  // namespace
}  // namespace cerniq::tsdb

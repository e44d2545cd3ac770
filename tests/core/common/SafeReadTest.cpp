// Reading untrusted files: only regular files, bounded sizes, bounded JSON nesting, and
// overflow-checked element counts. Each refusal must name the file and the limit.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "common/Error.hpp"
#include "common/SafeRead.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

namespace fs = std::filesystem;

void writeText(const fs::path& file, const std::string& text) {
  std::ofstream(file, std::ios::binary) << text;
}

std::string messageOf(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& error) {
    return error.what();
  }
  return "no error";
}

TEST(SafeRead, DeeplyNestedJsonIsRefusedWithTheDepthAndTheSource) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const auto message = messageOf([&] { parseJsonBounded(deep, "manifest.json"); });
  EXPECT_NE(message.find("manifest.json"), std::string::npos) << message;
  EXPECT_NE(message.find("deeper than 64"), std::string::npos) << message;
  EXPECT_NE(message.find("IMUWB_LIMIT_JSON_DEPTH"), std::string::npos) << message;
}

TEST(SafeRead, JsonAtTheDepthLimitParsesAndMatchesTheText) {
  const std::string atLimit = std::string(63, '[') + "1" + std::string(63, ']');
  auto document = parseJsonBounded(atLimit, "x");
  for (int level = 0; level < 63; ++level) document = document.at(0);
  EXPECT_EQ(document.get<int>(), 1);
}

TEST(SafeRead, InvalidJsonNamesTheByte) {
  const auto message = messageOf([&] { parseJsonBounded("{\"a\": [1, 2,}", "cfg.json"); });
  EXPECT_NE(message.find("cfg.json: byte 13"), std::string::npos) << message;
}

TEST(SafeRead, TheDepthLimitCanBeRaisedForOneRun) {
  const std::string deep = std::string(100, '[') + std::string(100, ']');
  ::setenv("IMUWB_LIMIT_JSON_DEPTH", "200", 1);
  EXPECT_NO_THROW(parseJsonBounded(deep, "x"));
  ::setenv("IMUWB_LIMIT_JSON_DEPTH", "many", 1);
  const auto message = messageOf([&] { parseJsonBounded(deep, "x"); });
  ::unsetenv("IMUWB_LIMIT_JSON_DEPTH");
  EXPECT_NE(message.find("IMUWB_LIMIT_JSON_DEPTH"), std::string::npos) << message;
  EXPECT_NE(message.find("'many'"), std::string::npos) << message;
}

TEST(SafeRead, AFifoIsRefusedWithoutBlocking) {
  test::TempDir dir;
  const auto fifo = dir / "model.onnx";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const auto message = messageOf([&] { readFileBounded(fifo, "model"); });
  EXPECT_NE(message.find("not a regular file"), std::string::npos) << message;
  EXPECT_NE(message.find(fifo.string()), std::string::npos) << message;
}

TEST(SafeRead, ADeviceAndAFolderAreRefused) {
  EXPECT_NE(messageOf([] { readFileBounded("/dev/zero", "CSV"); }).find("not a regular file"),
            std::string::npos);
  test::TempDir dir;
  EXPECT_NE(messageOf([&] { readFileBounded(dir.path(), "manifest"); }).find("is a folder"),
            std::string::npos);
}

TEST(SafeRead, AFileOverTheSizeLimitIsRefusedBeforeReading) {
  test::TempDir dir;
  const auto big = dir / "big.json";
  writeText(big, std::string(2048, ' ') + "{}");
  ::setenv("IMUWB_LIMIT_JSON_BYTES", "1024", 1);
  const auto message = messageOf([&] { loadJsonFile(big, "manifest"); });
  ::unsetenv("IMUWB_LIMIT_JSON_BYTES");
  EXPECT_NE(message.find("2050 bytes"), std::string::npos) << message;
  EXPECT_NE(message.find("1024"), std::string::npos) << message;
}

TEST(SafeRead, LoadJsonFileReturnsTheDocument) {
  test::TempDir dir;
  writeText(dir / "m.json", R"({"name": "enc", "shape": [1, 100, 9]})");
  const auto document = loadJsonFile(dir / "m.json", "manifest");
  EXPECT_EQ(document.at("name"), "enc");
  EXPECT_EQ(document.at("shape").at(2), 9);
}

TEST(SafeRead, CheckedProductRefusesOverflowAndLimit) {
  EXPECT_EQ(checkedProduct(100, 9, "x.npy", "shape"), 900u);
  const auto overflow =
      messageOf([] { checkedProduct(1ull << 40, 1ull << 40, "x.npy: header", "shape"); });
  EXPECT_NE(overflow.find("x.npy: header"), std::string::npos) << overflow;
  EXPECT_NE(overflow.find("1099511627776 x 1099511627776"), std::string::npos) << overflow;
  const auto overLimit = messageOf([] { checkedProduct(1000, 1000, "x.npy", "shape", 999'999); });
  EXPECT_NE(overLimit.find("999999"), std::string::npos) << overLimit;
}

}  // namespace
}  // namespace imuwb

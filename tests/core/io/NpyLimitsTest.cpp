// Hostile .npy headers: shapes whose element count overflows 64 bits (a signed overflow once
// turned them into a tiny count and a heap overflow), shapes over the tensor_elements limit,
// headers longer than the file, and pipes or devices instead of files. Each is an imuwb::Error
// naming the file, raised before any memory is reserved for the claimed size.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>

#include "common/Error.hpp"
#include "io/Npy.hpp"
#include "support/ErrorText.hpp"
#include "support/RawNpy.hpp"
#include "support/TestEnvironment.hpp"

namespace fs = std::filesystem;

namespace imuwb::io {
namespace {

using imuwb::test::TempDir;
using test::writeRawNpy;

using test::npyShapeDict;

using test::errorText;
using test::expectContains;

// The npy fuzzer's UBSan report: a bool array holding the byte 0x20 was loaded as a C++ bool.
// numpy reads any nonzero byte as True; the reader stores it as 1.
TEST(NpyLimits, BoolBytesOtherThanZeroOrOneReadAsTrue) {
  TempDir dir;
  const auto path =
      writeRawNpy(dir / "b.npy", npyShapeDict("(2, 2)", "|b1"), std::string("\x00\x01\x20\xff", 4));
  const auto array = readNpy(path);
  ASSERT_EQ(array.dtype, NpyDType::Bool);
  EXPECT_EQ(array.bytes,
            (std::vector<std::byte>{std::byte{0}, std::byte{1}, std::byte{1}, std::byte{1}}));
}

TEST(NpyLimits, AShapeWhoseCountOverflows64BitsIsRefused) {
  TempDir dir;
  // 2^33 * 2^32 = 2^65 values: wrapped to 0 it matched an empty data section.
  const auto path = writeRawNpy(dir / "wrap.npy", npyShapeDict("(8589934592, 4294967296)"));
  expectContains(errorText([&] { readNpy(path); }),
                 {"wrap.npy", "(8589934592, 4294967296)", "tensor_elements limit"});
  const auto wrapTo1 =
      writeRawNpy(dir / "wrap1.npy", npyShapeDict("(4294967297, 4294967295, 4294967297)"), "abcd");
  expectContains(errorText([&] { readNpy(wrapTo1); }), {"wrap1.npy", "tensor_elements limit"});
}

TEST(NpyLimits, ZeroDimensionsDoNotHideAHugeExtent) {
  TempDir dir;
  const auto path = writeRawNpy(dir / "empty_rows.npy", npyShapeDict("(4611686018427387904, 0)"));
  expectContains(errorText([&] { readNpy(path); }), {"empty_rows.npy", "tensor_elements limit"});
  const auto fine = writeRawNpy(dir / "empty.npy", npyShapeDict("(0, 9)"));
  const auto array = readNpy(fine);
  EXPECT_EQ(array.shape, (std::vector<std::int64_t>{0, 9}));
  EXPECT_TRUE(array.bytes.empty());
}

TEST(NpyLimits, AClaimedSizeLargerThanTheFileIsRefusedBeforeAllocation) {
  TempDir dir;
  // 10^9 floats claimed, 8 bytes present: refused from the file size, nothing reserved.
  const auto path = writeRawNpy(dir / "big.npy", npyShapeDict("(1000000000,)"), "12345678");
  expectContains(errorText([&] { readNpy(path); }),
                 {"big.npy", "truncated", "4000000000 data bytes", "holds 8"});
}

TEST(NpyLimits, TheLimitCanBeRaisedOrLoweredPerRun) {
  TempDir dir;
  const auto path = writeRawNpy(dir / "six.npy", npyShapeDict("(2, 3)"), std::string(24, '\0'));
  EXPECT_EQ(readNpy(path).bytes.size(), 24u);
  setenv("IMUWB_LIMIT_TENSOR_ELEMENTS", "5", 1);
  const auto text = errorText([&] { readNpy(path); });
  unsetenv("IMUWB_LIMIT_TENSOR_ELEMENTS");
  expectContains(text, {"six.npy", "limit of 5", "IMUWB_LIMIT_TENSOR_ELEMENTS"});
}

TEST(NpyLimits, AHeaderLongerThanTheFileIsRefused) {
  TempDir dir;
  const auto path = dir / "long_header.npy";
  std::ofstream(path, std::ios::binary).write("\x93NUMPY\x02\x00\xff\xff\xff\x00{", 13);
  expectContains(errorText([&] { readNpy(path); }), {"long_header.npy", "header is truncated"});
}

TEST(NpyLimits, MalformedShapesAreClearErrors) {
  TempDir dir;
  const struct {
    std::string shape, expected;
  } cases[] = {
      {"(-3, 4)", "negative dimension"},
      {"(99999999999999999999999,)", "not a tuple of integers"},
      {"(3, x)", "not a tuple of integers"},
  };
  for (const auto& c : cases) {
    const auto path = writeRawNpy(dir / "bad.npy", npyShapeDict(c.shape), std::string(48, '\0'));
    expectContains(errorText([&] { readNpy(path); }), {"bad.npy", c.expected});
  }
}

TEST(NpyLimits, PipesAndFoldersAreNotRead) {
  TempDir dir;
  const auto fifo = dir / "pipe.npy";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  expectContains(errorText([&] { readNpy(fifo); }), {"pipe.npy", "not a regular file"});
  fs::create_directory(dir / "folder.npy");
  expectContains(errorText([&] { readNpy(dir / "folder.npy"); }), {"folder.npy", "folder"});
  expectContains(errorText([&] { readNpy("/dev/zero"); }), {"/dev/zero", "not a regular file"});
}

TEST(NpyLimits, TheWriterRefusesAnOverflowingShape) {
  TempDir dir;
  const float value = 0.f;
  expectContains(errorText([&] {
                   writeNpy(dir / "w.npy", NpyDType::Float32, {1LL << 32, 1LL << 32}, &value);
                 }),
                 {"w.npy", "tensor_elements limit"});
  EXPECT_FALSE(fs::exists(dir / "w.npy"));
}

}  // namespace
}  // namespace imuwb::io

// NPY read/write against numpy itself: numpy loads what the writer writes with equal values, and
// the reader reads what numpy writes (every dtype, v1/v2/v3 headers). Bad files are errors.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "common/Error.hpp"
#include "io/Npy.hpp"
#include "support/TestEnvironment.hpp"

namespace fs = std::filesystem;

namespace imuwb::io {
namespace {

using imuwb::test::pythonPath;
using imuwb::test::runCommand;
using imuwb::test::shellQuote;
using imuwb::test::sourceDir;
using imuwb::test::TempDir;

nlohmann::json runNumpy(const std::string& mode, const fs::path& path) {
  const auto result =
      runCommand(shellQuote(pythonPath()) + " " +
                 shellQuote((sourceDir() / "tests/peers/npy_roundtrip.py").string()) + " " + mode +
                 " " + shellQuote(path.string()));
  EXPECT_EQ(result.exitCode, 0) << result.errors;
  return nlohmann::json::parse(result.output.empty() ? "{}" : result.output);
}

template <class T>
NpyArray makeArray(NpyDType dtype, std::vector<std::int64_t> shape, const std::vector<T>& values) {
  NpyArray array;
  array.dtype = dtype;
  array.shape = std::move(shape);
  array.bytes.resize(values.size() * sizeof(T));
  if (!values.empty()) std::memcpy(array.bytes.data(), values.data(), array.bytes.size());
  return array;
}

template <class T>
std::vector<T> valuesOf(const NpyArray& array) {
  std::vector<T> values(array.bytes.size() / sizeof(T));
  if (!values.empty()) std::memcpy(values.data(), array.bytes.data(), array.bytes.size());
  return values;
}

TEST(Npy, NumpyLoadsWhatTheWriterWrites) {
  IMUWB_REQUIRE_PYTHON_PEERS();
  TempDir dir;
  struct Case {
    std::string name;
    NpyArray array;
    std::string descr;
    std::vector<double> expected;
  };
  std::vector<Case> cases;
  cases.push_back(
      {"f4",
       makeArray<float>(NpyDType::Float32, {2, 3}, {1.5f, -2.25f, 3e-8f, 1e30f, 0.f, -0.f}),
       "<f4",
       {1.5, -2.25, double(3e-8f), double(1e30f), 0, 0}});
  cases.push_back({"f8",
                   makeArray<double>(NpyDType::Float64, {3}, {0.1, -1e300, 7.0}),
                   "<f8",
                   {0.1, -1e300, 7.0}});
  cases.push_back(
      {"i8",
       makeArray<std::int64_t>(NpyDType::Int64, {2, 2}, {1, -2, 1LL << 50, -(1LL << 60)}),
       "<i8",
       {1, -2, double(1LL << 50), double(-(1LL << 60))}});
  cases.push_back({"scalar", makeArray<float>(NpyDType::Float32, {}, {4.5f}), "<f4", {4.5}});
  cases.push_back({"empty", makeArray<float>(NpyDType::Float32, {0, 9}, {}), "<f4", {}});
  cases.push_back({"one_dim", makeArray<std::int64_t>(NpyDType::Int64, {1}, {42}), "<i8", {42}});
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const fs::path file = dir / (c.name + ".npy");
    writeNpy(file, c.array);
    const auto loaded = runNumpy("check", file);
    EXPECT_EQ(loaded["dtype"], c.descr);
    EXPECT_EQ(loaded["shape"].get<std::vector<std::int64_t>>(), c.array.shape);
    const auto values = loaded["values"].get<std::vector<double>>();
    ASSERT_EQ(values.size(), c.expected.size());
    for (std::size_t i = 0; i < values.size(); ++i) EXPECT_EQ(values[i], c.expected[i]) << i;
    // The header is padded so the data starts on a 64-byte boundary (numpy's convention).
    std::ifstream in(file, std::ios::binary);
    unsigned char preamble[10];
    in.read(reinterpret_cast<char*>(preamble), 10);
    EXPECT_EQ((10 + (preamble[8] | (preamble[9] << 8))) % 64, 0);
  }
}

TEST(Npy, ReadsWhatNumpyWritesInEveryDtypeAndHeaderVersion) {
  IMUWB_REQUIRE_PYTHON_PEERS();
  TempDir dir;
  const auto expected = runNumpy("write", dir.path());
  ASSERT_FALSE(expected.empty());
  const std::map<std::string, NpyDType> dtypes{
      {"<f4", NpyDType::Float32}, {"<f8", NpyDType::Float64}, {"<i8", NpyDType::Int64},
      {"<i4", NpyDType::Int32},   {"|b1", NpyDType::Bool},    {"|u1", NpyDType::Uint8}};
  for (const auto& [name, want] : expected.items()) {
    SCOPED_TRACE(name);
    const NpyArray array = readNpy(dir / (name + ".npy"));
    EXPECT_EQ(array.dtype, dtypes.at(want["dtype"].get<std::string>()));
    EXPECT_EQ(array.shape, want["shape"].get<std::vector<std::int64_t>>());
    const auto values = want["values"].get<std::vector<double>>();
    std::vector<double> got;
    switch (array.dtype) {
      case NpyDType::Float32:
        for (float v : valuesOf<float>(array)) got.push_back(v);
        break;
      case NpyDType::Float64:
        for (double v : valuesOf<double>(array)) got.push_back(v);
        break;
      case NpyDType::Int64:
        for (auto v : valuesOf<std::int64_t>(array)) got.push_back(double(v));
        break;
      case NpyDType::Int32:
        for (auto v : valuesOf<std::int32_t>(array)) got.push_back(v);
        break;
      case NpyDType::Bool:
        for (auto v : valuesOf<std::uint8_t>(array)) got.push_back(v);
        break;
      case NpyDType::Uint8:
        for (auto v : valuesOf<std::uint8_t>(array)) got.push_back(v);
        break;
      default:
        ADD_FAILURE() << "unexpected dtype";
    }
    EXPECT_EQ(got, values);
  }
  // The forced versions really are v2 and v3 files.
  for (int version : {2, 3}) {
    std::ifstream in(dir / ("v" + std::to_string(version) + ".npy"), std::ios::binary);
    char preamble[8];
    in.read(preamble, 8);
    EXPECT_EQ(preamble[6], version);
  }
}

template <class F>
void expectError(F fn, const std::string& fragment) {
  try {
    fn();
    ADD_FAILURE() << "no error for " << fragment;
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find(fragment), std::string::npos) << error.what();
  }
}

TEST(Npy, RejectsFortranOrderUnknownDtypesAndBadFiles) {
  IMUWB_REQUIRE_PYTHON_PEERS();
  TempDir dir;
  runNumpy("write", dir.path());
  expectError([&] { readNpy(dir / "fortran.npy"); }, "Fortran");
  expectError([&] { readNpy(dir / "big_endian.npy"); }, "'>f4' is not supported");
  expectError([&] { readNpy(dir / "complex.npy"); }, "'<c8' is not supported");
  // Truncated: drop the last bytes of a numpy file.
  std::ifstream in(dir / "f4.npy", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::ofstream(dir / "short.npy", std::ios::binary) << bytes.substr(0, bytes.size() - 7);
  expectError([&] { readNpy(dir / "short.npy"); }, "truncated");
  std::ofstream(dir / "header_cut.npy", std::ios::binary) << bytes.substr(0, 40);
  expectError([&] { readNpy(dir / "header_cut.npy"); }, "header is truncated");
  std::ofstream(dir / "extra.npy", std::ios::binary) << bytes << "junk";
  expectError([&] { readNpy(dir / "extra.npy"); }, "after the array data");
  std::ofstream(dir / "not.npy", std::ios::binary) << "hello, this is not numpy";
  expectError([&] { readNpy(dir / "not.npy"); }, "magic");
  std::string version9 = bytes;
  version9[6] = 9;
  std::ofstream(dir / "v9.npy", std::ios::binary) << version9;
  expectError([&] { readNpy(dir / "v9.npy"); }, "version 9");
  expectError([&] { readNpy(dir / "absent.npy"); }, "does not exist");
}

TEST(Npy, WriterNeverLeavesAHalfWrittenFile) {
  TempDir dir;
  NpyArray bad = makeArray<float>(NpyDType::Float32, {4}, {1, 2, 3});  // 3 values for 4
  EXPECT_THROW(writeNpy(dir / "bad.npy", bad), Error);
  EXPECT_FALSE(fs::exists(dir / "bad.npy"));
  const NpyArray good = makeArray<float>(NpyDType::Float32, {3}, {1, 2, 3});
  writeNpy(dir / "good.npy", good);
  const NpyArray back = readNpy(dir / "good.npy");
  EXPECT_EQ(back.shape, good.shape);
  EXPECT_EQ(back.bytes, good.bytes);
}

}  // namespace
}  // namespace imuwb::io

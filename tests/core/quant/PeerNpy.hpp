#pragma once
// Tiny float32 .npy writer/reader for exchanging arrays with the numpy peer in tests. Kept
// test-local on purpose: the product's NPY code (core/io/Npy) must not be what checks itself.
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/TestEnvironment.hpp"

namespace imuwb::test {

inline void writeNpyF32(const std::filesystem::path& path, const std::vector<std::int64_t>& shape,
                        const std::vector<float>& values) {
  std::string dims;
  for (auto d : shape) dims += std::to_string(d) + ",";
  if (shape.size() > 1) dims.pop_back();
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::ofstream out(path, std::ios::binary);
  out.write("\x93NUMPY\x01\x00", 8);
  const std::uint16_t len = static_cast<std::uint16_t>(header.size());
  out.write(reinterpret_cast<const char*>(&len), 2);
  out << header;
  out.write(reinterpret_cast<const char*>(values.data()),
            static_cast<std::streamsize>(values.size() * sizeof(float)));
}

// Reads a float32 C-order npy written by numpy (v1 header); returns the values.
inline std::vector<float> readNpyF32(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[8];
  in.read(magic, 8);
  std::uint16_t len = 0;
  in.read(reinterpret_cast<char*>(&len), 2);
  std::string header(len, ' ');
  in.read(header.data(), len);
  if (header.find("'<f4'") == std::string::npos) throw std::runtime_error("not <f4: " + header);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<float> values(bytes.size() / sizeof(float));
  std::memcpy(values.data(), bytes.data(), values.size() * sizeof(float));
  return values;
}

// Runs tests/peers/quant_reference.py on a spec; returns its JSON answer.
inline nlohmann::json runQuantPeer(const std::filesystem::path& dir, const nlohmann::json& spec) {
  const auto spec_path = dir / "spec.json";
  std::ofstream(spec_path) << spec.dump();
  const auto result =
      runCommand(shellQuote(pythonPath()) + " " +
                 shellQuote((sourceDir() / "tests/peers/quant_reference.py").string()) + " " +
                 shellQuote(spec_path.string()));
  if (result.exitCode != 0) throw std::runtime_error("peer failed: " + result.errors);
  return nlohmann::json::parse(result.output);
}

}  // namespace imuwb::test

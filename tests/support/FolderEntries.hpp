#pragma once
// The names in a folder, to assert that a failed write left nothing behind (no half file, no
// hidden temporary file).
#include <filesystem>
#include <set>
#include <string>

namespace imuwb::test {

inline std::set<std::string> folderEntries(const std::filesystem::path& folder) {
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(folder))
    names.insert(entry.path().filename().string());
  return names;
}

}  // namespace imuwb::test

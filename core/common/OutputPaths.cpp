#include "common/OutputPaths.hpp"

#include <sys/stat.h>

#include <system_error>

#include "common/Error.hpp"

namespace imuwb {
namespace fs = std::filesystem;
namespace {

// The path with symlinks and ".." resolved as far as it exists (the rest kept as written).
fs::path resolved(const fs::path& path) {
  std::error_code ec;
  fs::path absolute = fs::absolute(path, ec);
  if (ec) return path.lexically_normal();
  fs::path canonical = fs::weakly_canonical(absolute, ec);
  return ec ? absolute.lexically_normal() : canonical;
}

std::string quoted(const fs::path& path) {
  return "'" + path.string() + "'";
}

std::string named(const std::string& role, const fs::path& path) {
  return role + " " + quoted(path);
}

}  // namespace

bool sameFile(const fs::path& a, const fs::path& b) {
  struct stat first {
  }, second{};
  if (::stat(a.c_str(), &first) == 0 && ::stat(b.c_str(), &second) == 0)
    return first.st_dev == second.st_dev && first.st_ino == second.st_ino;
  return resolved(a) == resolved(b);
}

OutputPathCheck& OutputPathCheck::input(const fs::path& path, std::string role) {
  if (!path.empty()) inputs_.push_back({path, std::move(role)});
  return *this;
}

OutputPathCheck& OutputPathCheck::inputs(const std::vector<fs::path>& paths,
                                         const std::string& role) {
  for (const auto& path : paths) input(path, role);
  return *this;
}

OutputPathCheck& OutputPathCheck::output(const fs::path& path, std::string role) {
  if (!path.empty()) outputs_.push_back({path, std::move(role)});
  return *this;
}

OutputPathCheck& OutputPathCheck::outputFolder(const fs::path& folder,
                                               const std::vector<fs::path>& fileNames,
                                               const std::string& role) {
  if (folder.empty()) return *this;
  std::error_code ec;
  if (fs::exists(folder, ec) && !fs::is_directory(folder, ec))
    throw Error(folder.string(), role + " must be a folder, but this is a file",
                "choose a folder (it is created if missing) or remove the file");
  for (const auto& name : fileNames) output(folder / name, role + " " + folder.string());
  return *this;
}

void OutputPathCheck::enforce() const {
  for (std::size_t i = 0; i < outputs_.size(); ++i) {
    const Entry& out = outputs_[i];
    const std::string where = out.path.string();
    for (const Entry& in : inputs_)
      if (sameFile(out.path, in.path))
        throw Error(where,
                    named(out.role, out.path) + " is the same file as the input " +
                        named(in.role, in.path) + "; writing it would destroy the input",
                    "choose another path for " + out.role +
                        " (inputs are never overwritten, not even with --force)");
    for (std::size_t j = 0; j < i; ++j)
      if (sameFile(out.path, outputs_[j].path))
        throw Error(where,
                    named(out.role, out.path) + " and " +
                        named(outputs_[j].role, outputs_[j].path) +
                        " are the same file; one output would overwrite the other",
                    "give every output its own path");
    std::error_code ec;
    const auto status = fs::status(out.path, ec);
    if (fs::is_directory(status))
      throw Error(where, out.role + " is a folder, not a file", "give a file name for " + out.role);
    if (fs::exists(status) && !replaceExisting_)
      throw Error(where, "already exists (" + out.role + ")",
                  "choose another path, or pass --force to replace it");
  }
}

}  // namespace imuwb

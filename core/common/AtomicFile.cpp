#include "common/AtomicFile.hpp"

#include <unistd.h>
#include <atomic>
#include <string>
#include <system_error>

#include "common/Error.hpp"

namespace imuwb {

std::filesystem::path temporaryPathBeside(const std::filesystem::path& target) {
  static std::atomic<unsigned> counter{0};
  const auto directory =
      target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  return directory / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()) +
                      "-" + std::to_string(counter++));
}

void writeAtomically(const std::filesystem::path& target,
                     const std::function<void(const std::filesystem::path&)>& write) {
  namespace fs = std::filesystem;
  const fs::path directory = target.has_parent_path() ? target.parent_path() : fs::path(".");
  if (!fs::is_directory(directory))
    throw Error(target.string(), "the folder to write into does not exist",
                "create '" + directory.string() + "' first or choose another output path");
  const fs::path temp = temporaryPathBeside(target);
  try {
    write(temp);
    std::error_code ec;
    fs::rename(temp, target, ec);
    if (ec)
      throw Error(target.string(), "could not move the finished file into place: " + ec.message(),
                  "check free space and permissions of the output folder");
  } catch (...) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    throw;
  }
}

}  // namespace imuwb

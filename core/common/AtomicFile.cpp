#include "common/AtomicFile.hpp"

#include <atomic>
#include <string>
#include <system_error>
#include <unistd.h>

#include "common/Error.hpp"

namespace imuwb {

void writeAtomically(const std::filesystem::path& target,
                     const std::function<void(const std::filesystem::path&)>& write) {
  namespace fs = std::filesystem;
  static std::atomic<unsigned> counter{0};
  const fs::path directory = target.has_parent_path() ? target.parent_path() : fs::path(".");
  if (!fs::is_directory(directory))
    throw Error(target.string(), "the folder to write into does not exist",
                "create '" + directory.string() + "' first or choose another output path");
  const fs::path temp = directory / ("." + target.filename().string() + ".tmp-" +
                                     std::to_string(::getpid()) + "-" + std::to_string(counter++));
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

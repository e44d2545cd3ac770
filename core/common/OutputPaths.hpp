#pragma once
// The one output-path policy of every command that writes and of the GUI's save actions:
//  - an output must not be an input of the same command, nor another of its outputs, compared
//    after resolving symlinks and "..", and by device + inode so a hard link counts too;
//  - an output that already exists is replaced only when the user said so (--force in the CLI,
//    the overwrite confirmation of a save dialog in the GUI);
//  - an output cannot be a folder (nor a file where a folder is written into).
// Checked before any work starts, so a refused command writes nothing.
#include <filesystem>
#include <string>
#include <vector>

namespace imuwb {

class OutputPathCheck {
 public:
  // replaceExisting: the user allowed existing outputs to be replaced (--force).
  explicit OutputPathCheck(bool replaceExisting) : replaceExisting_(replaceExisting) {}

  // A file (or folder) the command reads; role names it in messages ("--session"). Empty paths
  // are ignored, so optional flags can be passed as they are.
  OutputPathCheck& input(const std::filesystem::path& path, std::string role);
  OutputPathCheck& inputs(const std::vector<std::filesystem::path>& paths, const std::string& role);
  // A file the command writes. Empty paths are ignored.
  OutputPathCheck& output(const std::filesystem::path& path, std::string role);
  // A folder the command writes files into (created if missing): every one of fileNames
  // (relative to folder) is an output; the folder itself may exist.
  OutputPathCheck& outputFolder(const std::filesystem::path& folder,
                                const std::vector<std::filesystem::path>& fileNames,
                                const std::string& role);

  // Throws imuwb::Error(where = the output, problem, fix) at the first violation.
  void enforce() const;

 private:
  struct Entry {
    std::filesystem::path path;
    std::string role;
  };
  bool replaceExisting_;
  std::vector<Entry> inputs_, outputs_;
};

// True when a and b name the same file: the same resolved path, or (both existing) the same
// device and inode (hard links, symlinks, bind mounts).
bool sameFile(const std::filesystem::path& a, const std::filesystem::path& b);

}  // namespace imuwb

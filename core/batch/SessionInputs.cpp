#include "batch/SessionInputs.hpp"

#include <glob.h>

#include <algorithm>
#include <fstream>
#include <set>

#include "common/Error.hpp"

namespace imuwb::batch {

namespace fs = std::filesystem;

bool isGlobPattern(const std::string& entry) {
  return entry.find_first_of("*?[") != std::string::npos;
}

namespace {

void addFolder(const fs::path& folder, std::vector<fs::path>& out) {
  std::vector<fs::path> found;
  std::error_code error;
  for (fs::recursive_directory_iterator
           it(folder, fs::directory_options::follow_directory_symlink, error),
       end;
       !error && it != end; it.increment(error)) {
    if (it->is_regular_file() && it->path().extension() == ".h5") found.push_back(it->path());
  }
  std::sort(found.begin(), found.end());
  out.insert(out.end(), found.begin(), found.end());
  if (error)
    throw Error(folder.string(), "cannot list the folder: " + error.message(),
                "check that it exists and is readable");
}

void addGlob(const std::string& pattern, const std::string& where, std::vector<fs::path>& out) {
  glob_t found{};
  const int status = ::glob(pattern.c_str(), 0, nullptr, &found);
  if (status == GLOB_NOMATCH || (status == 0 && found.gl_pathc == 0)) {
    globfree(&found);
    throw Error(where, "the pattern '" + pattern + "' matches no file",
                "check the pattern (quote it so the shell does not expand it first)");
  }
  if (status != 0) {
    globfree(&found);
    throw Error(where, "cannot expand the pattern '" + pattern + "'", "check the folders' access");
  }
  for (std::size_t i = 0; i < found.gl_pathc; ++i) {
    const fs::path match = found.gl_pathv[i];
    if (fs::is_directory(match)) {
      addFolder(match, out);
    } else {
      out.push_back(match);
    }
  }
  globfree(&found);
}

void addEntry(const std::string& entry, const std::string& where, std::vector<fs::path>& out) {
  if (isGlobPattern(entry)) {
    addGlob(entry, where, out);
  } else if (fs::is_directory(entry)) {
    addFolder(entry, out);
  } else {
    out.push_back(entry);  // a plain file: the job says so if it cannot be opened
  }
}

std::string trimmed(const std::string& line) {
  const auto hash = line.find('#');
  std::string text = hash == std::string::npos ? line : line.substr(0, hash);
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

void addList(const fs::path& list, std::vector<fs::path>& out) {
  std::ifstream in(list);
  if (!in)
    throw Error(list.string(), "cannot read the session list",
                "give a text file with one session path per line (--sessions)");
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const std::string entry = trimmed(line);
    if (entry.empty()) continue;
    const fs::path path =
        fs::path(entry).is_absolute() ? fs::path(entry) : list.parent_path() / entry;
    addEntry(path.string(), list.string() + ":" + std::to_string(number), out);
  }
}

}  // namespace

std::vector<fs::path> expandSessionInputs(const SessionInputSpec& spec, InputOrder order) {
  std::vector<fs::path> out;
  for (const auto& entry : spec.sessions) addEntry(entry, "--session " + entry, out);
  for (const auto& list : spec.lists) addList(list, out);
  for (auto& path : out) path = path.lexically_normal();
  const auto byPath = [](const fs::path& a, const fs::path& b) {
    return a.generic_string() < b.generic_string();
  };
  if (order == InputOrder::Sorted) {
    std::sort(out.begin(), out.end(), byPath);
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }
  std::vector<fs::path> unique;
  std::set<std::string> seen;
  for (auto& path : out)
    if (seen.insert(path.generic_string()).second) unique.push_back(std::move(path));
  return unique;
}

}  // namespace imuwb::batch

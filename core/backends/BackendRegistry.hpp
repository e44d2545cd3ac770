#pragma once
// Which backends exist, by name: one list shared by the CLI (--backend) and the GUI (a combo).
// No global state: callers build a registry with makeDefaultBackendRegistry() and pass it on.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "runtime/Backend.hpp"

namespace imuwb {

struct BackendEntry {
  std::string name;         // "cpu"
  std::string description;  // one line for --help and the GUI
  std::function<std::unique_ptr<Backend>(const BackendOptions&)> create;
  // Why this binary cannot create it, and the fix ("HailoRT 4.23.0 not found at configure
  // time; install hailort 4.23 and reconfigure"). Empty = available. An unavailable backend is
  // still listed (version, --help, the GUI), with the reason.
  std::string unavailable = {};
};

class BackendRegistry {
 public:
  // Throws std::logic_error on a duplicate name (a programming error).
  void add(BackendEntry entry);
  const std::vector<BackendEntry>& entries() const { return entries_; }
  std::vector<std::string> names() const;
  bool contains(const std::string& name) const;
  // Throws imuwb::Error listing the known names when name is unknown, and giving the reason
  // when the backend is not available in this build.
  std::unique_ptr<Backend> create(const std::string& name,
                                  const BackendOptions& options = {}) const;

 private:
  std::vector<BackendEntry> entries_;
};

// Every backend built into this binary. Each backend adds ONE registration line in
// BackendRegistry.cpp.
BackendRegistry makeDefaultBackendRegistry();

}  // namespace imuwb

#pragma once
// Results of model runs, kept per (session, model, backend, stride) so switching back to an
// earlier combination shows its outputs at once instead of re-running. Qt-free.
#include <cstddef>
#include <list>
#include <memory>
#include <string>
#include <utility>

#include "ModelOutputs.hpp"

namespace imuwb::widgets {

struct RunKey {
  std::string session;  // source path, or "memory:<id>" for sessions built in memory
  std::string model;    // sha256 of the ONNX (same bytes = same results), else its path
  std::string backend;  // registry name
  std::size_t strideSamples = 50;
  bool operator==(const RunKey&) const = default;
  std::string text() const;  // "session | model | backend | stride", for tooltips and logs
};

class RunResultCache {
 public:
  explicit RunResultCache(std::size_t capacity = 8) : capacity_(capacity) {}
  // The stored result, refreshed as most recently used; nullptr when absent.
  std::shared_ptr<const ModelOutputs> find(const RunKey& key);
  // Stores (replacing an equal key), evicting the least recently used beyond capacity.
  void insert(const RunKey& key, std::shared_ptr<const ModelOutputs> outputs);
  void clear() { entries_.clear(); }
  std::size_t size() const { return entries_.size(); }

 private:
  std::size_t capacity_;
  std::list<std::pair<RunKey, std::shared_ptr<const ModelOutputs>>> entries_;  // front = newest
};

}  // namespace imuwb::widgets

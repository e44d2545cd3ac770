#include "RunResultCache.hpp"

namespace imuwb::widgets {

std::string RunKey::text() const {
  return session + " | " + model + " | " + backend + " | stride " + std::to_string(strideSamples);
}

std::shared_ptr<const ModelOutputs> RunResultCache::find(const RunKey& key) {
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->first == key) {
      entries_.splice(entries_.begin(), entries_, it);
      return entries_.front().second;
    }
  }
  return nullptr;
}

void RunResultCache::insert(const RunKey& key, std::shared_ptr<const ModelOutputs> outputs) {
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->first == key) {
      entries_.erase(it);
      break;
    }
  }
  entries_.emplace_front(key, std::move(outputs));
  while (entries_.size() > capacity_) entries_.pop_back();
}

}  // namespace imuwb::widgets

// The fake's process-wide state: injected statuses, the per-frame delay, the output
// quantization of the fake HEFs, and what the last run received.
#include "FakeState.hpp"

#include <cstdlib>
#include <sstream>

namespace hailort_fake {

FakeState& state() {
  static FakeState instance;
  return instance;
}

hailo_status statusFromName(const std::string& name) {
  static const char* const names[] = {
#define HAILO_STATUS__X(value, name) #name,
      HAILO_STATUS_VARIABLES
#undef HAILO_STATUS__X
  };
  for (int i = 0; i < HAILO_STATUS_COUNT; ++i)
    if (name == names[i]) return static_cast<hailo_status>(i);
  return HAILO_INVALID_ARGUMENT;
}

void reset() {
  auto& s = state();
  std::lock_guard lock(s.mutex);
  s.faults.clear();
  s.delay = std::chrono::milliseconds(0);
  s.quantization.clear();
  s.lastInput.clear();
  s.frames = 0;
}

void injectStatus(const std::string& call, hailo_status status) {
  auto& s = state();
  std::lock_guard lock(s.mutex);
  s.faults[call] = status;
}

void setInferenceDelay(std::chrono::milliseconds delay) {
  auto& s = state();
  std::lock_guard lock(s.mutex);
  s.delay = delay;
}

void setOutputQuantization(const std::string& originalName, std::vector<hailo_quant_info_t> infos) {
  auto& s = state();
  std::lock_guard lock(s.mutex);
  s.quantization[originalName] = std::move(infos);
}

std::vector<float> lastInputFrame() {
  auto& s = state();
  std::lock_guard lock(s.mutex);
  return s.lastInput;
}

std::size_t framesRun() {
  auto& s = state();
  std::lock_guard lock(s.mutex);
  return s.frames;
}

hailo_status injected(const std::string& call) {
  auto& s = state();
  {
    std::lock_guard lock(s.mutex);
    auto found = s.faults.find(call);
    if (found != s.faults.end()) return found->second;
  }
  // IMUWB_FAKE_HAILORT_STATUS="call=HAILO_NAME,call=HAILO_NAME"
  if (const char* spec = std::getenv("IMUWB_FAKE_HAILORT_STATUS")) {
    std::stringstream entries(spec);
    std::string entry;
    while (std::getline(entries, entry, ',')) {
      const auto equals = entry.find('=');
      if (equals != std::string::npos && entry.substr(0, equals) == call)
        return statusFromName(entry.substr(equals + 1));
    }
  }
  return HAILO_SUCCESS;
}

std::chrono::milliseconds delay() {
  auto& s = state();
  {
    std::lock_guard lock(s.mutex);
    if (s.delay.count() > 0) return s.delay;
  }
  if (const char* text = std::getenv("IMUWB_FAKE_HAILORT_DELAY_MS"))
    return std::chrono::milliseconds(std::atoll(text));
  return std::chrono::milliseconds(0);
}

std::vector<hailo_quant_info_t> outputQuantization(const std::string& originalName) {
  auto& s = state();
  std::lock_guard lock(s.mutex);
  auto found = s.quantization.find(originalName);
  if (found != s.quantization.end()) return found->second;
  const float scale = 1.0f / 32.0f;
  return {hailo_quant_info_t{128.0f, scale, -128.0f * scale, 127.0f * scale}};
}

void recordFrame(std::vector<float> input) {
  auto& s = state();
  std::lock_guard lock(s.mutex);
  s.lastInput = std::move(input);
  ++s.frames;
}

}  // namespace hailort_fake

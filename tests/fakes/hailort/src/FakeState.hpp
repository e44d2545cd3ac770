#pragma once
// Internal to the fake: the state FakeControl.hpp's hooks set and the fake classes read.
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "hailort_fake/FakeControl.hpp"

namespace hailort_fake {

struct FakeState {
  std::mutex mutex;
  std::map<std::string, hailo_status> faults;
  std::chrono::milliseconds delay{0};
  std::map<std::string, std::vector<hailo_quant_info_t>> quantization;
  std::vector<float> lastInput;
  std::size_t frames = 0;
};

FakeState& state();
// HAILO_SUCCESS, or the status injected for `call` (hook first, then the environment).
hailo_status injected(const std::string& call);
std::chrono::milliseconds delay();
std::vector<hailo_quant_info_t> outputQuantization(const std::string& originalName);
void recordFrame(std::vector<float> input);

}  // namespace hailort_fake

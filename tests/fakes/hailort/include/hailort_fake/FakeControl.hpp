#pragma once
// The test hooks of the HailoRT fake (tests/fakes/hailort): what a real device would decide
// (its latency, its HEF's quantization) and the failures a real HailoRT can return. Not part
// of HailoRT; only tests include it. The same faults can be set from the environment for a
// process the test starts (the CLI):
//   IMUWB_FAKE_HAILORT_STATUS="VDevice::create=HAILO_OUT_OF_PHYSICAL_DEVICES,run=HAILO_TIMEOUT"
//   IMUWB_FAKE_HAILORT_DELAY_MS=250
#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "hailo/hailort.h"

namespace hailort_fake {

// Restores the defaults: no faults, no delay, default quantization, counters at zero.
void reset();

// Makes `call` return `status` until reset(). Calls: "VDevice::create", "create_infer_model",
// "configure", "create_bindings", "set_buffer", "run", "run_async", "wait_for_async_ready",
// "AsyncInferJob::wait".
void injectStatus(const std::string& call, hailo_status status);

// Time the "device" spends per frame. A run() or wait() with a shorter timeout returns
// HAILO_TIMEOUT after waiting out the timeout, as HailoRT does.
void setInferenceDelay(std::chrono::milliseconds delay);

// The quantization the fake HEF holds for the output whose original (ONNX) name is given: one
// entry = per tensor, one entry per feature = per channel. UINT8 outputs are quantized with it
// (round half to even, saturated to 0..255) and get_quant_infos() reports it. Default: one
// entry, qp_zp 128, qp_scale 1/32.
void setOutputQuantization(const std::string& originalName, std::vector<hailo_quant_info_t> infos);

// The last input frame a run received, in the bytes' order (the HEF's NHWC), as floats.
std::vector<float> lastInputFrame();
// Frames computed since reset().
std::size_t framesRun();
// The status names the fake parses from IMUWB_FAKE_HAILORT_STATUS ("HAILO_TIMEOUT" -> 4).
hailo_status statusFromName(const std::string& name);

}  // namespace hailort_fake

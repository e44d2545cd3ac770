#pragma once
// What a job can ask of a backend that emulates quantization (the int8 backend), without
// depending on the backends library: its parameters, its model, and the input clipping it saw.
// Jobs reach it through Backend::quantizedView().
#include <cstdint>

#include "engine/OnnxModel.hpp"
#include "quant/QuantParams.hpp"

namespace imuwb::quant {

class QuantizedBackendView {
 public:
  virtual ~QuantizedBackendView() = default;
  virtual const QuantParams& quantParams() const = 0;
  virtual const engine::OnnxModel& quantizedModel() const = 0;
  // Input values quantized since load, and how many of them clipped.
  virtual std::uint64_t inputValuesSeen() const = 0;
  virtual std::uint64_t inputValuesClipped() const = 0;
};

}  // namespace imuwb::quant

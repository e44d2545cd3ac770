#pragma once
// The CPU FP32 reference engine: an OnnxModel planned once, then run on batches of windows.
//
//   OnnxModel model = loadOnnxModel("encoder.onnx");
//   InferenceSession session(model, {.threads = 2, .taps = {"/conv3/Conv_output_0"}});
//   RunResult result = session.run({{"imu_window", windows}});   // windows: [N,100,9]
//
// Inputs carry a leading window dimension N. A model exported with batch 1 still takes N
// windows per call: the planner treats the leading dimension as the batch where that is sound
// (checked per value against the batch-1 plan) and otherwise runs window by window, saying so
// in plan().batchNote. Work is split over windows across `threads` workers; when there are
// fewer windows than threads, kernels split their own work instead.
//
// A session is not re-entrant: call run()/runInto() from one thread at a time (it uses its own
// worker threads inside). Use one session per calling thread for concurrent runs.
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/OnnxModel.hpp"
#include "engine/Tensor.hpp"

namespace imuwb::engine {

// A float activation handed to ActivationHook: modify `values` in place to fake-quantize it,
// or read it to collect statistics. shape[0] is the number of windows in this chunk.
struct ActivationView {
  std::string_view name;  // the ONNX tensor name
  int valueId = -1;       // stable small integer per tensor name (see InferenceSession::valueId)
  std::span<const std::int64_t> shape;
  std::span<float> values;
};
// Called after every planned step for each float output it produces, and for each float graph
// input before the first step. With threads > 1 it is called concurrently from several workers
// (each on its own chunk of windows): make it thread-safe or use threads = 1.
using ActivationHook = std::function<void(const ActivationView&)>;

// A constant weight feeding Conv / Gemm / MatMul, as handed to WeightHook at plan time.
struct WeightSite {
  std::string name;           // initializer name (unchanged even when BatchNorm was folded into it)
  std::string nodeName;       // the consuming ONNX node
  std::string opType;         // "Conv", "Gemm", "MatMul"
  int inputIndex = 1;         // 1 = weight, 2 = bias
  int outputChannelAxis = 0;  // the axis a per-channel quantizer should keep
  std::vector<std::string> fusedNodes;  // nodes folded into this weight (BatchNormalization...)
};
// Called once per weight when the session is built, after fusion and constant folding.
// Modify the tensor in place (same shape and dtype) to quantize it.
using WeightHook = std::function<void(const WeightSite&, Tensor& weight)>;

struct SessionOptions {
  int threads = 1;  // 0 = all hardware threads
  // Intermediate tensors to capture by ONNX name. Tapped tensors are never fused away.
  std::vector<std::string> taps;
  bool tapAll = false;  // capture every intermediate float tensor (disables fusion)
  // Largest N accepted by run() (0 = no limit). Windows go through in chunks of chunkWindows
  // so activations stay in cache.
  std::int64_t maxBatch = 0;
  std::int64_t chunkWindows = 16;
  bool enableFusion = true;
  std::set<std::string> keepUnfused;  // ONNX node names that must stay separate steps
  ActivationHook activationHook;      // empty = zero cost
  WeightHook weightHook;
};

// One step of the execution plan, in order.
struct PlanStep {
  std::string name;                       // the ONNX node name of the step's main node
  std::string opType;                     // main node op type ("Conv")
  std::vector<std::string> inputs;        // runtime inputs (constants excluded)
  std::vector<std::string> outputs;       // ONNX tensor names produced
  std::vector<std::string> coveredNodes;  // every ONNX node this step computes (fusions)
  std::string fusion;                     // "" or e.g. "Conv+BatchNormalization+Relu"
};

struct PlanInfo {
  std::vector<PlanStep> steps;
  std::vector<std::string> foldedNodes;  // nodes evaluated once at plan time (constant folding)
  std::vector<std::string> aliasNodes;   // Reshape/Flatten/Squeeze/... that only relabel memory
  // Tensor name -> name of the step that fused it away. Tap such a tensor to keep it.
  std::vector<std::pair<std::string, std::string>> fusedAwayTensors;
  bool batched = true;    // false: the leading dim could not be treated as a batch
  std::string batchNote;  // why not, naming the node
};

// How run() ran the inputs it was given.
enum class RunMode {
  // The inputs have the model's declared shapes (a symbolic batch taken as given): the graph ran
  // as ONNX defines it, outputs in the shapes it computes. A split into batches may have been
  // used where the planner proved it exact (identical results).
  AsDeclared,
  // N windows of a batch-1 or symbolic-batch model, in batches the planner proved exact.
  Batched,
  // N windows of a batch-1 model that cannot be batched: each window ran as declared, and the
  // outputs are stacked along a leading window dimension.
  WindowByWindow,
};
std::string_view runModeName(RunMode mode);  // "as declared", "batched", "window by window"

struct RunResult {
  std::vector<NamedTensor> outputs;  // in model output order (leading dim N unless AsDeclared)
  std::vector<NamedTensor> taps;     // in request order (tapAll: plan order)
  double seconds = 0.0;
  RunMode mode = RunMode::AsDeclared;
};

class InferenceSession {
 public:
  // Plans the model; throws imuwb::Error for unsupported ops (naming node, op and the supported
  // list), unresolvable dynamic dimensions, unknown tap names, bad shapes.
  InferenceSession(const OnnxModel& model, SessionOptions options = {});
  ~InferenceSession();
  InferenceSession(InferenceSession&&) noexcept;
  InferenceSession& operator=(InferenceSession&&) noexcept;

  // Runs the inputs, by name (order free). Inputs with the declared shapes run as the model
  // says. A model with a symbolic or batch-1 leading dimension also takes N windows: each
  // windowed input [N, declared dims after the first] (see RunMode). Throws imuwb::Error.
  RunResult run(const std::vector<NamedTensor>& inputs);
  // Same, reusing result's tensors when their shapes already fit (no allocation in steady state).
  // Inputs in the order of inputNames().
  void runInto(std::span<const Tensor* const> inputs, RunResult& result);

  // Which run() will do for inputs of these shapes (in inputNames() order); throws imuwb::Error
  // when they fit the model in no way.
  RunMode runModeFor(std::span<const Tensor* const> inputs) const;
  // Per input (inputNames() order): it carries the windows first when running N windows.
  const std::vector<bool>& windowedInputs() const;

  const std::vector<ValueInfo>& inputInfos() const;
  const std::vector<ValueInfo>& outputInfos() const;
  std::vector<std::string> inputNames() const;
  std::vector<std::string> outputNames() const;
  std::vector<std::string> tapNames() const;
  const PlanInfo& plan() const;
  int threads() const;
  // Small integer per tensor name (as ActivationView::valueId), -1 when unknown.
  int valueId(std::string_view tensorName) const;
  std::size_t valueCount() const;
  const std::string& valueName(int valueId) const;

  // The op types the kernel registry supports, sorted.
  static std::vector<std::string> supportedOps();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace imuwb::engine

#pragma once
// The kernel interface and registry. The planner knows no op by name: for every node it looks up
// a factory by op type and asks it to prepare a kernel for the node's attributes and the input
// shapes of one batch size. Factories live one op family per file under kernels/.
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/Error.hpp"
#include "engine/Tensor.hpp"

namespace onnx {
class NodeProto;
class TensorProto;
}  // namespace onnx

namespace imuwb::engine {

class ThreadPool;

// Read-only access to a node's attributes.
class NodeAttributes {
 public:
  explicit NodeAttributes(const onnx::NodeProto* node = nullptr) : node_(node) {}
  bool has(const std::string& name) const;
  std::int64_t getInt(const std::string& name, std::int64_t fallback) const;
  float getFloat(const std::string& name, float fallback) const;
  std::string getString(const std::string& name, const std::string& fallback) const;
  std::vector<std::int64_t> getInts(const std::string& name) const;  // empty when absent
  std::vector<float> getFloats(const std::string& name) const;
  const onnx::TensorProto* getTensor(const std::string& name) const;  // nullptr when absent

 private:
  const void* find(const std::string& name) const;
  const onnx::NodeProto* node_;
};

// An activation folded into the producing kernel (Conv+Relu, Conv+BN+Clip...).
struct FusedActivation {
  enum class Kind { None, Relu, Clip, LeakyRelu } kind = Kind::None;
  float minValue = -std::numeric_limits<float>::infinity();
  float maxValue = std::numeric_limits<float>::infinity();
  float alpha = 0.01f;
  // Applies in place to count floats.
  void apply(float* values, std::int64_t count) const;
};

// A node as the planner hands it to a factory.
struct NodeSpec {
  std::string name;
  std::string opType;
  std::int64_t opset = 0;
  const onnx::NodeProto* proto = nullptr;
  NodeAttributes attributes;
  FusedActivation activation;  // only Conv honours it (the planner fuses nothing else)
  // Conv only: a fused Slice(starts=0, step=1) on the last axis (the TCN "chomp"); the conv
  // computes only columns [0, cropEnd) (Slice semantics: negative counts from the end).
  bool hasCrop = false;
  std::int64_t cropEnd = 0;
  std::string where;  // "model.onnx: node 'name' (Op)" for errors
};

struct TensorMeta {
  bool present = true;  // false for an omitted optional input ("")
  DType dtype = DType::Float32;
  Shape shape;
  const Tensor* constant = nullptr;  // value known at plan time, else nullptr
  // A graph input: its values are known when a plan is made for one run's inputs (runValue),
  // else only at run time.
  bool graphInput = false;
  const Tensor* runValue = nullptr;
};

// Thrown at plan time when a kernel needs the values of a graph input (Reshape's shape, Slice's
// starts, ReduceSum's axes given as model inputs): the session then plans for each run's inputs.
class NeedsRunValues : public Error {
 public:
  using Error::Error;
};

// What a kernel sees at run time. Data pointers are fixed for the plan's lifetime.
struct TensorView {
  DType dtype = DType::Float32;
  Shape shape;
  void* data = nullptr;
  std::int64_t count = 0;
  template <class T>
  T* as() const {
    return static_cast<T*>(data);
  }
};

class PrepareContext {
 public:
  PrepareContext(const NodeSpec& node, std::vector<TensorMeta> inputs, std::size_t outputCount)
      : node(node), inputs(std::move(inputs)), outputs(outputCount) {}

  const NodeSpec& node;
  std::vector<TensorMeta> inputs;
  std::vector<TensorMeta> outputs;  // the factory fills dtype and shape of each
  // The planner's batch: graph inputs have leading dim `batch`; the model was exported with
  // `exportBatch` (Reshape uses these to rewrite a baked-in batch of 1).
  std::int64_t batch = 1;
  std::int64_t exportBatch = 1;
  std::vector<bool> inputBatchLeading;  // per input: its dim 0 is the window dim
  // A batch-1 export's Reshape to [1,...] is rewritten to [batch,...]; never for a symbolic
  // batch, where the 1 is what the model says.
  bool rewriteBakedBatch = true;

  // Set by the factory:
  bool aliasOutput0 = false;  // output 0 is input 0's memory, reshaped (Reshape, Squeeze...)
  std::vector<Tensor> constantOutputs;  // outputs known now (Shape); no kernel is needed
  bool mixesBatch = false;              // the op combines values across dim 0 of its runtime input
  std::string mixesBatchWhy;
  // Scratch memory shared by all steps of one plan (steps run one after another). A kernel
  // grows it at prepare time and reads data() when it runs; never resize it while running.
  std::shared_ptr<std::vector<float>> scratch = std::make_shared<std::vector<float>>();

  std::size_t inputCount() const { return inputs.size(); }
  bool hasInput(std::size_t i) const { return i < inputs.size() && inputs[i].present; }
  const TensorMeta& input(std::size_t i) const;  // fails when missing
  // A constant input's values as int64 (from int64 or int32), failing when not constant.
  std::vector<std::int64_t> constantInts(std::size_t i, const std::string& what) const;
  // Input i's values at plan time: a constant, or a graph input's value in a plan made for one
  // run (recorded in runValuesRead). Throws NeedsRunValues for a graph input in a plan made
  // without values, fails for any other runtime value.
  const Tensor& knownValue(std::size_t i, const std::string& what) const;
  mutable std::vector<std::size_t> runValuesRead;  // input indices whose run values were read
  std::vector<float> constantFloats(std::size_t i, const std::string& what) const;
  void setOutput(std::size_t i, DType dtype, Shape shape);
  void requireFloatInput(std::size_t i) const;
  [[noreturn]] void fail(const std::string& problem, const std::string& fix = {}) const;
};

class Kernel {
 public:
  virtual ~Kernel() = default;
  // pool is non-null when the kernel may split its own work (fewer windows than threads).
  virtual void run(const TensorView* inputs, TensorView* outputs, ThreadPool* pool) = 0;
};

using KernelFactory = std::function<std::unique_ptr<Kernel>(PrepareContext&)>;

// The opsets one factory serves, both ends included (ONNX Runtime's start and end version).
struct OpsetRange {
  std::int64_t since = 1;
  std::int64_t end = std::numeric_limits<std::int64_t>::max();  // open: every later opset
  bool contains(std::int64_t opset) const { return opset >= since && opset <= end; }
};

class KernelRegistry {
 public:
  // One factory for every opset of the op.
  void add(const std::string& opType, KernelFactory factory);
  // A factory for the opsets in `range` only. Where an op's attributes became inputs at some
  // opset, each signature gets its own factory, as ONNX Runtime registers one kernel per opset
  // range (ONNX_CPU_OPERATOR_VERSIONED_KERNEL), instead of one factory branching on the opset.
  // Ranges of one op must not overlap.
  void add(const std::string& opType, OpsetRange range, KernelFactory factory);
  // The factory serving opType at opset, or nullptr.
  const KernelFactory* find(const std::string& opType, std::int64_t opset) const;
  bool knows(const std::string& opType) const;  // at any opset
  std::vector<std::string> opTypes() const;
  std::string opTypesText() const;  // "Add, AveragePool, ..."
  // The opset ranges with a factory of their own, ascending.
  std::vector<OpsetRange> ranges(const std::string& opType) const;
  // docs/engine.md's op table: one row per op, its factories' opset ranges within the opsets
  // the loader accepts (maxOpset). Checked against the doc by KernelRegistry.DocListsEveryOp.
  std::string opTableMarkdown(std::int64_t maxOpset) const;

 private:
  struct VersionedFactory {
    OpsetRange range;
    KernelFactory factory;
  };
  std::map<std::string, std::vector<VersionedFactory>> factories_;
};

// All built-in kernels.
KernelRegistry makeBuiltinKernelRegistry();

// One registration function per op family (kernels/*.cpp).
void registerConvKernels(KernelRegistry& registry);
void registerPoolKernels(KernelRegistry& registry);
void registerElementwiseKernels(KernelRegistry& registry);
void registerActivationKernels(KernelRegistry& registry);
void registerGemmKernels(KernelRegistry& registry);
void registerNormalizationKernels(KernelRegistry& registry);
void registerRelabelKernels(KernelRegistry& registry);
void registerDataMovementKernels(KernelRegistry& registry);
void registerCastKernels(KernelRegistry& registry);
void registerPlanTimeValueKernels(KernelRegistry& registry);
void registerReductionKernels(KernelRegistry& registry);
void registerLogicalKernels(KernelRegistry& registry);
void registerUnaryMathKernels(KernelRegistry& registry);
void registerArgReduceKernels(KernelRegistry& registry);
void registerLossKernels(KernelRegistry& registry);
void registerIndexingKernels(KernelRegistry& registry);
void registerRecurrentKernels(KernelRegistry& registry);

// Helpers shared by kernels.
// Odometer state for loops over up to kMaxRank dimensions without a heap allocation per run.
inline constexpr std::size_t kMaxRank = 12;
struct DimIndex {
  std::int64_t values[kMaxRank] = {};
  std::int64_t& operator[](std::size_t i) { return values[i]; }
};
// Fails when a tensor has more dimensions than the kernels' index arrays hold.
void requireRankAtMost(const PrepareContext& ctx, std::size_t rank);
std::int64_t normalizeAxis(std::int64_t axis, std::int64_t rank, const PrepareContext& ctx);
// max / min that return NaN when either side is NaN, as numpy's maximum/minimum and ONNX Runtime
// do (std::max / std::min keep their first argument when the comparison fails).
template <class T>
inline T maxPropagatingNaN(T a, T b) {
  return (b > a || b != b) ? b : a;
}
template <class T>
inline T minPropagatingNaN(T a, T b) {
  return (b < a || b != b) ? b : a;
}
// A kernel from a lambda: makeKernel([=](const TensorView* in, TensorView* out, ThreadPool*){..})
template <class F>
std::unique_ptr<Kernel> makeKernel(F function) {
  struct LambdaKernel final : Kernel {
    explicit LambdaKernel(F f) : f_(std::move(f)) {}
    void run(const TensorView* in, TensorView* out, ThreadPool* pool) override {
      f_(in, out, pool);
    }
    F f_;
  };
  return std::make_unique<LambdaKernel>(std::move(function));
}

}  // namespace imuwb::engine

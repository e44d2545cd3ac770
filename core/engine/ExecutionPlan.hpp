#pragma once
// A Graph specialized for one batch size: every shape known, shape-derived values folded,
// a kernel prepared per step, and every buffer allocated once (reused across values whose
// lifetimes do not overlap). Running it allocates nothing.
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "engine/Graph.hpp"

namespace imuwb::engine {

class ExecutionPlan {
 public:
  struct Slot {
    DType dtype = DType::Float32;
    Shape shape;
    void* data = nullptr;
    bool known = false;         // dtype/shape computed
    bool runtime = false;       // computed per run (not a constant)
    bool batchLeading = false;  // dim 0 is the window dimension
    int aliasOf = -1;           // runtime value sharing another value's memory
    std::shared_ptr<const Tensor> constant;
  };
  struct Step {
    int node = -1;
    std::unique_ptr<Kernel> kernel;
    std::vector<TensorView> inputs;
    std::vector<TensorView> outputs;
    std::vector<int> outputIds;
  };

  // keepAlive[value]: must survive to the end of a run (outputs, taps). Throws imuwb::Error.
  // given: one run's inputs (graph input order). Then the plan is made for exactly those: their
  // shapes, and the values of the inputs a kernel needs at plan time (a Reshape's shape given as
  // a model input); fits() says whether it serves another run.
  ExecutionPlan(const Graph& graph, const KernelRegistry& registry, std::int64_t batch,
                const std::vector<bool>& keepAlive, std::span<const Tensor* const> given = {});

  // A plan made for given inputs: do these inputs have the same shapes, and the same values
  // where the plan read them?
  bool fits(std::span<const Tensor* const> inputs) const;

  std::int64_t batch() const { return batch_; }
  const Slot& slot(int value) const { return slots_[value]; }
  const std::vector<Step>& steps() const { return steps_; }
  bool batchSound() const { return batchSound_; }
  const std::string& batchNote() const { return batchNote_; }
  const std::vector<std::string>& foldedNodes() const { return folded_; }
  const std::vector<std::string>& aliasNodes() const { return aliasNodes_; }

  // Runs every step. pool: for kernels to split work (nullptr = single thread).
  void execute(ThreadPool* pool, const ActivationHook* hook, const Graph& graph);

 private:
  void prepareNode(const Graph& graph, const KernelRegistry& registry, int nodeIndex);
  void allocateBuffers(const Graph& graph, const std::vector<bool>& keepAlive);
  void markUnsound(const std::string& why);
  void setInputSlots(const Graph& graph, std::span<const Tensor* const> given);

  std::int64_t batch_;
  std::int64_t exportBatch_;
  std::vector<Slot> slots_;
  std::vector<Step> steps_;
  std::vector<Tensor> arena_;
  std::shared_ptr<std::vector<float>> scratch_ = std::make_shared<std::vector<float>>();
  bool batchSound_ = true;
  std::string batchNote_;
  std::vector<std::string> folded_;
  std::vector<std::string> aliasNodes_;
  // Plans for given inputs: their shapes, and copies of the inputs whose values were read.
  std::span<const Tensor* const> given_;
  std::vector<Shape> givenShapes_;
  std::vector<std::shared_ptr<const Tensor>> valuesRead_;
};

}  // namespace imuwb::engine

#pragma once
// A Graph specialized for one batch size: every shape known, shape-derived values folded,
// a kernel prepared per step, and every buffer allocated once (reused across values whose
// lifetimes do not overlap). Running it allocates nothing.
#include <memory>
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
  ExecutionPlan(const Graph& graph, const KernelRegistry& registry, std::int64_t batch,
                const std::vector<bool>& keepAlive);

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
};

}  // namespace imuwb::engine

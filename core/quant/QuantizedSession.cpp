#include "quant/QuantizedSession.hpp"

#include <map>

#include "common/Error.hpp"

namespace imuwb::quant {

struct QuantizedSession::State {
  std::vector<std::optional<AffineGrid>> grid_by_value;  // indexed by engine valueId
  std::vector<bool> is_input_by_value;
  std::atomic<std::uint64_t> input_values{0};
  std::atomic<std::uint64_t> input_clipped{0};
  // Used by the weight hook; kept here in case the engine re-plans after construction.
  std::set<std::string> step_nodes_in_scope;  // every node covered by an in-scope step
  std::map<std::string, WeightParams> weights;
};

QuantizedSession::QuantizedSession(const engine::OnnxModel& model, const QuantParams& params,
                                   QuantizedSessionOptions options)
    : state_(std::make_shared<State>()) {
  if (!params.modelSha256.empty() && params.modelSha256 != model.sha256())
    throw Error(model.path().string(),
                "the quantization parameters were calibrated on a different model (sha256 " +
                    params.modelSha256.substr(0, 12) + "..., this model " +
                    model.sha256().substr(0, 12) + "...)",
                "recalibrate on this model");

  // Which plan steps to quantize: a probe plan maps consuming nodes to steps.
  auto& step_nodes_in_scope = state_->step_nodes_in_scope;
  std::set<std::string> tensors_in_scope;
  {
    engine::SessionOptions probe_options;
    probe_options.taps = options.taps;
    engine::InferenceSession probe(model, probe_options);
    for (const auto& step : probe.plan().steps) {
      if (options.onlySteps && !options.onlySteps->count(step.name)) continue;
      step_nodes_in_scope.insert(step.name);
      step_nodes_in_scope.insert(step.coveredNodes.begin(), step.coveredNodes.end());
      tensors_in_scope.insert(step.outputs.begin(), step.outputs.end());
    }
    for (const auto& input : probe.inputNames())
      if (options.quantizeInput && (!options.onlySteps || options.onlySteps->count(input)))
        tensors_in_scope.insert(input);
  }

  for (const auto& w : params.weights) state_->weights[w.tensor] = w;
  auto state = state_;

  engine::SessionOptions engine_options;
  engine_options.threads = options.threads;
  engine_options.taps = options.taps;
  engine_options.chunkWindows = options.chunkWindows;
  if (options.quantizeWeights) {
    engine_options.weightHook = [state](const engine::WeightSite& site, engine::Tensor& weight) {
      if (site.inputIndex != 1 || weight.dtype() != engine::DType::Float32) return;
      if (!state->step_nodes_in_scope.count(site.nodeName)) return;
      const auto found = state->weights.find(site.name);
      if (found == state->weights.end())
        throw Error("quantization parameters: weight '" + site.name + "'",
                    "no parameters for this weight of node '" + site.nodeName + "'",
                    "recalibrate on this model");
      const WeightParams& p = found->second;
      if (p.perChannel) {
        const auto axis = weight.rank() ? site.outputChannelAxis : 0;
        const auto channels = weight.rank() ? weight.dim(static_cast<std::size_t>(axis)) : 1;
        if (static_cast<std::int64_t>(p.scales.size()) != channels)
          throw Error("quantization parameters: weight '" + site.name + "'",
                      std::to_string(p.scales.size()) + " channel scales for " +
                          std::to_string(channels) + " channels",
                      "recalibrate on this model");
        // Grids from the stored scales, so edited or loaded parameters are honoured.
        std::size_t outer = 1, inner = 1;
        for (std::size_t i = 0; i < weight.rank(); ++i) {
          if (static_cast<int>(i) < axis) outer *= static_cast<std::size_t>(weight.dim(i));
          if (static_cast<int>(i) > axis) inner *= static_cast<std::size_t>(weight.dim(i));
        }
        auto values = weight.floats();
        for (std::size_t o = 0; o < outer; ++o)
          for (std::size_t c = 0; c < static_cast<std::size_t>(channels); ++c) {
            AffineGrid grid = weightGrid(1.0, p.bits);
            grid.scale = p.scales[c];
            fakeQuantize(
                values.subspan((o * static_cast<std::size_t>(channels) + c) * inner, inner), grid);
          }
      } else {
        AffineGrid grid = weightGrid(1.0, p.bits);
        grid.scale = p.scales.front();
        fakeQuantize(weight.floats(), grid);
      }
    };
  }
  engine_options.activationHook = [state](const engine::ActivationView& view) {
    if (view.valueId < 0 || static_cast<std::size_t>(view.valueId) >= state->grid_by_value.size())
      return;
    const auto& grid = state->grid_by_value[static_cast<std::size_t>(view.valueId)];
    if (!grid) return;
    const std::size_t clipped = fakeQuantize(view.values, *grid);
    if (state->is_input_by_value[static_cast<std::size_t>(view.valueId)]) {
      state->input_values += view.values.size();
      state->input_clipped += clipped;
    }
  };
  session_ = std::make_unique<engine::InferenceSession>(model, engine_options);

  state_->grid_by_value.assign(session_->valueCount(), std::nullopt);
  state_->is_input_by_value.assign(session_->valueCount(), false);
  const auto inputs = session_->inputNames();
  for (const auto& a : params.activations) {
    if (!tensors_in_scope.count(a.tensor)) continue;
    const int id = session_->valueId(a.tensor);
    if (id < 0) continue;  // e.g. fused away in this plan: nothing is stored there
    state_->grid_by_value[static_cast<std::size_t>(id)] = a.grid();
    state_->is_input_by_value[static_cast<std::size_t>(id)] =
        std::find(inputs.begin(), inputs.end(), a.tensor) != inputs.end();
  }
}

QuantizedSession::~QuantizedSession() = default;

engine::RunResult QuantizedSession::run(const std::vector<engine::NamedTensor>& inputs) {
  return session_->run(inputs);
}
const engine::InferenceSession& QuantizedSession::engine() const {
  return *session_;
}
std::vector<std::string> QuantizedSession::inputNames() const {
  return session_->inputNames();
}
std::uint64_t QuantizedSession::inputValues() const {
  return state_->input_values;
}
std::uint64_t QuantizedSession::inputClipped() const {
  return state_->input_clipped;
}
void QuantizedSession::resetInputClipping() {
  state_->input_values = 0;
  state_->input_clipped = 0;
}

}  // namespace imuwb::quant

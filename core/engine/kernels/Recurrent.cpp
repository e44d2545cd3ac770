// Recurrent layers: RNN, GRU (linear_before_reset) and LSTM (peepholes), forward, reverse or
// bidirectional, with sequence_lens (steps past a sequence's length give zeros in Y, and Y_h /
// Y_c hold its last valid step, as in ONNX Runtime), initial states, clip, custom activations
// and layout 0 ([seq,batch,...]) or 1 ([batch,seq,...], opset 14). Gate orders as ONNX defines
// them: LSTM i,o,f,c; GRU z,r,h. The input products X·Wᵀ of all steps are one GEMM per
// direction; each step adds H·Rᵀ.
#include "engine/kernels/EigenGemm.hpp"
// (EigenGemm.hpp first: it sets Eigen's stack limit.)
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <tuple>

#include <onnx/onnx_pb.h>

#include "engine/Kernel.hpp"

namespace imuwb::engine {
namespace {

enum class Cell { Rnn, Gru, Lstm };

struct Activation {
  enum class Kind {
    Sigmoid,
    Tanh,
    Relu,
    HardSigmoid,
    LeakyRelu,
    Elu,
    Softsign,
    Softplus,
    Affine,
    ScaledTanh
  };
  Kind kind = Kind::Tanh;
  float alpha = 0.f, beta = 0.f;
  float operator()(float x) const {
    switch (kind) {
      case Kind::Sigmoid:
        return 1.f / (1.f + std::exp(-x));
      case Kind::Tanh:
        return std::tanh(x);
      case Kind::Relu:
        return x < 0.f ? 0.f : x;
      case Kind::HardSigmoid:
        return std::clamp(alpha * x + beta, 0.f, 1.f);
      case Kind::LeakyRelu:
        return x >= 0.f ? x : alpha * x;
      case Kind::Elu:
        return x >= 0.f ? x : alpha * std::expm1(x);
      case Kind::Softsign:
        return x / (1.f + std::fabs(x));
      case Kind::Softplus:
        return std::log1p(std::exp(x));
      case Kind::Affine:
        return alpha * x + beta;
      case Kind::ScaledTanh:
        return alpha * std::tanh(beta * x);
    }
    return x;
  }
};

struct Config {
  Cell cell = Cell::Lstm;
  std::int64_t gates = 4, seq = 0, batch = 0, input = 0, hidden = 0, dirs = 1;
  bool reverse = false, layout1 = false, linearBeforeReset = false;
  bool hasY = false, hasYh = false, hasYc = false;
  bool hasB = false, hasLens = false, hasInitH = false, hasInitC = false, hasP = false;
  float clip = std::numeric_limits<float>::infinity();
  std::vector<Activation> acts;  // per direction, `perDir` each
  std::size_t perDir = 1;
};

std::vector<Activation> parseActivations(PrepareContext& ctx, const Config& c) {
  const auto& a = ctx.node.attributes;
  std::vector<std::string> names;
  const auto* proto = ctx.node.proto;
  for (const auto& attribute : proto->attribute())
    if (attribute.name() == "activations")
      for (const auto& s : attribute.strings()) names.push_back(s);
  if (names.empty()) {
    const std::vector<std::string> defaults =
        c.cell == Cell::Lstm  ? std::vector<std::string>{"Sigmoid", "Tanh", "Tanh"}
        : c.cell == Cell::Gru ? std::vector<std::string>{"Sigmoid", "Tanh"}
                              : std::vector<std::string>{"Tanh"};
    for (std::int64_t d = 0; d < c.dirs; ++d)
      names.insert(names.end(), defaults.begin(), defaults.end());
  }
  if (names.size() != c.perDir * static_cast<std::size_t>(c.dirs))
    ctx.fail("expected " + std::to_string(c.perDir * c.dirs) + " activations");
  const auto alphas = a.getFloats("activation_alpha"), betas = a.getFloats("activation_beta");
  std::size_t nextAlpha = 0, nextBeta = 0;
  std::vector<Activation> acts;
  using K = Activation::Kind;
  const std::vector<std::tuple<std::string, K, float, float, int>> table = {
      {"Sigmoid", K::Sigmoid, 0, 0, 0},
      {"Tanh", K::Tanh, 0, 0, 0},
      {"Relu", K::Relu, 0, 0, 0},
      {"HardSigmoid", K::HardSigmoid, 0.2f, 0.5f, 2},
      {"LeakyRelu", K::LeakyRelu, 0.01f, 0, 1},
      {"Elu", K::Elu, 1.f, 0, 1},
      {"Softsign", K::Softsign, 0, 0, 0},
      {"Softplus", K::Softplus, 0, 0, 0},
      {"Affine", K::Affine, 1.f, 0, 2},
      {"ScaledTanh", K::ScaledTanh, 1.f, 1.f, 2}};
  for (const auto& name : names) {
    auto it = std::find_if(table.begin(), table.end(),
                           [&](const auto& row) { return std::get<0>(row) == name; });
    if (it == table.end()) ctx.fail("activation '" + name + "' is not supported");
    Activation act{std::get<1>(*it), std::get<2>(*it), std::get<3>(*it)};
    if (std::get<4>(*it) >= 1 && nextAlpha < alphas.size()) act.alpha = alphas[nextAlpha++];
    if (std::get<4>(*it) >= 2 && nextBeta < betas.size()) act.beta = betas[nextBeta++];
    acts.push_back(act);
  }
  return acts;
}

Config prepareConfig(PrepareContext& ctx, Cell cell) {
  Config c;
  c.cell = cell;
  c.gates = cell == Cell::Lstm ? 4 : cell == Cell::Gru ? 3 : 1;
  c.perDir = cell == Cell::Lstm ? 3 : cell == Cell::Gru ? 2 : 1;
  for (std::size_t i = 0; i < ctx.inputCount(); ++i)
    if (ctx.hasInput(i) && i != 4) ctx.requireFloatInput(i);
  const auto& a = ctx.node.attributes;
  c.layout1 = a.getInt("layout", 0) != 0;
  const Shape& x = ctx.input(0).shape;
  if (x.size() != 3) ctx.fail("X must be 3-D");
  c.seq = c.layout1 ? x[1] : x[0];
  c.batch = c.layout1 ? x[0] : x[1];
  c.input = x[2];
  const std::string direction = a.getString("direction", "forward");
  c.dirs = direction == "bidirectional" ? 2 : 1;
  c.reverse = direction == "reverse";
  if (direction != "forward" && direction != "reverse" && direction != "bidirectional")
    ctx.fail("direction '" + direction + "' is not supported");
  const Shape& w = ctx.input(1).shape;
  c.hidden = a.getInt("hidden_size", w.size() == 3 ? w[1] / c.gates : 0);
  if (w != Shape{c.dirs, c.gates * c.hidden, c.input} ||
      ctx.input(2).shape != Shape{c.dirs, c.gates * c.hidden, c.hidden})
    ctx.fail("W or R does not match X, hidden_size and direction");
  c.hasB = ctx.hasInput(3);
  if (c.hasB && ctx.input(3).shape != Shape{c.dirs, 2 * c.gates * c.hidden})
    ctx.fail("B must be [num_directions, " + std::to_string(2 * c.gates) + "*hidden_size]");
  c.hasLens = ctx.hasInput(4);
  if (c.hasLens && ctx.input(4).dtype != DType::Int32) ctx.fail("sequence_lens must be int32");
  const Shape state =
      c.layout1 ? Shape{c.batch, c.dirs, c.hidden} : Shape{c.dirs, c.batch, c.hidden};
  c.hasInitH = ctx.hasInput(5);
  if (c.hasInitH && ctx.input(5).shape != state)
    ctx.fail("initial_h must be " + shapeToString(state));
  c.hasInitC = cell == Cell::Lstm && ctx.hasInput(6);
  if (c.hasInitC && ctx.input(6).shape != state)
    ctx.fail("initial_c must be " + shapeToString(state));
  c.hasP = cell == Cell::Lstm && ctx.hasInput(7);
  if (c.hasP && ctx.input(7).shape != Shape{c.dirs, 3 * c.hidden})
    ctx.fail("P must be [dirs, 3*hidden]");
  if (a.has("clip")) c.clip = a.getFloat("clip", 0.f);
  c.linearBeforeReset = a.getInt("linear_before_reset", 0) != 0;
  if (cell == Cell::Lstm && a.getInt("input_forget", 0) != 0)
    ctx.fail("LSTM input_forget=1 is not supported");
  c.acts = parseActivations(ctx, c);
  if (!c.layout1 && ctx.inputBatchLeading[0])
    ctx.mixesBatch = true, ctx.mixesBatchWhy = "recurs along the leading (sequence) dimension";
  ctx.setOutput(0, DType::Float32,
                c.layout1 ? Shape{c.batch, c.seq, c.dirs, c.hidden}
                          : Shape{c.seq, c.dirs, c.batch, c.hidden});
  ctx.setOutput(1, DType::Float32, state);
  if (cell == Cell::Lstm) ctx.setOutput(2, DType::Float32, state);
  c.hasY = !ctx.outputs.empty();
  c.hasYh = ctx.outputs.size() > 1;
  c.hasYc = cell == Cell::Lstm && ctx.outputs.size() > 2;
  return c;
}

using ConstMap = Eigen::Map<const RowMatrix>;
using Map = Eigen::Map<RowMatrix>;

// One direction over all steps. xw: [seq*batch, G*H] scratch, hr: [batch, G*H], h, c: [batch,H].
struct DirectionRun {
  const Config& c;
  std::int64_t d;
  const TensorView* in;
  TensorView* out;
  float* xw;
  float* hr;
  float* h;
  float* cs;
  float* tmp;

  std::int64_t row(std::int64_t t, std::int64_t b) const {
    return c.layout1 ? b * c.seq + t : t * c.batch + b;
  }
  std::int64_t stateAt(std::int64_t b) const {
    return (c.layout1 ? b * c.dirs + d : d * c.batch + b) * c.hidden;
  }
  float act(std::size_t j, float x) const {
    return c.acts[d * c.perDir + j](std::clamp(x, -c.clip, c.clip));
  }

  void run() {
    const std::int64_t gh = c.gates * c.hidden, H = c.hidden;
    const float* W = in[1].as<const float>() + d * gh * c.input;
    const float* R = in[2].as<const float>() + d * gh * H;
    const float* bias = c.hasB ? in[3].as<const float>() + d * 2 * gh : nullptr;
    Map(xw, c.seq * c.batch, gh).noalias() =
        ConstMap(in[0].as<const float>(), c.seq * c.batch, c.input) *
        ConstMap(W, gh, c.input).transpose();
    for (std::int64_t b = 0; b < c.batch; ++b) {
      for (std::int64_t k = 0; k < H; ++k) {
        h[b * H + k] = c.hasInitH ? in[5].as<const float>()[stateAt(b) + k] : 0.f;
        cs[b * H + k] = c.hasInitC ? in[6].as<const float>()[stateAt(b) + k] : 0.f;
      }
    }
    const bool reverse = c.reverse || d == 1;
    for (std::int64_t s = 0; s < c.seq; ++s) {
      Map(hr, c.batch, gh).noalias() = ConstMap(h, c.batch, H) * ConstMap(R, gh, H).transpose();
      for (std::int64_t b = 0; b < c.batch; ++b) {
        const std::int64_t len = c.hasLens ? in[4].as<const std::int32_t>()[b] : c.seq;
        if (s >= len) continue;
        const std::int64_t t = reverse ? len - 1 - s : s;
        step(b, xw + row(t, b) * gh, hr + b * gh, bias, R);
        float* y = c.hasY && out[0].data ? out[0].as<float>() : nullptr;
        if (y)
          std::memcpy(y + (c.layout1 ? ((b * c.seq + t) * c.dirs + d) * H
                                     : ((t * c.dirs + d) * c.batch + b) * H),
                      h + b * H, H * sizeof(float));
      }
    }
    for (std::int64_t b = 0; b < c.batch; ++b) {
      if (c.hasYh && out[1].data)
        std::memcpy(out[1].as<float>() + stateAt(b), h + b * H, H * sizeof(float));
      if (c.hasYc && out[2].data)
        std::memcpy(out[2].as<float>() + stateAt(b), cs + b * H, H * sizeof(float));
    }
  }

  // One step of batch row b: x = X·Wᵀ row, r = H·Rᵀ row; updates h (and c).
  void step(std::int64_t b, const float* x, const float* r, const float* bias, const float* R) {
    const std::int64_t H = c.hidden, gh = c.gates * H;
    auto pre = [&](std::int64_t g, std::int64_t k) {
      float v = x[g * H + k] + r[g * H + k];
      if (bias) v += bias[g * H + k] + bias[gh + g * H + k];
      return v;
    };
    float* hb = h + b * H;
    if (c.cell == Cell::Rnn) {
      for (std::int64_t k = 0; k < H; ++k) hb[k] = act(0, pre(0, k));
    } else if (c.cell == Cell::Lstm) {
      const float* P = c.hasP ? in[7].as<const float>() + d * 3 * H : nullptr;
      float* cb = cs + b * H;
      for (std::int64_t k = 0; k < H; ++k) {
        const float i = act(0, pre(0, k) + (P ? P[k] * cb[k] : 0.f));
        const float f = act(0, pre(2, k) + (P ? P[2 * H + k] * cb[k] : 0.f));
        const float g = act(1, pre(3, k));
        cb[k] = f * cb[k] + i * g;
        const float o = act(0, pre(1, k) + (P ? P[H + k] * cb[k] : 0.f));
        hb[k] = o * act(2, cb[k]);
      }
    } else {
      gruStep(hb, x, r, bias, R);
    }
  }

  void gruStep(float* hb, const float* x, const float* r, const float* bias, const float* R) {
    const std::int64_t H = c.hidden, gh = 3 * H;
    auto wb = [&](std::int64_t i) { return bias ? bias[i] : 0.f; };
    auto rb = [&](std::int64_t i) { return bias ? bias[gh + i] : 0.f; };
    float* z = tmp;
    float* reset = tmp + H;
    for (std::int64_t k = 0; k < H; ++k) {
      z[k] = act(0, x[k] + r[k] + wb(k) + rb(k));
      reset[k] = act(0, x[H + k] + r[H + k] + wb(H + k) + rb(H + k));
    }
    float* candidate = tmp + 2 * H;
    if (c.linearBeforeReset) {
      for (std::int64_t k = 0; k < H; ++k)
        candidate[k] =
            act(1, x[2 * H + k] + wb(2 * H + k) + reset[k] * (r[2 * H + k] + rb(2 * H + k)));
    } else {
      float* gated = tmp + 3 * H;
      for (std::int64_t k = 0; k < H; ++k) gated[k] = reset[k] * hb[k];
      for (std::int64_t k = 0; k < H; ++k) {
        float sum = 0.f;
        const float* rh = R + (2 * H + k) * H;
        for (std::int64_t j = 0; j < H; ++j) sum += gated[j] * rh[j];
        candidate[k] = act(1, x[2 * H + k] + sum + wb(2 * H + k) + rb(2 * H + k));
      }
    }
    for (std::int64_t k = 0; k < H; ++k) hb[k] = (1.f - z[k]) * candidate[k] + z[k] * hb[k];
  }
};

template <Cell cell>
std::unique_ptr<Kernel> makeRecurrent(PrepareContext& ctx) {
  const Config config = prepareConfig(ctx, cell);
  const std::int64_t gh = config.gates * config.hidden;
  std::vector<float> xw(std::max<std::int64_t>(1, config.seq * config.batch * gh));
  std::vector<float> hr(std::max<std::int64_t>(1, config.batch * gh));
  std::vector<float> state(std::max<std::int64_t>(1, 2 * config.batch * config.hidden));
  std::vector<float> tmp(std::max<std::int64_t>(1, 4 * config.hidden));
  return makeKernel([=](const TensorView* in, TensorView* out, ThreadPool*) mutable {
    if (config.hasY && out[0].data) std::memset(out[0].data, 0, out[0].count * sizeof(float));
    for (std::int64_t d = 0; d < config.dirs; ++d) {
      DirectionRun run{
          config,    d,         in,           out,
          xw.data(), hr.data(), state.data(), state.data() + config.batch * config.hidden,
          tmp.data()};
      run.run();
    }
  });
}

}  // namespace

void registerRecurrentKernels(KernelRegistry& registry) {
  registry.add("RNN", makeRecurrent<Cell::Rnn>);
  registry.add("GRU", makeRecurrent<Cell::Gru>);
  registry.add("LSTM", makeRecurrent<Cell::Lstm>);
}

}  // namespace imuwb::engine

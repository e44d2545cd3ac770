// Binary arithmetic with numpy broadcasting: Add, Sub, Mul, Div, Pow, Mod, PRelu (float32,
// float64, int64, int32, uint8, int8), variadic Max, Min (NaN propagates), Sum and Mean; Where.
// Fast paths for equal shapes and scalars; otherwise an odometer over the output with a contiguous
// (or broadcast) innermost loop.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <type_traits>

#include "engine/Kernel.hpp"
#include "engine/kernels/Broadcast.hpp"

namespace imuwb::engine {
namespace {

enum class BinaryOp { Add, Sub, Mul, Div, Pow, Max, Min, Mod, Fmod, PRelu };

template <class T, BinaryOp op>
inline T apply(T a, T b) {
  if constexpr (op == BinaryOp::Add) return a + b;
  if constexpr (op == BinaryOp::Sub) return a - b;
  if constexpr (op == BinaryOp::Mul) return a * b;
  if constexpr (op == BinaryOp::Div) {
    if constexpr (std::is_integral_v<T>)
      return b == 0 ? T(0) : a / b;
    else
      return a / b;
  }
  if constexpr (op == BinaryOp::Pow) {
    if constexpr (std::is_integral_v<T>)
      return static_cast<T>(std::pow(double(a), double(b)));
    else
      return std::pow(a, b);
  }
  if constexpr (op == BinaryOp::Fmod) {  // the sign of the dividend (C's fmod / %)
    if constexpr (std::is_integral_v<T>)
      return b == 0 ? T(0) : static_cast<T>(a % b);
    else
      return std::fmod(a, b);
  }
  if constexpr (op == BinaryOp::Mod) {  // the sign of the divisor (Python's %)
    T r;
    if constexpr (std::is_integral_v<T>)
      r = b == 0 ? T(0) : static_cast<T>(a % b);
    else
      r = std::fmod(a, b);
    return r != 0 && ((r < 0) != (b < 0)) ? static_cast<T>(r + b) : r;
  }
  if constexpr (op == BinaryOp::PRelu) return a < 0 ? static_cast<T>(a * b) : a;
  // NaN propagates, as in numpy's maximum/minimum and ONNX Runtime (std::max would keep `a`).
  if constexpr (op == BinaryOp::Max || op == BinaryOp::Min) {
    return op == BinaryOp::Max ? maxPropagatingNaN(a, b) : minPropagatingNaN(a, b);
  }
}

template <class T, BinaryOp op>
void runBinary(const BroadcastPlan& plan, const T* a, const T* b, T* out, std::int64_t total) {
  using K = BroadcastPlan::Kind;
  if (plan.kind == K::Same) {
    for (std::int64_t i = 0; i < total; ++i) out[i] = apply<T, op>(a[i], b[i]);
    return;
  }
  if (plan.kind == K::ScalarB) {
    const T value = b[0];
    for (std::int64_t i = 0; i < total; ++i) out[i] = apply<T, op>(a[i], value);
    return;
  }
  if (plan.kind == K::ScalarA) {
    const T value = a[0];
    for (std::int64_t i = 0; i < total; ++i) out[i] = apply<T, op>(value, b[i]);
    return;
  }
  const int rank = static_cast<int>(plan.out.size());
  if (total == 0) return;
  const std::int64_t inner = plan.out[rank - 1];
  const std::int64_t ia = plan.strideA[rank - 1], ib = plan.strideB[rank - 1];
  DimIndex index;
  std::int64_t offA = 0, offB = 0;
  for (std::int64_t done = 0; done < total; done += inner) {
    if (ia == 1 && ib == 0) {
      const T value = b[offB];
      for (std::int64_t i = 0; i < inner; ++i) out[i] = apply<T, op>(a[offA + i], value);
    } else if (ia == 0 && ib == 1) {
      const T value = a[offA];
      for (std::int64_t i = 0; i < inner; ++i) out[i] = apply<T, op>(value, b[offB + i]);
    } else {
      for (std::int64_t i = 0; i < inner; ++i)
        out[i] = apply<T, op>(a[offA + i * ia], b[offB + i * ib]);
    }
    out += inner;
    advanceOdometer(plan, rank - 2, index, offA, offB);
  }
}

template <class T, BinaryOp op>
std::unique_ptr<Kernel> typedBinary(const BroadcastPlan& plan) {
  return makeKernel([plan](const TensorView* in, TensorView* out, ThreadPool*) {
    runBinary<T, op>(plan, in[0].as<const T>(), in[1].as<const T>(), out[0].as<T>(), out[0].count);
  });
}

template <BinaryOp op>
std::unique_ptr<Kernel> makeBinary(PrepareContext& ctx) {
  const auto& a = ctx.input(0);
  const auto& b = ctx.input(1);
  if (a.dtype != b.dtype) {
    if (op == BinaryOp::Pow && a.dtype == DType::Float32 && b.constant)
      ;  // exponent converted below
    else
      ctx.fail("inputs have different dtypes (" + std::string(dtypeName(a.dtype)) + ", " +
               std::string(dtypeName(b.dtype)) + ")");
  }
  auto plan = planBroadcast(a.shape, b.shape, ctx);
  ctx.setOutput(0, a.dtype, plan.out);
  if (a.dtype != b.dtype) {
    // Pow with an integer/double constant exponent on float data.
    Tensor exponent(DType::Float32, b.shape);
    const auto values =
        b.dtype == DType::Float64 ? ctx.constantFloats(1, "exponent") : std::vector<float>();
    if (!values.empty()) {
      std::copy(values.begin(), values.end(), exponent.data<float>());
    } else {
      auto ints = ctx.constantInts(1, "exponent");
      std::transform(ints.begin(), ints.end(), exponent.data<float>(),
                     [](std::int64_t v) { return static_cast<float>(v); });
    }
    return makeKernel([plan, exponent](const TensorView* in, TensorView* out, ThreadPool*) {
      runBinary<float, op>(plan, in[0].as<const float>(), exponent.data<float>(),
                           out[0].as<float>(), out[0].count);
    });
  }
  switch (a.dtype) {
    case DType::Float32:
      return makeKernel([plan](const TensorView* in, TensorView* out, ThreadPool*) {
        runBinary<float, op>(plan, in[0].as<const float>(), in[1].as<const float>(),
                             out[0].as<float>(), out[0].count);
      });
    case DType::Float64:
      return makeKernel([plan](const TensorView* in, TensorView* out, ThreadPool*) {
        runBinary<double, op>(plan, in[0].as<const double>(), in[1].as<const double>(),
                              out[0].as<double>(), out[0].count);
      });
    case DType::Int64:
      return makeKernel([plan](const TensorView* in, TensorView* out, ThreadPool*) {
        runBinary<std::int64_t, op>(plan, in[0].as<const std::int64_t>(),
                                    in[1].as<const std::int64_t>(), out[0].as<std::int64_t>(),
                                    out[0].count);
      });
    case DType::Int32:
      return makeKernel([plan](const TensorView* in, TensorView* out, ThreadPool*) {
        runBinary<std::int32_t, op>(plan, in[0].as<const std::int32_t>(),
                                    in[1].as<const std::int32_t>(), out[0].as<std::int32_t>(),
                                    out[0].count);
      });
    case DType::Uint8:
      return typedBinary<std::uint8_t, op>(plan);
    case DType::Int8:
      return typedBinary<std::int8_t, op>(plan);
    default:
      ctx.fail("dtype " + std::string(dtypeName(a.dtype)) + " is not supported",
               "supported: float32, float64, int64, int32, uint8, int8");
  }
}

// Max / Min take one or more inputs (variadic), broadcast together: folded left, pairwise,
// through two kernel-owned buffers (allocated once, at plan time).
template <class T, BinaryOp op>
std::unique_ptr<Kernel> variadicKernel(std::vector<BroadcastPlan> plans) {
  std::int64_t largest = 1;
  for (const auto& plan : plans) largest = std::max(largest, elementCount(plan.out));
  std::vector<T> buffers[2] = {std::vector<T>(largest), std::vector<T>(largest)};
  return makeKernel([plans, buffers](const TensorView* in, TensorView* out, ThreadPool*) mutable {
    const T* current = in[0].as<const T>();
    for (std::size_t k = 0; k < plans.size(); ++k) {
      T* target = k + 1 == plans.size() ? out[0].as<T>() : buffers[k % 2].data();
      runBinary<T, op>(plans[k], current, in[k + 1].as<const T>(), target,
                       elementCount(plans[k].out));
      current = target;
    }
  });
}

template <BinaryOp op>
std::unique_ptr<Kernel> makeVariadic(PrepareContext& ctx) {
  const std::size_t n = ctx.inputCount();
  if (n == 2) return makeBinary<op>(ctx);
  const auto& first = ctx.input(0);
  std::vector<BroadcastPlan> plans;
  Shape shape = first.shape;
  for (std::size_t k = 1; k < n; ++k) {
    if (ctx.input(k).dtype != first.dtype) ctx.fail("inputs have different dtypes");
    plans.push_back(planBroadcast(shape, ctx.input(k).shape, ctx));
    shape = plans.back().out;
  }
  ctx.setOutput(0, first.dtype, shape);
  if (n == 1) {
    const std::size_t bytes = elementCount(shape) * dtypeSize(first.dtype);
    return makeKernel([bytes](const TensorView* in, TensorView* out, ThreadPool*) {
      std::memcpy(out[0].data, in[0].data, bytes);
    });
  }
  switch (first.dtype) {
    case DType::Float32:
      return variadicKernel<float, op>(std::move(plans));
    case DType::Float64:
      return variadicKernel<double, op>(std::move(plans));
    case DType::Int64:
      return variadicKernel<std::int64_t, op>(std::move(plans));
    case DType::Int32:
      return variadicKernel<std::int32_t, op>(std::move(plans));
    default:
      ctx.fail("dtype " + std::string(dtypeName(first.dtype)) + " is not supported",
               "supported: float32, float64, int64, int32");
  }
}

// Mean: the variadic sum, divided by the number of inputs (float32).
std::unique_ptr<Kernel> makeMean(PrepareContext& ctx) {
  ctx.requireFloatInput(0);
  std::shared_ptr<Kernel> sum = makeVariadic<BinaryOp::Add>(ctx);
  const float count = static_cast<float>(ctx.inputCount());
  return makeKernel([sum, count](const TensorView* in, TensorView* out, ThreadPool* pool) {
    sum->run(in, out, pool);
    float* y = out[0].as<float>();
    for (std::int64_t i = 0; i < out[0].count; ++i) y[i] /= count;
  });
}

// Mod: fmod=0 takes the divisor's sign (integers only, as ONNX requires), fmod=1 the dividend's.
std::unique_ptr<Kernel> makeMod(PrepareContext& ctx) {
  if (ctx.node.attributes.getInt("fmod", 0) != 0) return makeBinary<BinaryOp::Fmod>(ctx);
  const DType dtype = ctx.input(0).dtype;
  if (dtype == DType::Float32 || dtype == DType::Float64)
    ctx.fail("Mod of floating-point inputs needs fmod=1");
  return makeBinary<BinaryOp::Mod>(ctx);
}

// Where(condition, X, Y) with three-way broadcasting, float32 or int64 values.
std::unique_ptr<Kernel> makeWhere(PrepareContext& ctx) {
  const auto& condition = ctx.input(0);
  const auto& x = ctx.input(1);
  const auto& y = ctx.input(2);
  if (condition.dtype != DType::Bool) ctx.fail("condition must be bool");
  if (x.dtype != y.dtype) ctx.fail("X and Y have different dtypes");
  if (x.dtype != DType::Float32 && x.dtype != DType::Int64)
    ctx.fail("dtype " + std::string(dtypeName(x.dtype)) + " is not supported",
             "supported: float32, int64");
  const auto first = planBroadcast(condition.shape, x.shape, ctx);
  const auto plan = planBroadcast(first.out, y.shape, ctx);
  const std::size_t rank = plan.out.size();
  requireRankAtMost(ctx, rank);
  auto stridesFor = [&](const Shape& shape) {
    std::vector<std::int64_t> strides(rank, 0);
    std::int64_t stride = 1;
    for (int d = static_cast<int>(rank) - 1, s = static_cast<int>(shape.size()) - 1; d >= 0;
         --d, --s) {
      const std::int64_t dim = s >= 0 ? shape[s] : 1;
      strides[d] = dim == 1 ? 0 : stride;
      stride *= dim;
    }
    return strides;
  };
  const auto sc = stridesFor(condition.shape), sx = stridesFor(x.shape), sy = stridesFor(y.shape);
  const Shape out = plan.out;
  const std::size_t item = dtypeSize(x.dtype);
  ctx.setOutput(0, x.dtype, out);
  return makeKernel([=](const TensorView* in, TensorView* outs, ThreadPool*) {
    const bool* c = in[0].as<const bool>();
    const auto* a = in[1].as<const std::byte>();
    const auto* b = in[2].as<const std::byte>();
    auto* target = outs[0].as<std::byte>();
    DimIndex index;
    std::int64_t oc = 0, ox = 0, oy = 0;
    for (std::int64_t i = 0; i < outs[0].count; ++i) {
      std::memcpy(target + i * item, c[oc] ? a + ox * item : b + oy * item, item);
      for (int d = static_cast<int>(rank) - 1; d >= 0; --d) {
        oc += sc[d];
        ox += sx[d];
        oy += sy[d];
        if (++index[d] < out[d]) break;
        oc -= sc[d] * out[d];
        ox -= sx[d] * out[d];
        oy -= sy[d] * out[d];
        index[d] = 0;
      }
    }
  });
}

}  // namespace

void registerElementwiseKernels(KernelRegistry& registry) {
  registry.add("Where", makeWhere);
  registry.add("Add", makeBinary<BinaryOp::Add>);
  registry.add("Sub", makeBinary<BinaryOp::Sub>);
  registry.add("Mul", makeBinary<BinaryOp::Mul>);
  registry.add("Div", makeBinary<BinaryOp::Div>);
  registry.add("Pow", makeBinary<BinaryOp::Pow>);
  registry.add("Max", makeVariadic<BinaryOp::Max>);
  registry.add("Min", makeVariadic<BinaryOp::Min>);
  registry.add("Sum", makeVariadic<BinaryOp::Add>);
  registry.add("Mean", makeMean);
  registry.add("Mod", makeMod);
  registry.add("PRelu", makeBinary<BinaryOp::PRelu>);
}

}  // namespace imuwb::engine

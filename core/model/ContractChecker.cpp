#include "model/ContractChecker.hpp"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cstdio>
#include <set>
#include <sstream>

namespace imuwb {
namespace {

std::string joinInts(const std::vector<std::int64_t>& values) {
  std::ostringstream text;
  for (std::size_t i = 0; i < values.size(); ++i) text << (i ? "x" : "") << values[i];
  return text.str();
}

const onnx::AttributeProto* attribute(const onnx::NodeProto& node, const std::string& name) {
  for (const auto& a : node.attribute())
    if (a.name() == name) return &a;
  return nullptr;
}

std::vector<std::int64_t> intsAttribute(const onnx::NodeProto& node, const std::string& name) {
  const auto* a = attribute(node, name);
  if (!a) return {};
  return {a->ints().begin(), a->ints().end()};
}

std::int64_t intAttribute(const onnx::NodeProto& node, const std::string& name,
                          std::int64_t fallback) {
  const auto* a = attribute(node, name);
  return a ? a->i() : fallback;
}

std::string stringAttribute(const onnx::NodeProto& node, const std::string& name) {
  const auto* a = attribute(node, name);
  return a ? a->s() : std::string();
}

bool inSet(std::int64_t value, std::initializer_list<std::int64_t> allowed) {
  return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

struct Checker {
  const engine::OnnxModel& model;
  ContractReport report;
  std::map<std::string, const engine::InitializerInfo*> initializers;
  std::map<std::string, std::string> producerOf;  // tensor -> op type of its producer
  std::map<std::string, std::string> producerNode;
  std::set<std::string> graphInputs;
  std::set<std::string> constants;  // initializers and Constant outputs

  explicit Checker(const engine::OnnxModel& m) : model(m) {
    for (const auto& init : model.initializers()) {
      initializers[init.name] = &init;
      constants.insert(init.name);
    }
    for (const auto& input : model.inputs()) graphInputs.insert(input.name);
  }

  void add(Severity severity, std::string code, std::string subject, std::string message,
           std::string fix = {}) {
    Finding finding;
    finding.severity = severity;
    finding.code = std::move(code);
    finding.subject = std::move(subject);
    finding.message = std::move(message);
    finding.fix = std::move(fix);
    report.findings.push_back(std::move(finding));
  }

  std::vector<std::int64_t> shapeOf(const std::string& tensor) const {
    auto found = initializers.find(tensor);
    if (found != initializers.end()) return found->second->shape;
    auto inferred = model.inferredValues().find(tensor);
    if (inferred != model.inferredValues().end() && inferred->second.shapeKnown) {
      std::vector<std::int64_t> shape;
      for (const auto& dim : inferred->second.shape) shape.push_back(dim.value);
      return shape;
    }
    for (const auto& input : model.inputs())
      if (input.name == tensor && input.shapeKnown) {
        std::vector<std::int64_t> shape;
        for (const auto& dim : input.shape) shape.push_back(dim.value);
        return shape;
      }
    return {};
  }

  void checkHeader() {
    report.opset = model.opset();
    report.irVersion = model.irVersion();
    if (model.opset() != 11)
      add(Severity::Warning, "opset_not_11", "opset",
          "exported at opset " + std::to_string(model.opset()) +
              "; the Hailo pipeline expects opset 11",
          "re-export with torch.onnx.export(..., opset_version=11)");
    else
      add(Severity::Info, "opset_ok", "opset",
          "opset 11 (IR version " + std::to_string(model.irVersion()) + ")");
    for (const auto& input : model.inputs()) {
      if (!input.shapeKnown) {
        add(Severity::Error, "dynamic_shape", input.name,
            "input '" + input.name + "' has no static shape",
            "export with a fixed input shape (no dynamic_axes)");
        continue;
      }
      bool dynamic = false;
      for (std::size_t axis = 0; axis < input.shape.size(); ++axis) {
        const auto& dim = input.shape[axis];
        if (!dim.fixed()) {
          dynamic = true;
          add(Severity::Error, "dynamic_shape", input.name,
              "input '" + input.name + "' " + input.shapeText() + ": axis " + std::to_string(axis) +
                  " is dynamic" + (dim.symbol.empty() ? "" : " ('" + dim.symbol + "')"),
              "export without dynamic_axes: the device runs static shapes with batch 1");
        }
      }
      if (!dynamic && !input.shape.empty() && input.shape[0].value != 1)
        add(Severity::Error, "batch_not_1", input.name,
            "input '" + input.name + "' " + input.shapeText() + " has batch " +
                std::to_string(input.shape[0].value) + "; the device runs batch 1",
            "export with a dummy input of batch 1");
      if (!dynamic && !input.shape.empty() && input.shape[0].value == 1)
        add(Severity::Info, "static_shape_ok", input.name,
            "input '" + input.name + "' " + input.shapeText() + " is static with batch 1");
    }
    for (const auto& output : model.outputs())
      if (output.shapeKnown)
        for (const auto& dim : output.shape)
          if (!dim.fixed()) {
            add(Severity::Warning, "dynamic_output_shape", output.name,
                "output '" + output.name + "' " + output.shapeText() + " has a dynamic dimension",
                "export with static shapes");
            break;
          }
  }

  void checkConv(const onnx::NodeProto& node, const std::string& name, bool firstConv) {
    const auto weight =
        node.input_size() > 1 ? shapeOf(node.input(1)) : std::vector<std::int64_t>{};
    const auto group = intAttribute(node, "group", 1);
    if (weight.size() == 3) {
      add(Severity::Error, "conv1d", name,
          "Conv '" + name + "' is a Conv1d (weight " + joinInts(weight) + ")",
          "rewrite it as Conv2d with a (1," + std::to_string(weight[2]) +
              ") kernel on a [N,C,1,T] input (an exact transformation: cosine > 0.99999)");
    }
    if (group > 1) {
      const bool depthwise = weight.size() >= 2 && weight[1] == 1;
      add(Severity::Error, depthwise ? "depthwise_conv" : "grouped_conv", name,
          "Conv '" + name + "' has group=" + std::to_string(group) +
              (depthwise ? " (depthwise)" : ""),
          "use groups=1 (a regular convolution) for Hailo-8");
    }
    auto kernel = intsAttribute(node, "kernel_shape");
    if (kernel.empty() && weight.size() > 2) kernel.assign(weight.begin() + 2, weight.end());
    for (auto k : kernel)
      if (!inSet(k, {1, 3, 5, 7})) {
        add(Severity::Warning, "kernel_size", name,
            "Conv '" + name + "' kernel " + joinInts(kernel) + " has a size outside 1/3/5/7",
            "use kernels of 1, 3, 5 or 7 (Hailo-8's efficient sizes)");
        break;
      }
    for (auto s : intsAttribute(node, "strides"))
      if (!inSet(s, {1, 2, 4})) {
        add(Severity::Warning, "stride_size", name,
            "Conv '" + name + "' stride " + joinInts(intsAttribute(node, "strides")) +
                " is not 1, 2 or 4",
            "use strides of 1, 2 or 4");
        break;
      }
    for (auto d : intsAttribute(node, "dilations"))
      if (d > 1) {
        add(Severity::Warning, "dilated_conv", name,
            "Conv '" + name + "' is dilated (" + joinInts(intsAttribute(node, "dilations")) + ")",
            "verify the dilation is supported by the Hailo DFC, or replace it with strided/pooled "
            "stages");
        break;
      }
    const auto autoPad = stringAttribute(node, "auto_pad");
    if (!autoPad.empty() && autoPad != "NOTSET" && autoPad != "VALID")
      add(Severity::Info, "conv_auto_pad", name, "Conv '" + name + "' uses auto_pad=" + autoPad);
    if (weight.size() >= 2) {
      const auto out = weight[0];
      const auto in = weight[1] * group;
      if (out % 8 != 0)
        add(Severity::Warning, "channels_not_multiple_of_8", name,
            "Conv '" + name + "' has " + std::to_string(out) +
                " output channels (not a multiple of 8)",
            "use channel counts that are multiples of 8 or 16");
      firstConv = firstConv || isDeviceChannelCount(in);  // reads the 9- or 6-channel IMU input
      if (in % 8 != 0)
        add(firstConv ? Severity::Info : Severity::Warning, "channels_not_multiple_of_8", name,
            "Conv '" + name + "' has " + std::to_string(in) +
                " input channels (not a multiple of 8)" +
                (firstConv ? "; expected for the IMU input (9 or 6 channels)" : ""),
            firstConv ? "" : "use channel counts that are multiples of 8 or 16");
    }
  }

  // What the walk over the nodes remembers across them: whether a Conv came already (the first
  // one sees the 9 IMU channels), and the pieces of a LayerNorm decomposed at opset 11
  // (ReduceMean, Pow, Sqrt), which no single node shows.
  struct NodeWalk {
    bool sawConv = false;
    bool sawReduceMean = false, sawPow = false, sawSqrt = false;
    std::string layerNormNode;
  };

  void checkNodes() {
    NodeWalk walk;
    int index = 0;
    for (const auto& node : model.proto().graph().node()) {
      const std::string name =
          node.name().empty() ? node.op_type() + "_" + std::to_string(index) : node.name();
      ++index;
      const std::string& op = node.op_type();
      ++report.opCounts[op];
      for (const auto& output : node.output()) {
        producerOf[output] = op;
        producerNode[output] = name;
        if (op == "Constant") constants.insert(output);
      }
      if (!node.domain().empty() && node.domain() != "ai.onnx") {
        add(Severity::Error, "custom_domain_op", name,
            "node '" + name + "' is " + node.domain() + "::" + op + " (a custom-domain op)",
            "export with standard ONNX ops only");
        continue;
      }
      if (!checkRuledOutOp(op, name)) checkNode(node, name, walk);
    }
    if (walk.sawReduceMean && walk.sawPow && walk.sawSqrt)
      add(Severity::Error, "decomposed_layernorm", walk.layerNormNode,
          "ReduceMean/Pow/Sqrt pattern (a LayerNorm decomposed at opset 11) starting at '" +
              walk.layerNormNode + "'",
          "replace LayerNorm with BatchNorm folded into the conv, or keep it off the device");
  }

  // Ops the contract rules out on the device whatever their attributes; false for any other op.
  bool checkRuledOutOp(const std::string& op, const std::string& name) {
    if (op == "Erf" || op == "Gelu") {
      add(Severity::Error, "op_not_hailo_safe", name,
          op + " '" + name + "' (GELU) is not supported on Hailo-8",
          "replace GELU with ReLU, or run this part on the host");
    } else if (op == "LayerNormalization" || op == "GroupNormalization" ||
               op == "InstanceNormalization" || op == "LpNormalization" ||
               op == "MeanVarianceNormalization") {
      add(Severity::Error, "op_not_hailo_safe", name,
          op + " '" + name + "' is not supported on Hailo-8",
          "replace it with BatchNorm (folded into the conv), or keep it off the device");
    } else if (op == "Softmax" || op == "LogSoftmax") {
      add(Severity::Error, "softmax_on_device", name,
          op + " '" + name + "' runs on the device; the contract applies softmax on the host",
          "export raw logits (drop the Softmax); imuwb applies softmax with the manifest's "
          "temperature");
    } else if (op == "Round") {
      add(Severity::Error, "round_on_device", name,
          "Round '" + name + "' runs on the device; FSQ rounding belongs on the host",
          "stop the device graph before Round (export the bounded projection, role "
          "fsq_projection)");
    } else if (op == "Loop" || op == "If" || op == "Scan") {
      add(Severity::Error, "control_flow", name, op + " '" + name + "' is dynamic control flow",
          "unroll the loop / remove the branch at export time");
    } else if (op == "Attention" || op == "MultiHeadAttention") {
      add(Severity::Error, "attention", name,
          op + " '" + name + "' (attention) is not supported on Hailo-8",
          "run attention on the host or replace it with convolutions");
    } else {
      return false;
    }
    return true;
  }

  // Every other op: its attributes and neighbours decide.
  void checkNode(const onnx::NodeProto& node, const std::string& name, NodeWalk& walk) {
    const std::string& op = node.op_type();
    if (op == "Conv") {
      checkConv(node, name, !walk.sawConv);
      walk.sawConv = true;
    } else if (op == "ConvTranspose") {
      add(Severity::Warning, "conv_transpose", name, "ConvTranspose '" + name + "' (deconvolution)",
          "verify Hailo DFC support or replace with Resize + Conv");
    } else if (op == "BatchNormalization") {
      checkBatchNorm(node, name);
    } else if (op == "MaxPool" || op == "AveragePool") {
      checkPool(node, name);
    } else if (op == "Clip") {
      // ReLU6 is Clip(0, 6); opset 11 passes min/max as inputs.
      add(Severity::Info, "clip", name, "Clip '" + name + "' (allowed as ReLU6 = Clip(0, 6))");
    } else if (op == "MatMul") {
      const bool constantWeight = node.input_size() > 1 && (constants.count(node.input(1)) ||
                                                            constants.count(node.input(0)));
      if (!constantWeight)
        add(Severity::Error, "attention", name,
            "MatMul '" + name + "' multiplies two activations (attention-like)",
            "run attention on the host or replace it with convolutions");
    } else if (op == "Pad") {
      checkPad(node, name);
    } else if (op == "Dropout") {
      const bool training = node.input_size() > 2 && !node.input(2).empty();
      add(training ? Severity::Error : Severity::Warning, "dropout", name,
          "Dropout '" + name + "' is left in the graph" +
              (training ? " with a training_mode input" : ""),
          "export in eval mode (model.eval()) so Dropout disappears");
    } else if (op == "Sigmoid") {
      checkSigmoid(node, name);
    } else if (op == "ReduceMean") {
      walk.sawReduceMean = true;
      if (walk.layerNormNode.empty()) walk.layerNormNode = name;
    } else if (op == "Pow") {
      walk.sawPow = true;
    } else if (op == "Sqrt") {
      walk.sawSqrt = true;
    } else if (op == "Tanh") {
      add(Severity::Warning, "tanh", name, "Tanh '" + name + "' is not in the contract's safe set",
          "verify DFC support, or move it to the host (FSQ bounds belong on device only as "
          "agreed)");
    } else if (op == "Slice") {
      add(Severity::Warning, "slice", name,
          "Slice '" + name + "' (e.g. a TCN 'chomp') is not in the safe set",
          "prefer causal padding on one side so no Slice is needed, and verify DFC support");
    } else if (op == "Sub" || op == "Div") {
      const bool onInput = node.input_size() && graphInputs.count(node.input(0));
      add(Severity::Info, "arithmetic", name,
          op + " '" + name + "'" +
              (onInput ? " on the graph input (in-model normalization?)" : ""));
    } else {
      checkListedOp(op, name);
    }
  }

  void checkBatchNorm(const onnx::NodeProto& node, const std::string& name) {
    const auto from = node.input_size() ? producerOf[node.input(0)] : std::string();
    if (from == "Conv" || from == "Gemm" || from == "MatMul")
      add(Severity::Warning, "unfused_batchnorm", name,
          "BatchNormalization '" + name + "' follows " + from + " '" + producerNode[node.input(0)] +
              "' but is not fused into it",
          "fold BN into the preceding layer before export (export in eval mode; "
          "torch.nn.utils.fusion.fuse_conv_bn_eval)");
    else
      add(Severity::Error, "standalone_batchnorm", name,
          "BatchNormalization '" + name + "' does not follow a Conv/Gemm and cannot be folded",
          "move the BatchNorm right after a Conv or remove it");
  }

  void checkPool(const onnx::NodeProto& node, const std::string& name) {
    const auto kernel = intsAttribute(node, "kernel_shape");
    for (auto k : kernel)
      if (k != 1 && !inSet(k, {2, 3})) {
        add(Severity::Warning, "pool_kernel", name,
            node.op_type() + " '" + name + "' kernel " + joinInts(kernel) + " is not 2 or 3",
            "use pooling kernels of 2 or 3, or GlobalAveragePool");
        break;
      }
  }

  void checkPad(const onnx::NodeProto& node, const std::string& name) {
    const auto mode = stringAttribute(node, "mode");
    if (mode == "reflect" || mode == "edge")
      add(Severity::Error, "reflect_padding", name, "Pad '" + name + "' uses " + mode + " padding",
          "use zero (constant) padding: padding_mode='zeros'");
    else
      add(Severity::Info, "pad", name,
          "Pad '" + name + "' (constant padding; usually folded into the conv)");
  }

  // Swish = x * sigmoid(x) is ruled out; a plain Sigmoid (motif scores) is fine.
  void checkSigmoid(const onnx::NodeProto& node, const std::string& name) {
    bool swish = false;
    for (const auto& other : model.proto().graph().node())
      if (other.op_type() == "Mul")
        for (const auto& in : other.input())
          if (in == node.output(0))
            for (const auto& in2 : other.input())
              if (in2 == node.input(0)) swish = true;
    if (swish)
      add(Severity::Error, "op_not_hailo_safe", name,
          "Sigmoid '" + name + "' with Mul forms Swish/SiLU, which the contract rules out",
          "replace Swish/SiLU with ReLU or LeakyReLU");
    else
      add(Severity::Info, "sigmoid", name,
          "Sigmoid '" + name +
              "' (an output activation such as motif scores; supported by the DFC)");
  }

  // Ops without a rule of their own: fine when the contract lists them, else a warning.
  void checkListedOp(const std::string& op, const std::string& name) {
    const auto& safe = hailoSafeOps();
    const auto& structural = hailoStructuralOps();
    if (std::find(safe.begin(), safe.end(), op) == safe.end() &&
        std::find(structural.begin(), structural.end(), op) == structural.end())
      add(Severity::Warning, "op_unknown_to_contract", name,
          op + " '" + name + "' is not in the contract's allowed list",
          "check Hailo DFC support for " + op + " or replace it with allowed ops");
  }

  void checkSize() {
    std::int64_t parameters = 0;
    for (const auto& init : model.initializers()) {
      if (init.dtype != engine::DType::Float32 && init.dtype != engine::DType::Float64) continue;
      std::int64_t count = 1;
      for (auto d : init.shape) count *= d;
      parameters += count;
    }
    report.parameterCount = parameters;
    report.weightBytesFp32 = parameters * 4;
    report.weightBytesInt8 = parameters;
    char text[200];
    std::snprintf(text, sizeof text,
                  "%lld parameters: %.1f KB as FP32, about %.1f KB as INT8 on the device",
                  static_cast<long long>(parameters), parameters * 4 / 1024.0, parameters / 1024.0);
    Severity severity = Severity::Info;
    std::string fix;
    if (parameters > 1'100'000) {
      severity = Severity::Warning;
      fix =
          "the pipeline's models hold about 46k-1.1M parameters (HEF 300-800 KB); shrink the model "
          "if "
          "it does not fit on-chip";
    }
    add(severity, "model_size", "parameters", text, fix);
  }

  void checkManifest(const Manifest* manifest, bool inferred) {
    if (!manifest || inferred) {
      // A bare export is not infeasible: what cannot be checked is the host's preprocessing.
      add(Severity::Warning, "missing_normalization_contract", "manifest",
          "cannot check preprocessing without a manifest: the normalization contract (mean/std, "
          "who applies it), channel order, devices and sample rate are unknown",
          "add a manifest.json with normalization {mean, std, channel_order, applied_by} "
          "(docs/manifest.md)");
      return;
    }
    if (!manifest->normalization.present) {
      add(Severity::Error, "missing_normalization_contract", "normalization",
          "the manifest has no normalization (mean/std per channel)",
          "add normalization {method: z_score_per_channel, mean, std, channel_order, applied_by}");
      return;
    }
    const bool byModel = manifest->normalization.appliedBy == NormalizationBy::Model;
    bool inputArithmetic = false;
    for (const auto& node : model.proto().graph().node())
      for (const auto& input : node.input())
        if (input == manifest->input.name && (node.op_type() == "Sub" || node.op_type() == "Div" ||
                                              node.op_type() == "BatchNormalization" ||
                                              node.op_type() == "Mul" || node.op_type() == "Add"))
          inputArithmetic = true;
    if (byModel && !inputArithmetic)
      add(Severity::Warning, "normalization_not_in_graph", "normalization",
          "the manifest says the model normalizes, but no Sub/Div/Mul/BatchNorm touches input '" +
              manifest->input.name + "'",
          "check applied_by: if the host must z-score, set applied_by to \"host\"");
    else if (!byModel && inputArithmetic)
      add(Severity::Warning, "normalization_twice", "normalization",
          "the host z-scores (applied_by host) and the graph also does arithmetic right on input "
          "'" +
              manifest->input.name + "': normalization may happen twice",
          "normalize exactly once: remove it from the graph or set applied_by to \"model\"");
    else
      add(Severity::Info, "normalization_contract", "normalization",
          std::string("z-score per channel, applied by the ") + (byModel ? "model" : "host"));
  }
};

}  // namespace

ContractReport checkHailoContract(const engine::OnnxModel& model, const Manifest* manifest,
                                  bool manifestInferred) {
  Checker checker(model);
  checker.checkHeader();
  checker.checkNodes();
  checker.checkSize();
  checker.checkManifest(manifest, manifestInferred);
  return std::move(checker.report);
}

}  // namespace imuwb

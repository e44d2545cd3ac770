// Hostile models and tensors: attributes that crash ONNX shape inference (strides=[0] raised
// SIGFPE), dims that overflow 64 bits, initializers whose data does not match their dims,
// corrupt version fields, files that are pipes, and thread counts that would exhaust the
// machine. Each is an imuwb::Error naming the file, the node or tensor and the rule; nothing
// is allocated for a claimed size before it is checked.
#include <gtest/gtest.h>
#include <onnx/defs/parser.h>
#include <onnx/onnx_pb.h>
#include <sys/stat.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <vector>

#include "common/Error.hpp"
#include "engine/InferenceSession.hpp"
#include "engine/OnnxModel.hpp"
#include "engine/ThreadPool.hpp"
#include "support/ErrorText.hpp"
#include "support/TestEnvironment.hpp"

namespace fs = std::filesystem;

namespace imuwb::engine {
namespace {

using imuwb::test::TempDir;

// Serialized as written: no shape inference here, since the point is what inference would do.
fs::path writeRawModel(const fs::path& path, const std::string& text,
                       const std::function<void(onnx::ModelProto&)>& edit = {}) {
  onnx::ModelProto model;
  const auto status = onnx::OnnxParser::Parse(model, text.c_str());
  EXPECT_TRUE(status.IsOK()) << status.ErrorMessage() << "\n" << text;
  if (edit) edit(model);
  std::ofstream out(path, std::ios::binary);
  model.SerializeToOstream(&out);
  return path;
}

std::string poolModel(const std::string& attributes) {
  return R"(<ir_version: 8, opset_import: ["" : 13]>
g (float[1,9,100] X) => (float[1,9,50] Y) {
  Y = MaxPool <)" +
         attributes + R"(> (X)
})";
}

// Y = X, and Y = X + B with the initializer B left for the test to add.
const std::string kIdentityModel = R"(<ir_version: 8, opset_import: ["" : 13]>
g (float[1,4] X) => (float[1,4] Y) {
  Y = Identity (X)
})";
const std::string kAddInitializerModel = R"(<ir_version: 8, opset_import: ["" : 13]>
g (float[1,4] X) => (float[1,4] Y) {
  Y = Add (X, B)
})";

// An edit adding the float initializer B with dims and rawBytes zero bytes of data (none when
// rawBytes is negative).
std::function<void(onnx::ModelProto&)> addInitializerB(std::vector<std::int64_t> dims,
                                                       long rawBytes) {
  return [dims = std::move(dims), rawBytes](onnx::ModelProto& m) {
    auto* b = m.mutable_graph()->add_initializer();
    b->set_name("B");
    b->set_data_type(onnx::TensorProto::FLOAT);
    for (const auto d : dims) b->add_dims(d);
    if (rawBytes >= 0) b->set_raw_data(std::string(static_cast<std::size_t>(rawBytes), '\0'));
  };
}

using test::errorText;
using test::expectContains;

struct ScopedLimit {
  ScopedLimit(const char* name, const char* value) : name_(name) { setenv(name, value, 1); }
  ~ScopedLimit() { unsetenv(name_); }
  const char* name_;
};

TEST(HostileModel, ZeroStrideIsRefusedBeforeShapeInference) {
  TempDir dir;
  const auto path = writeRawModel(
      dir / "pool.onnx", poolModel("kernel_shape = [2], strides = [0]"),
      [](onnx::ModelProto& m) { m.mutable_graph()->mutable_node(0)->set_name("pool1"); });
  expectContains(
      errorText([&] { loadOnnxModel(path); }),
      {"pool.onnx", "node 'pool1' (MaxPool)", "attribute strides[0] = 0", "must be >= 1"});
}

TEST(HostileModel, NegativeKernelDilationAndPadsAreRefused) {
  TempDir dir;
  const struct {
    std::string attributes, expected;
  } cases[] = {
      {"kernel_shape = [-5]", "attribute kernel_shape[0] = -5, must be >= 1"},
      {"kernel_shape = [0]", "attribute kernel_shape[0] = 0, must be >= 1"},
      {"kernel_shape = [2], dilations = [0]", "attribute dilations[0] = 0"},
      {"kernel_shape = [2], pads = [-1, 0]", "attribute pads[0] = -1, must be >= 0"},
      {"kernel_shape = [2], strides = [9223372036854775807]", "and <= 2^31-1"},
  };
  for (const auto& c : cases) {
    const auto path = writeRawModel(dir / "m.onnx", poolModel(c.attributes));
    expectContains(errorText([&] { loadOnnxModel(path); }),
                   {"m.onnx", "node 'MaxPool_0' (MaxPool)", c.expected});
  }
}

TEST(HostileModel, ConvGroupZeroIsRefused) {
  TempDir dir;
  const auto path = writeRawModel(dir / "conv.onnx", R"(<ir_version: 8, opset_import: ["" : 13]>
g (float[1,4,10] X, float[4,4,3] W) => (float[1,4,8] Y) {
  Y = Conv <group = 0> (X, W)
})");
  expectContains(errorText([&] { loadOnnxModel(path); }),
                 {"conv.onnx", "(Conv)", "attribute group = 0, must be >= 1"});
}

TEST(HostileModel, ConstantOfShapeOverTheElementLimitIsRefusedNamingTheNode) {
  TempDir dir;
  // [2^32, 2^32] = 2^64 elements: it once wrote a .npy claiming 2^65 values.
  const auto path = writeRawModel(dir / "cos.onnx", R"(<ir_version: 8, opset_import: ["" : 13]>
g (float[1,4] X) => (float[1,4] Y) {
  s = Constant <value = int64[2] {4294967296, 4294967296}> ()
  big = ConstantOfShape (s)
  Y = Identity (X)
})",
                                  [](onnx::ModelProto& m) {
                                    // Unused, yet folded at plan time like every constant.
                                    m.mutable_graph()->mutable_node(1)->set_name("fill");
                                  });
  const auto text = errorText([&] {
    const auto model = loadOnnxModel(path);
    InferenceSession session(model);
  });
  expectContains(text, {"cos.onnx", "node 'fill' (ConstantOfShape)", "[4294967296,4294967296]",
                        "tensor_elements limit"});
}

TEST(HostileModel, ANegativeComputedDimensionNamesTheNode) {
  TempDir dir;
  // Reshape to [-3, 4] used to say only "negative dimension in [-3,4]".
  const auto path = writeRawModel(
      dir / "r.onnx", R"(<ir_version: 8, opset_import: ["" : 13]>
g (float[3,4] X) => (float[3,4] Y) {
  s = Constant <value = int64[2] {-3, 4}> ()
  Y = Reshape (X, s)
})",
      [](onnx::ModelProto& m) { m.mutable_graph()->mutable_node(1)->set_name("reshape7"); });
  const auto text = errorText([&] {
    const auto model = loadOnnxModel(path);
    InferenceSession session(model);
  });
  expectContains(text, {"r.onnx", "node 'reshape7' (Reshape)", "-3"});
}

TEST(HostileModel, InitializerDataMustMatchItsDims) {
  TempDir dir;
  // Claims 2^40 floats (4 TiB) with 16 bytes of data.
  const auto path =
      writeRawModel(dir / "init.onnx", kAddInitializerModel, addInitializerB({1LL << 40}, 16));
  expectContains(errorText([&] { loadOnnxModel(path); }),
                 {"init.onnx", "initializer 'B'", "tensor_elements limit"});
  const auto small =
      writeRawModel(dir / "short.onnx", kAddInitializerModel, addInitializerB({4}, 12));
  expectContains(errorText([&] { loadOnnxModel(small); }),
                 {"short.onnx", "initializer 'B'", "holds 12 bytes of raw_data", "need 16"});
  const auto negative =
      writeRawModel(dir / "neg.onnx", kAddInitializerModel, addInitializerB({-4}, -1));
  expectContains(errorText([&] { loadOnnxModel(negative); }),
                 {"neg.onnx", "initializer 'B'", "dimension 0 = -4"});
}

// Like a bool .npy, a BOOL initializer's raw bytes may hold anything: any nonzero byte reads as
// true and is stored as 1, so no kernel loads an invalid bool.
TEST(HostileModel, BoolInitializerBytesOtherThanZeroOrOneReadAsTrue) {
  TempDir dir;
  const auto path = writeRawModel(dir / "bool.onnx", kIdentityModel, [](onnx::ModelProto& m) {
    auto* b = m.mutable_graph()->add_initializer();
    b->set_name("B");
    b->set_data_type(onnx::TensorProto::BOOL);
    b->add_dims(4);
    b->set_raw_data(std::string("\x00\x02\x20\xff", 4));
  });
  const auto tensor = loadOnnxModel(path).initializer("B");
  std::vector<unsigned char> bytes(4);
  std::memcpy(bytes.data(), tensor.raw(), 4);
  EXPECT_EQ(bytes, (std::vector<unsigned char>{0, 1, 1, 1}));
}

TEST(HostileModel, NegativeDeclaredInputDimensionIsRefused) {
  TempDir dir;
  const auto path = writeRawModel(dir / "in.onnx", kIdentityModel, [](onnx::ModelProto& m) {
    m.mutable_graph()
        ->mutable_input(0)
        ->mutable_type()
        ->mutable_tensor_type()
        ->mutable_shape()
        ->mutable_dim(1)
        ->set_dim_value(-7);
  });
  expectContains(errorText([&] { loadOnnxModel(path); }),
                 {"in.onnx", "input 'X'", "dimension 1 is -7"});
}

TEST(HostileModel, CorruptVersionFieldsGetAClearMessage) {
  TempDir dir;
  const auto ir = writeRawModel(dir / "ir.onnx", kIdentityModel,
                                [](onnx::ModelProto& m) { m.set_ir_version(-2147483648LL); });
  expectContains(errorText([&] { loadOnnxModel(ir); }),
                 {"ir.onnx", "IR version is -2147483648", "not a valid ONNX version number"});
  const auto opset = writeRawModel(dir / "opset.onnx", kIdentityModel, [](onnx::ModelProto& m) {
    m.mutable_opset_import(0)->set_version(-2147483648LL);
  });
  expectContains(
      errorText([&] { loadOnnxModel(opset); }),
      {"opset.onnx", "opset_import[0] (domain 'ai.onnx') version is -2147483648", "corrupt"});
}

TEST(HostileModel, APipeOrAnOversizedFileIsNotReadAsAModel) {
  TempDir dir;
  const auto fifo = dir / "pipe.onnx";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  expectContains(errorText([&] { loadOnnxModel(fifo); }), {"pipe.onnx", "not a regular file"});
  const auto path = writeRawModel(dir / "ok.onnx", kIdentityModel);
  ScopedLimit limit("IMUWB_LIMIT_MODEL_BYTES", "16");
  expectContains(errorText([&] { loadOnnxModel(path); }),
                 {"ok.onnx", "over the limit of 16", "IMUWB_LIMIT_MODEL_BYTES"});
}

TEST(HostileModel, TensorShapesAreCheckedBeforeAllocation) {
  const Shape huge{1LL << 32, 1LL << 32};
  expectContains(errorText([&] { Tensor tensor(DType::Float32, huge); }),
                 {"[4294967296,4294967296]", "tensor_elements limit"});
  expectContains(errorText([&] { checkedElementCount(huge, "x.npy", "the array"); }),
                 {"x.npy", "the array"});
  // A zero dimension does not hide a huge extent (a loop over 2^62 empty rows).
  expectContains(errorText([&] {
                   checkedElementCount({0, 1LL << 62}, "z", "the array");
                 }),
                 {"tensor_elements limit"});
  EXPECT_EQ(checkedElementCount({0, 5}, "z", "the array"), 0);
  EXPECT_EQ(checkedElementCount({3, 5}, "z", "the array"), 15);
  ScopedLimit limit("IMUWB_LIMIT_TENSOR_ELEMENTS", "10");
  EXPECT_EQ(checkedElementCount({2, 5}, "z", "the array"), 10);
  expectContains(errorText([&] { checkedElementCount({11}, "z", "the array"); }), {"limit of 10"});
}

// libonnx's shape inference indexes dimensions with axis attributes unchecked: the fuzzer's
// LayerNormalization with axis=-2817 segfaulted inside InferShapes. Each is refused before it,
// naming the node, the attribute, the value and the rank (graph inputs, and intermediate values
// whose rank only inference knows).
TEST(HostileModel, AxesOutsideTheInputRankAreRefusedBeforeShapeInference) {
  TempDir dir;
  const struct {
    std::string name, text;
    std::vector<std::string> expected;
  } cases[] = {
      // The fuzzer's crash: inference writes the Mean output's dims from axis, unchecked.
      {"layernorm.onnx",
       R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[1,4,8] X, float[8] S) => (float[1,4,8] Y, float[1,4,1] M) {
  Y, M = LayerNormalization <axis = -2817> (X, S)
})",
       {"layernorm.onnx", "node 'LayerNormalization_0' (LayerNormalization)",
        "attribute axis = -2817", "input 'X' of rank 3", "valid: -3 to 2", "re-export"}},
      // The Softmax input is an intermediate value: its rank comes from inference of Relu.
      {"softmax.onnx",
       R"(<ir_version: 8, opset_import: ["" : 13]>
g (float[1,4,8] X) => (float[1,4,8] Y) {
  r = Relu (X)
  Y = Softmax <axis = 3> (r)
})",
       {"softmax.onnx", "node 'Softmax_1' (Softmax)", "attribute axis = 3", "input 'r' of rank 3"}},
      {"concat.onnx",
       R"(<ir_version: 8, opset_import: ["" : 13]>
g (float[2,3] A, float[2,3] B) => (float[4,3] Y) {
  Y = Concat <axis = -3> (A, B)
})",
       {"concat.onnx", "(Concat)", "attribute axis = -3", "input 'A' of rank 2", "valid: -2 to 1"}},
      {"gather.onnx",
       R"(<ir_version: 8, opset_import: ["" : 13]>
g (float[2,3,4] X, int64[2] I) => (float[2,3,2] Y) {
  Y = Gather <axis = 3> (X, I)
})",
       {"gather.onnx", "(Gather)", "attribute axis = 3", "input 'X' of rank 3"}},
      {"perm-repeat.onnx",
       R"(<ir_version: 8, opset_import: ["" : 13]>
g (float[2,3,4] X) => (float[2,2,3] Y) {
  Y = Transpose <perm = [0, 0, 1]> (X)
})",
       {"perm-repeat.onnx", "(Transpose)", "perm = [0,0,1] is not a permutation of 0..2"}},
      {"perm-short.onnx",
       R"(<ir_version: 8, opset_import: ["" : 13]>
g (float[2,3,4] X) => (float[3,2] Y) {
  Y = Transpose <perm = [1, 0]> (X)
})",
       {"perm-short.onnx", "(Transpose)", "perm = [1,0] has 2 entries", "input 'X' has rank 3"}},
      {"unsqueeze.onnx",
       R"(<ir_version: 8, opset_import: ["" : 11]>
g (float[2,3] X) => (float[2,3,1] Y) {
  Y = Unsqueeze <axes = [4]> (X)
})",
       {"unsqueeze.onnx", "(Unsqueeze)", "attribute axes[0] = 4", "valid: -3 to 2"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto path = writeRawModel(dir / c.name, c.text);
    expectContains(errorText([&] { loadOnnxModel(path); }), c.expected);
  }
  // Where no rank is known (a Reshape to a shape of unknown length), |axis| is bounded.
  const auto unknown =
      writeRawModel(dir / "unknown.onnx", R"(<ir_version: 8, opset_import: ["" : 13]>
g (float[1,4] X, int64[N] S) => (float[1,4] Y) {
  r = Reshape (X, S)
  Y = Softmax <axis = 100000> (r)
})");
  expectContains(errorText([&] { loadOnnxModel(unknown); }),
                 {"unknown.onnx", "node 'Softmax_1' (Softmax)", "attribute axis = 100000",
                  "is beyond any tensor's rank", "<= 64"});
}

TEST(HostileModel, AxesInsideTheRankStillLoad) {
  TempDir dir;
  const auto path = writeRawModel(dir / "ok.onnx", R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[1,4,8] X, float[8] S, int64[2] I) => (float[1,8,2] Y) {
  n = LayerNormalization <axis = -1> (X, S)
  s = Softmax <axis = -1> (n)
  c = Concat <axis = 1> (s, n)
  g = Gather <axis = 1> (c, I)
  f = Flatten <axis = 3> (g)
  Y = Transpose <perm = [0, 2, 1]> (g)
})");
  const auto model = loadOnnxModel(path);
  EXPECT_EQ(model.nodes().size(), 6u);
}

TEST(HostileModel, ThreadCountsAreBoundedByTheThreadsLimit) {
  expectContains(errorText([] { validateThreadCount(100000, "--threads"); }),
                 {"--threads", "100000", "threads limit of 256", "IMUWB_LIMIT_THREADS"});
  expectContains(errorText([] { validateThreadCount(-3, "--threads"); }), {"negative"});
  EXPECT_EQ(validateThreadCount(4, "--threads"), 4);
  expectContains(errorText([] { ThreadPool pool(100000); }), {"threads limit of 256"});
  ScopedLimit limit("IMUWB_LIMIT_THREADS", "2");
  expectContains(errorText([] { ThreadPool pool(3); }), {"threads limit of 2"});
  ThreadPool pool(2);
  EXPECT_EQ(pool.size(), 2);
}

}  // namespace
}  // namespace imuwb::engine

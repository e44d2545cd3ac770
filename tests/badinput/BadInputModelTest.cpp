// Bad-input cases for model-side loading: hostile .npy windows and calibration sets, ONNX
// models whose attributes, dims, initializers or version fields lie, manifests and the
// pipeline's model_config.json with deep nesting, empty shapes, impossible numbers, and thread
// counts that would exhaust the machine, across run-model, parity, drift, check,
// calib-export and run. The harness (BadInputHarness.hpp) asserts exit code, message, nothing
// written, RSS and no hang.
#include <onnx/defs/parser.h>
#include <onnx/onnx_pb.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>

#include "BadInputHarness.hpp"
#include "support/RawNpy.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb::badinput {
namespace {

namespace fs = std::filesystem;

using Args = std::vector<std::string>;
using Json = nlohmann::json;

std::string sampleSession() {
  return (test::sourceDir() / "samples/sessions/dog_10min_collar_harness.h5").string();
}

void writeText(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// A version 1.0 .npy with this shape and data, byte by byte (numpy would refuse to write the
// hostile ones).
void writeNpy(const fs::path& path, const std::string& shape, const std::string& data = {},
              const std::string& descr = "<f4") {
  test::writeRawNpy(path, test::npyShapeDict(shape, descr), data);
}

// A well-formed float32 input for the small test models below: [1,9,100].
void writeGoodInput(const fs::path& path) {
  writeNpy(path, "(1, 9, 100)", std::string(900 * 4, '\0'));
}

// An ONNX model from its text form, serialized as-is (no shape inference: that is the point).
void writeOnnx(const fs::path& path, const std::string& text,
               const std::function<void(onnx::ModelProto&)>& edit = {}) {
  onnx::ModelProto model;
  const auto status = onnx::OnnxParser::Parse(model, text.c_str());
  ASSERT_TRUE(status.IsOK()) << status.ErrorMessage();
  if (edit) edit(model);
  std::ofstream out(path, std::ios::binary);
  model.SerializeToOstream(&out);
}

const char* kHeader = R"(<ir_version: 8, opset_import: ["" : 13]>)";

std::string poolModel(const std::string& attributes) {
  return std::string(kHeader) + R"(
g (float[1,9,100] x) => (float[1,9,50] y) {
  y = MaxPool <)" +
         attributes +
         R"(> (x)
})";
}

std::string identityModel() {
  return std::string(kHeader) + R"(
g (float[1,9,100] x) => (float[1,9,100] y) {
  y = Identity (x)
})";
}

void nameNode(onnx::ModelProto& model, int index, const std::string& name) {
  model.mutable_graph()->mutable_node(index)->set_name(name);
}

void addInitializer(onnx::ModelProto& model, std::int64_t dim, std::size_t rawBytes) {
  model.mutable_graph()->mutable_node(0)->set_op_type("Add");
  model.mutable_graph()->mutable_node(0)->add_input("B");
  auto* b = model.mutable_graph()->add_initializer();
  b->set_name("B");
  b->set_data_type(onnx::TensorProto::FLOAT);
  b->add_dims(dim);
  b->set_raw_data(std::string(rawBytes, '\0'));
}

// The sample bundle copied to {dir}/b, its manifest.json changed by edit.
std::function<void(const fs::path&)> bundleWith(std::function<void(Json&)> edit) {
  return [edit](const fs::path& dir) {
    fs::create_directories(dir / "b");
    fs::copy_file(sampleModelDir() / "model.onnx", dir / "b/model.onnx");
    std::ifstream in(sampleModelDir() / "manifest.json");
    Json manifest = Json::parse(in);
    edit(manifest);
    writeText(dir / "b/manifest.json", manifest.dump(1));
  };
}

// The sample bundle copied to {dir}/b with its manifest.json text replaced outright.
std::function<void(const fs::path&)> bundleWithText(std::function<std::string(Json)> text,
                                                    const std::string& name = "manifest.json") {
  return [text, name](const fs::path& dir) {
    fs::create_directories(dir / "b");
    fs::copy_file(sampleModelDir() / "model.onnx", dir / "b/model.onnx");
    std::ifstream in(sampleModelDir() / "manifest.json");
    writeText(dir / "b" / name, text(Json::parse(in)));
  };
}

// The pipeline's legacy export record for the sample model, in {dir}/b/model_config.json.
Json modelConfig() {
  return Json::parse(R"({
    "model_specs": {"input_shape": [1, 100, 9], "output_shape": [1, 64],
                    "output_format": "latent"},
    "normalization": {"method": "z_score_per_channel", "mean": [0,0,0,0,0,0,0,0,0],
                      "std": [1,1,1,1,1,1,1,1,1],
                      "channel_order": ["ax","ay","az","gx","gy","gz","mx","my","mz"]},
    "files": {"onnx_model": "model.onnx"}
  })");
}

std::function<void(const fs::path&)> modelConfigText(std::function<std::string()> text) {
  return [text](const fs::path& dir) {
    fs::create_directories(dir / "b");
    writeOnnx(dir / "b/model.onnx", std::string(kHeader) + R"(
g (float[1,100,9] x) => (float[1,64] latent) {
  latent = Flatten (x)
})");
    writeText(dir / "b/model_config.json", text());
  };
}

// Valid JSON text with one field's value replaced by raw text (deep nesting, 1e999).
std::string withRaw(Json document, const std::string& field, const std::string& raw) {
  document[field] = "@@RAW@@";
  std::string text = document.dump();
  const std::string placeholder = "\"@@RAW@@\"";
  text.replace(text.find(placeholder), placeholder.size(), raw);
  return text;
}

std::string deep(int depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

Args runModel(const std::string& model, const std::string& input = "{dir}/x.npy") {
  return {"run-model", model, "--input", input, "--save-outputs", "{dir}/out"};
}
Args parityInputs(const std::string& inputs) {
  return {"parity", "--model", "{model}", "--inputs", inputs,        "--a",
          "cpu",    "--b",     "cpu",     "--report", "{dir}/r.json"};
}
Args drift(const std::string& model, const std::string& calib) {
  return {"drift", "--model", model, "--calib", calib, "--report", "{dir}/r.json"};
}
Args check(const std::string& model) {
  return {"check", model, "--session", sampleSession()};
}
Args calibExport(const std::string& model) {
  return {"calib-export", "--model", model, "--session", sampleSession(), "--out", "{dir}/c.npy"};
}
Args run(const std::string& model, Args extra = {}) {
  Args args{"run", "--model", model, "--session", sampleSession(), "--out", "{dir}/o.h5"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// A quantization parameter file in the saved format with one hostile activation scale.
std::string quantParamsWithScale(double scale) {
  Json activation = {{"tensor", "imu_window"},
                     {"node", ""},
                     {"is_graph_input", true},
                     {"bits", 8},
                     {"scale", scale},
                     {"zero_point", 128},
                     {"q_min", 0},
                     {"q_max", 255},
                     {"range_min", -4.0},
                     {"range_max", 4.0},
                     {"calib_min", -4.0},
                     {"calib_max", 4.0},
                     {"clip_fraction", 0.0},
                     {"range_source", "minmax"}};
  Json config = {{"activation_bits", 8},     {"weight_bits", 8},    {"weights_per_channel", true},
                 {"range_method", "minmax"}, {"percentile", 99.99}, {"overrides", Json::array()}};
  Json document = {
      {"format", "imuwb-quant-params"}, {"format_version", 1}, {"model_sha256", ""},
      {"calibration_windows", 16},      {"config", config},    {"activations", {activation}},
      {"weights", Json::array()}};
  return document.dump();
}

std::vector<Case> modelCases() {
  std::vector<Case> cases;
  auto add = [&](std::string name, std::function<void(const fs::path&)> make, Args args,
                 std::vector<std::string> mentions, int exit = 2) {
    cases.push_back({std::move(name), std::move(make), std::move(args), exit, std::move(mentions)});
  };
  auto withIdentity = [](std::function<void(const fs::path&)> makeInput) {
    return [makeInput](const fs::path& dir) {
      writeOnnx(dir / "m.onnx", identityModel());
      makeInput(dir);
    };
  };

  // --- .npy windows on run-model --------------------------------------------------------
  add("run_model_npy_count_overflows_64_bits",
      withIdentity([](const fs::path& d) { writeNpy(d / "x.npy", "(8589934592, 4294967296)"); }),
      runModel("{dir}/m.onnx"), {"x.npy", "tensor_elements limit"});
  add("run_model_npy_zero_dim_hides_huge_extent",
      withIdentity([](const fs::path& d) { writeNpy(d / "x.npy", "(4611686018427387904, 0)"); }),
      runModel("{dir}/m.onnx"), {"x.npy", "tensor_elements limit"});
  // Under the tensor_elements limit, so only the size-vs-file check can refuse it.
  add("run_model_npy_claims_more_than_the_file",
      withIdentity([](const fs::path& d) { writeNpy(d / "x.npy", "(1000000, 9)", "abcd"); }),
      runModel("{dir}/m.onnx"), {"x.npy", "truncated"});
  add("run_model_npy_negative_dim",
      withIdentity([](const fs::path& d) { writeNpy(d / "x.npy", "(-1, 9, 100)"); }),
      runModel("{dir}/m.onnx"), {"x.npy", "negative dimension"});
  add("run_model_npy_header_longer_than_file", withIdentity([](const fs::path& d) {
        std::ofstream(d / "x.npy", std::ios::binary)
            .write("\x93NUMPY\x02\x00\xff\xff\xff\x00{", 13);
      }),
      runModel("{dir}/m.onnx"), {"x.npy", "header is truncated"});
  add("run_model_npy_shape_not_integers",
      withIdentity([](const fs::path& d) { writeNpy(d / "x.npy", "(99999999999999999999999,)"); }),
      runModel("{dir}/m.onnx"), {"x.npy", "not a tuple of integers"});
  add("run_model_npy_fifo",
      withIdentity([](const fs::path& d) { ::mkfifo((d / "x.npy").c_str(), 0600); }),
      runModel("{dir}/m.onnx"), {"x.npy", "not a regular file"});
  add("run_model_npy_dev_zero", withIdentity([](const fs::path&) {}),
      runModel("{dir}/m.onnx", "/dev/zero"), {"/dev/zero", "not a regular file"});

  // --- hostile ONNX on run-model ---------------------------------------------------------
  add("run_model_onnx_pool_stride_zero",
      [](const fs::path& d) {
        writeOnnx(d / "m.onnx", poolModel("kernel_shape = [2], strides = [0]"),
                  [](onnx::ModelProto& m) { nameNode(m, 0, "pool1"); });
        writeGoodInput(d / "x.npy");
      },
      runModel("{dir}/m.onnx"), {"m.onnx", "node 'pool1' (MaxPool)", "strides[0] = 0"});
  add("run_model_onnx_pool_kernel_negative",
      [](const fs::path& d) {
        writeOnnx(d / "m.onnx", poolModel("kernel_shape = [-5]"));
        writeGoodInput(d / "x.npy");
      },
      runModel("{dir}/m.onnx"), {"m.onnx", "(MaxPool)", "kernel_shape[0] = -5"});
  add("run_model_onnx_pool_dilation_zero",
      [](const fs::path& d) {
        writeOnnx(d / "m.onnx", poolModel("kernel_shape = [2], dilations = [0]"));
        writeGoodInput(d / "x.npy");
      },
      runModel("{dir}/m.onnx"), {"m.onnx", "(MaxPool)", "dilations[0] = 0"});
  add("run_model_onnx_constant_of_shape_2_pow_64",
      [](const fs::path& d) {
        writeOnnx(d / "m.onnx", std::string(kHeader) + R"(
g (float[1,9,100] x) => (float[1,9,100] y) {
  s = Constant <value = int64[2] {4294967296, 4294967296}> ()
  big = ConstantOfShape (s)
  y = Identity (x)
})",
                  [](onnx::ModelProto& m) { nameNode(m, 1, "fill"); });
        writeGoodInput(d / "x.npy");
      },
      runModel("{dir}/m.onnx"), {"m.onnx", "node 'fill' (ConstantOfShape)", "tensor_elements"});
  add("run_model_onnx_reshape_negative_dim",
      [](const fs::path& d) {
        writeOnnx(d / "m.onnx", std::string(kHeader) + R"(
g (float[1,9,100] x) => (float y) {
  s = Constant <value = int64[2] {-3, 300}> ()
  y = Reshape (x, s)
})",
                  [](onnx::ModelProto& m) { nameNode(m, 1, "reshape7"); });
        writeGoodInput(d / "x.npy");
      },
      runModel("{dir}/m.onnx"), {"m.onnx", "reshape7"});
  add("run_model_onnx_ir_version_int_min",
      [](const fs::path& d) {
        writeOnnx(d / "m.onnx", identityModel(),
                  [](onnx::ModelProto& m) { m.set_ir_version(-2147483648LL); });
        writeGoodInput(d / "x.npy");
      },
      runModel("{dir}/m.onnx"), {"m.onnx", "IR version is -2147483648", "corrupt"});
  add("run_model_onnx_opset_int_min",
      [](const fs::path& d) {
        writeOnnx(d / "m.onnx", identityModel(), [](onnx::ModelProto& m) {
          m.mutable_opset_import(0)->set_version(-2147483648LL);
        });
        writeGoodInput(d / "x.npy");
      },
      runModel("{dir}/m.onnx"), {"m.onnx", "opset_import[0]", "-2147483648"});
  add("run_model_onnx_initializer_short_raw_data",
      [](const fs::path& d) {
        writeOnnx(d / "m.onnx", identityModel(),
                  [](onnx::ModelProto& m) { addInitializer(m, 100, 12); });
        writeGoodInput(d / "x.npy");
      },
      runModel("{dir}/m.onnx"), {"m.onnx", "initializer 'B'", "12 bytes of raw_data"});
  add("run_model_onnx_initializer_claims_2_pow_40",
      [](const fs::path& d) {
        writeOnnx(d / "m.onnx", identityModel(),
                  [](onnx::ModelProto& m) { addInitializer(m, 1LL << 40, 16); });
        writeGoodInput(d / "x.npy");
      },
      runModel("{dir}/m.onnx"), {"m.onnx", "initializer 'B'", "tensor_elements limit"});
  add("run_model_onnx_input_dim_negative",
      [](const fs::path& d) {
        writeOnnx(d / "m.onnx", identityModel(), [](onnx::ModelProto& m) {
          m.mutable_graph()
              ->mutable_input(0)
              ->mutable_type()
              ->mutable_tensor_type()
              ->mutable_shape()
              ->mutable_dim(2)
              ->set_dim_value(-100);
        });
        writeGoodInput(d / "x.npy");
      },
      runModel("{dir}/m.onnx"), {"m.onnx", "input 'x'", "dimension 2 is -100"});
  add("run_model_onnx_garbage_bytes",
      [](const fs::path& d) {
        writeText(d / "m.onnx", std::string(4096, '\xff'));
        writeGoodInput(d / "x.npy");
      },
      runModel("{dir}/m.onnx"), {"m.onnx", "not a valid ONNX protobuf"});
  add("run_model_onnx_fifo",
      [](const fs::path& d) {
        ::mkfifo((d / "m.onnx").c_str(), 0600);
        writeGoodInput(d / "x.npy");
      },
      runModel("{dir}/m.onnx"), {"m.onnx", "not a regular file"});
  add("run_model_onnx_dev_zero", [](const fs::path& d) { writeGoodInput(d / "x.npy"); },
      runModel("/dev/zero"), {"/dev/zero", "not a regular file"});
  add("run_model_threads_100000",
      withIdentity([](const fs::path& d) { writeGoodInput(d / "x.npy"); }),
      {"run-model", "{dir}/m.onnx", "--input", "{dir}/x.npy", "--threads", "100000"},
      {"--threads", "threads limit"});

  // --- parity --inputs and drift --calib on hostile .npy ----------------------------------
  add("parity_inputs_npy_count_overflows",
      [](const fs::path& d) { writeNpy(d / "x.npy", "(4294967296, 4294967296)"); },
      parityInputs("{dir}/x.npy"), {"x.npy", "tensor_elements limit"});
  add("parity_inputs_npy_fifo", [](const fs::path& d) { ::mkfifo((d / "x.npy").c_str(), 0600); },
      parityInputs("{dir}/x.npy"), {"x.npy", "not a regular file"});
  add("parity_threads_100000", nullptr,
      {"parity", "--model", "{model}", "--session", sampleSession(), "--report", "{dir}/r.json",
       "--threads", "100000"},
      {"--threads", "threads limit"});
  add("drift_calib_npy_count_overflows",
      [](const fs::path& d) { writeNpy(d / "c.npy", "(8589934592, 4294967296)"); },
      drift("{model}", "{dir}/c.npy"), {"c.npy", "tensor_elements limit"});
  add("drift_calib_npy_huge_rows_no_data",
      [](const fs::path& d) { writeNpy(d / "c.npy", "(2147483647, 0)"); },
      drift("{model}", "{dir}/c.npy"), {"c.npy"});
  add("drift_calib_dev_zero", nullptr, drift("{model}", "/dev/zero"),
      {"/dev/zero", "not a regular file"});

  // --- manifests -------------------------------------------------------------------------
  add("check_manifest_deep_training",
      bundleWithText([](Json m) { return withRaw(m, "training", deep(100000)); }), check("{dir}/b"),
      {"manifest.json", "deeper than 64"});
  add("check_manifest_temperature_denormal", bundleWith([](Json& m) { m["temperature"] = 1e-320; }),
      check("{dir}/b"), {"manifest.json: temperature", "must be in"});
  add("check_manifest_std_zero_in_float32",
      bundleWith([](Json& m) { m["normalization"]["std"][3] = 1e-300; }), check("{dir}/b"),
      {"manifest.json: normalization.std[3]", "1e-300"});
  add("check_manifest_number_beyond_double",
      bundleWithText([](Json m) { return withRaw(m, "temperature", "1e999"); }), check("{dir}/b"),
      {"manifest.json", "out of range", "1e999"});
  add("check_manifest_output_size_1e20",
      bundleWith([](Json& m) { m["outputs"][0]["size"] = 1e20; }), check("{dir}/b"),
      {"manifest.json: outputs[0].size"});
  add("check_manifest_input_shape_empty",
      bundleWith([](Json& m) { m["input"]["shape"] = Json::array(); }), check("{dir}/b"),
      {"manifest.json: input.shape", "empty"});
  add("check_manifest_fsq_codebook_overflow", bundleWith([](Json& m) {
        m["outputs"][0]["role"] = "fsq_projection";
        m["outputs"][0]["size"] = 8;
        m["fsq"] = {{"levels", {65536, 65536, 65536, 65536, 65536, 65536, 65536, 65536}}};
      }),
      check("{dir}/b"), {"manifest.json: fsq.levels", "overflow"});
  add("check_manifest_fifo",
      [](const fs::path& d) {
        fs::create_directories(d / "b");
        fs::copy_file(sampleModelDir() / "model.onnx", d / "b/model.onnx");
        ::mkfifo((d / "b/manifest.json").c_str(), 0600);
      },
      check("{dir}/b"), {"manifest.json", "not a regular file"});
  add("calib_export_manifest_deep_training",
      bundleWithText([](Json m) { return withRaw(m, "training", deep(100000)); }),
      calibExport("{dir}/b"), {"manifest.json", "deeper than 64"});
  add("drift_manifest_std_zero_in_float32",
      bundleWith([](Json& m) { m["normalization"]["std"][0] = 1e-300; }),
      drift("{dir}/b", "{dir}/c.npy"), {"manifest.json: normalization.std[0]"});
  add("run_manifest_temperature_denormal", bundleWith([](Json& m) { m["temperature"] = 1e-320; }),
      run("{dir}/b"), {"manifest.json: temperature"});

  // --- the pipeline's model_config.json --------------------------------------------------
  add("check_model_config_output_shape_empty", modelConfigText([] {
        auto c = modelConfig();
        c["model_specs"]["output_shape"] = Json::array();
        return c.dump();
      }),
      check("{dir}/b"), {"model_config.json: model_specs.output_shape", "empty"});
  add("check_model_config_deep_training",
      modelConfigText([] { return withRaw(modelConfig(), "training", deep(100000)); }),
      check("{dir}/b"), {"model_config.json", "deeper than 64"});
  add("check_model_config_deep_legacy_export_info",
      modelConfigText([] { return withRaw(modelConfig(), "legacy_export_info", deep(100000)); }),
      check("{dir}/b"), {"model_config.json", "deeper than 64"});
  add("run_model_config_deep_export_info_beside_onnx",
      [](const fs::path& d) {
        modelConfigText([] { return withRaw(modelConfig(), "export_info", deep(100000)); })(d);
      },
      run("{dir}/b/model.onnx"), {"model_config.json", "deeper than 64"});

  // --- int8 on run: hostile calibration sets and parameter files --------------------------
  add("run_int8_calib_npy_count_overflows",
      [](const fs::path& d) { writeNpy(d / "c.npy", "(8589934592, 4294967296)"); },
      run("{model}", {"--backend", "int8", "--calib", "{dir}/c.npy"}),
      {"c.npy", "tensor_elements limit"});
  add("run_int8_calib_huge_rows_no_data",
      [](const fs::path& d) { writeNpy(d / "c.npy", "(4611686018427387904, 0, 9)"); },
      run("{model}", {"--backend", "int8", "--calib", "{dir}/c.npy"}), {"c.npy"});
  add("run_int8_quant_params_denormal_scale",
      [](const fs::path& d) { writeText(d / "q.json", quantParamsWithScale(1e-320)); },
      run("{model}", {"--backend", "int8", "--quant-params", "{dir}/q.json"}),
      {"q.json.activations[0].scale"});
  add("run_int8_quant_params_deep",
      [](const fs::path& d) { writeText(d / "q.json", deep(100000)); },
      run("{model}", {"--backend", "int8", "--quant-params", "{dir}/q.json"}),
      {"q.json", "deeper than 64"});
  add("run_threads_100000", nullptr, run("{model}", {"--threads", "100000"}),
      {"--threads", "threads limit"});
  return cases;
}

class ModelBadInput : public ::testing::TestWithParam<Case> {};

TEST_P(ModelBadInput, IsRefusedClearlyWithinBounds) {
  expectRejected(GetParam());
}

INSTANTIATE_TEST_SUITE_P(Hostile, ModelBadInput, ::testing::ValuesIn(modelCases()), caseName);

}  // namespace
}  // namespace imuwb::badinput

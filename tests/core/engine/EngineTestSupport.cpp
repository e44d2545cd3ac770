#include "EngineTestSupport.hpp"

#include <onnx/defs/parser.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "engine/InferenceSession.hpp"
#include "engine/NpyTensor.hpp"

namespace fs = std::filesystem;

namespace imuwb::engine::test {

Tensor randomTensor(Shape shape, std::mt19937& rng, float low, float high) {
  Tensor tensor(DType::Float32, std::move(shape));
  std::uniform_real_distribution<float> uniform(low, high);
  for (auto& value : tensor.floats()) value = uniform(rng);
  return tensor;
}

fs::path writeModel(const fs::path& path, const std::string& text,
                    const std::vector<NamedTensor>& initializers) {
  onnx::ModelProto model;
  const auto status = onnx::OnnxParser::Parse(model, text.c_str());
  if (!status.IsOK()) {
    ADD_FAILURE() << "model text does not parse: " << status.ErrorMessage() << "\n" << text;
    return {};
  }
  // "float Y" parses as a scalar; the tests mean "shape left to inference".
  for (auto& output : *model.mutable_graph()->mutable_output())
    if (output.type().tensor_type().has_shape() &&
        output.type().tensor_type().shape().dim_size() == 0)
      output.mutable_type()->mutable_tensor_type()->clear_shape();
  for (const auto& init : initializers) {
    auto* tensor = model.mutable_graph()->add_initializer();
    tensor->set_name(init.name);
    for (auto dim : init.tensor.shape()) tensor->add_dims(dim);
    switch (init.tensor.dtype()) {
      case DType::Float32:
        tensor->set_data_type(onnx::TensorProto::FLOAT);
        break;
      case DType::Int64:
        tensor->set_data_type(onnx::TensorProto::INT64);
        break;
      case DType::Int32:
        tensor->set_data_type(onnx::TensorProto::INT32);
        break;
      case DType::Float64:
        tensor->set_data_type(onnx::TensorProto::DOUBLE);
        break;
      default:
        ADD_FAILURE() << "unsupported initializer dtype";
        return {};
    }
    tensor->set_raw_data(init.tensor.raw(), init.tensor.byteSize());
  }
  try {  // fills in the output shapes left open above (the checker wants them present)
    onnx::shape_inference::InferShapes(model);
  } catch (const std::exception& error) {
    ADD_FAILURE() << "shape inference failed on the test model: " << error.what() << "\n" << text;
  }
  std::ofstream out(path, std::ios::binary);
  model.SerializeToOstream(&out);
  return path;
}

std::vector<std::vector<Tensor>> runOrt(const std::vector<PeerCase>& cases, const fs::path& workDir,
                                        std::vector<std::string>* ortErrors, int threads) {
  nlohmann::json jobs = nlohmann::json::array();
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const fs::path dir = workDir / ("case_" + std::to_string(i));
    fs::create_directories(dir);
    nlohmann::json inputs = nlohmann::json::object();
    for (std::size_t k = 0; k < cases[i].inputs.size(); ++k) {
      const fs::path file = dir / ("in_" + std::to_string(k) + ".npy");
      writeNpyTensor(file, cases[i].inputs[k].tensor);
      inputs[cases[i].inputs[k].name] = file.string();
    }
    jobs.push_back({{"model", cases[i].model.string()},
                    {"out", (dir / "ort").string()},
                    {"threads", threads},
                    {"inputs", inputs}});
  }
  const fs::path jobsFile = workDir / "jobs.json";
  std::ofstream(jobsFile) << jobs.dump();
  const std::string command =
      "IMUWB_PEERS_DIR=" + imuwb::test::shellQuote(imuwb::test::peersDir()) + " " +
      imuwb::test::shellQuote(imuwb::test::nodePath()) + " " +
      imuwb::test::shellQuote((imuwb::test::sourceDir() / "tests/peers/ort_run.js").string()) +
      " --jobs " + imuwb::test::shellQuote(jobsFile.string());
  const auto result = imuwb::test::runCommand(command);
  EXPECT_EQ(result.exitCode, 0) << result.errors;
  std::vector<std::vector<Tensor>> outputs(cases.size());
  if (ortErrors) ortErrors->assign(cases.size(), "");
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const fs::path out = workDir / ("case_" + std::to_string(i)) / "ort";
    if (fs::exists(out / "error.txt")) {
      std::ifstream in(out / "error.txt");
      std::stringstream text;
      text << in.rdbuf();
      if (ortErrors) (*ortErrors)[i] = text.str();
      continue;
    }
    for (int k = 0; fs::exists(out / ("out_" + std::to_string(k) + ".npy")); ++k)
      outputs[i].push_back(readNpyTensor(out / ("out_" + std::to_string(k) + ".npy")));
  }
  return outputs;
}

double maxAbs(const Tensor& tensor) {
  double best = 0;
  for (float v : tensor.floats()) best = std::max(best, std::fabs(double(v)));
  return best;
}

double maxAbsDiff(const Tensor& a, const Tensor& b) {
  double best = 0;
  auto x = a.floats(), y = b.floats();
  for (std::size_t i = 0; i < x.size() && i < y.size(); ++i) {
    const double d = std::fabs(double(x[i]) - double(y[i]));
    if (std::isnan(d)) return INFINITY;
    best = std::max(best, d);
  }
  return best;
}

double cosine(const Tensor& a, const Tensor& b) {
  double dot = 0, na = 0, nb = 0;
  auto x = a.floats(), y = b.floats();
  for (std::size_t i = 0; i < x.size(); ++i) {
    dot += double(x[i]) * y[i];
    na += double(x[i]) * x[i];
    nb += double(y[i]) * y[i];
  }
  return dot / std::sqrt(na * nb);
}

int expectMatchesOrt(const std::vector<PeerCase>& cases, const fs::path& workDir,
                     double tolerance) {
  std::vector<std::string> errors;
  const auto expected = runOrt(cases, workDir, &errors);
  int compared = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(cases[i].label);
    if (!errors[i].empty()) {
      ADD_FAILURE() << "ONNX Runtime rejected the case: " << errors[i];
      continue;
    }
    RunResult actual;
    try {
      InferenceSession session(loadOnnxModel(cases[i].model));
      actual = session.run(cases[i].inputs);
    } catch (const std::exception& error) {
      ADD_FAILURE() << "engine failed: " << error.what();
      continue;
    }
    if (actual.outputs.size() != expected[i].size()) {
      ADD_FAILURE() << "engine gave " << actual.outputs.size() << " outputs, ORT "
                    << expected[i].size();
      continue;
    }
    for (std::size_t k = 0; k < expected[i].size(); ++k) {
      const Tensor& want = expected[i][k];
      const Tensor& got = actual.outputs[k].tensor;
      if (got.shape() != want.shape() || got.dtype() != want.dtype()) {
        ADD_FAILURE() << "output " << k << ": engine " << shapeToString(got.shape()) << " "
                      << dtypeName(got.dtype()) << ", ORT " << shapeToString(want.shape()) << " "
                      << dtypeName(want.dtype());
        continue;
      }
      if (want.dtype() != DType::Float32) {
        EXPECT_EQ(0, std::memcmp(got.raw(), want.raw(), want.byteSize())) << "output " << k;
        continue;
      }
      const double limit = tolerance * std::max(1.0, maxAbs(want));
      EXPECT_LE(maxAbsDiff(got, want), limit)
          << "output " << k << " (max |ort| " << maxAbs(want) << ")";
    }
    ++compared;
  }
  return compared;
}

}  // namespace imuwb::engine::test

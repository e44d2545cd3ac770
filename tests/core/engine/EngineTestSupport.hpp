#pragma once
// Shared by the engine tests: models built from ONNX's textual syntax (onnx::OnnxParser) with
// random initializers, ONNX Runtime (the independent peer) driven through tests/peers/ort_run.js,
// and tensor comparisons.
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "engine/Tensor.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb::engine::test {

Tensor randomTensor(Shape shape, std::mt19937& rng, float low = -1.f, float high = 1.f);

// Parses `text` (an ONNX model in textual syntax), adds the initializers, and saves it.
// Fails the test (ADD_FAILURE) and returns an empty path when the text does not parse.
std::filesystem::path writeModel(const std::filesystem::path& path, const std::string& text,
                                 const std::vector<NamedTensor>& initializers = {});

// One model + inputs to run through both engines.
struct PeerCase {
  std::string label;  // printed on failure: the model text and attributes
  std::filesystem::path model;
  std::vector<NamedTensor> inputs;
};

// Runs every case through ONNX Runtime in one node process. Returns outputs per case (model
// output order); a case whose ORT run failed gets an empty vector and ortErrors[i] set.
std::vector<std::vector<Tensor>> runOrt(const std::vector<PeerCase>& cases,
                                        const std::filesystem::path& workDir,
                                        std::vector<std::string>* ortErrors = nullptr,
                                        int threads = 1);

double maxAbs(const Tensor& tensor);
double maxAbsDiff(const Tensor& a, const Tensor& b);
double cosine(const Tensor& a, const Tensor& b);

// Runs every case in the engine and compares with ORT: max |engine - ort| <= tolerance *
// max(1, max|ort|). Returns the number of cases compared.
int expectMatchesOrt(const std::vector<PeerCase>& cases, const std::filesystem::path& workDir,
                     double tolerance = 1e-5);

}  // namespace imuwb::engine::test

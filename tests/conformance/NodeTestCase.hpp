#pragma once
// One ONNX backend node test (onnx/backend/test/data/node/<name>: model.onnx and
// test_data_set_0/{input,output}_*.pb) run through the engine as `run-model` runs a model:
// load, plan, run the given inputs, compare every output with ONNX's backend-test tolerances.
#include <filesystem>
#include <string>

namespace imuwb::test::conformance {

enum class Outcome { Pass, Refused, Wrong };

struct CaseResult {
  Outcome outcome = Outcome::Wrong;
  std::string category;  // refused: a short reason ("unsupported-op:LSTM"); wrong: what failed
  std::string message;   // the engine's message (refused) or the mismatch (wrong)
};

// Runs one test directory in this process. Never throws: an imuwb::Error is Refused, anything
// else (another exception, a mismatch) is Wrong.
CaseResult runNodeTest(const std::filesystem::path& dir);

// The short reason category of an engine error message.
std::string refusalCategory(const std::string& message);

const char* outcomeName(Outcome outcome);

}  // namespace imuwb::test::conformance

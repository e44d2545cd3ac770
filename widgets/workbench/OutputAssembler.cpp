#include "OutputAssembler.hpp"

#include "common/Error.hpp"

namespace imuwb::widgets {

OutputAssembler::OutputAssembler(const ModelBundle& bundle, std::string backendName,
                                 std::size_t strideSamples, double sampleRateHz)
    : bundle_(bundle), derived_(bundle) {
  const auto& manifest = bundle.manifest;
  outputs_.modelName = manifest.name;
  outputs_.backendName = std::move(backendName);
  outputs_.modelSha256 = bundle.model ? bundle.sha256() : std::string();
  outputs_.strideSamples = strideSamples;
  outputs_.manifestJson = manifestToJson(manifest).dump();
  outputs_.windowLength_s = manifest.input.windowLength / sampleRateHz;
  if (const auto* latent = manifest.findRole(OutputRole::Latent)) {
    outputs_.latent.name = latent->name;
    outputs_.latent.width = static_cast<std::size_t>(latent->size);
  }
  if (const auto* motifs = manifest.findRole(OutputRole::MotifScores)) {
    outputs_.motifScores.name = motifs->name;
    outputs_.motifScores.width = static_cast<std::size_t>(motifs->size);
    outputs_.motifScores.columnNames = motifs->names;
  }
  if (const auto* logits = manifest.findRole(OutputRole::Logits)) {
    outputs_.probabilities.name = logits->name;
    outputs_.probabilities.width = static_cast<std::size_t>(logits->size);
    outputs_.probabilities.columnNames = logits->names;
  } else if (derived_.hasFsqHead()) {
    fsqProbabilities_ = true;
    outputs_.probabilities.name = "fsq_head";
    outputs_.probabilities.width = derived_.fsqClassCount();
    outputs_.probabilities.columnNames = manifest.fsq->classNames;
  }
}

OutputAssembler::~OutputAssembler() = default;

void OutputAssembler::append(WindowMatrix& matrix, const std::string& name,
                             const std::vector<float>& values, std::size_t rows) const {
  if (values.size() != rows * matrix.width)
    throw Error("backend '" + outputs_.backendName + "' output '" + name + "'",
                "returned " + std::to_string(values.size()) + " values, expected " +
                    std::to_string(rows) + " x " + std::to_string(matrix.width),
                "check that the manifest's output sizes match the model");
  matrix.values.insert(matrix.values.end(), values.begin(), values.end());
}

void OutputAssembler::add(const OutputSet& set, const std::vector<double>& windowStart_s) {
  const std::size_t rows = windowStart_s.size();
  for (const auto& spec : bundle_.manifest.outputs) {
    const OutputTensor* tensor = set.find(spec.name);
    if (!tensor) continue;
    if (spec.role == OutputRole::Latent && spec.name == outputs_.latent.name)
      append(outputs_.latent, spec.name, tensor->values, rows);
    if (spec.role == OutputRole::MotifScores && spec.name == outputs_.motifScores.name)
      append(outputs_.motifScores, spec.name, tensor->values, rows);
  }
  derived_.compute(set, rows, batch_);
  if (fsqProbabilities_) {
    if (!batch_.fsqProbabilities.empty())
      append(outputs_.probabilities, "fsq_head", batch_.fsqProbabilities, rows);
  } else {
    for (std::size_t k = 0; k < batch_.probabilityOutputs.size(); ++k)
      if (batch_.probabilityOutputs[k] == outputs_.probabilities.name &&
          !batch_.probabilities[k].empty())
        append(outputs_.probabilities, outputs_.probabilities.name, batch_.probabilities[k], rows);
  }
  outputs_.windowStart_s.insert(outputs_.windowStart_s.end(), windowStart_s.begin(),
                                windowStart_s.end());
}

}  // namespace imuwb::widgets

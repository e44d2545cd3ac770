#include "OutputAssembler.hpp"

#include "common/Error.hpp"
#include "pipeline/PostProcessing.hpp"

namespace imuwb::widgets {

OutputAssembler::OutputAssembler(const ModelBundle& bundle, std::string backendName,
                                 std::size_t strideSamples, double sampleRateHz)
    : bundle_(bundle) {
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
  } else if (manifest.fsq && bundle.fsqHead) {
    fsq_ = std::make_unique<FsqQuantizer>(manifest.fsq->levels);
    fsqHead_ = std::make_unique<FsqHead>(*bundle.fsqHead, *manifest.fsq);
    outputs_.probabilities.name = "fsq_head";
    outputs_.probabilities.width = fsqHead_->classCount();
    outputs_.probabilities.columnNames = manifest.fsq->classNames;
  }
}

OutputAssembler::~OutputAssembler() = default;

void OutputAssembler::add(const OutputSet& set, const std::vector<double>& windowStart_s) {
  const auto& manifest = bundle_.manifest;
  const std::size_t rows = windowStart_s.size();
  auto append = [&](WindowMatrix& matrix, const OutputTensor& tensor) {
    if (tensor.windowCount() != rows || tensor.valuesPerWindow() != matrix.width)
      throw Error("backend '" + outputs_.backendName + "' output '" + tensor.name + "'",
                  "returned " + std::to_string(tensor.windowCount()) + " x " +
                      std::to_string(tensor.valuesPerWindow()) + " values, expected " +
                      std::to_string(rows) + " x " + std::to_string(matrix.width),
                  "check that the manifest's output sizes match the model");
    matrix.values.insert(matrix.values.end(), tensor.values.begin(), tensor.values.end());
  };
  for (const auto& spec : manifest.outputs) {
    const OutputTensor* tensor = set.find(spec.name);
    if (!tensor) continue;
    switch (spec.role) {
      case OutputRole::Latent:
        if (spec.name == outputs_.latent.name) append(outputs_.latent, *tensor);
        break;
      case OutputRole::MotifScores:
        if (spec.name == outputs_.motifScores.name) append(outputs_.motifScores, *tensor);
        break;
      case OutputRole::Logits: {
        if (spec.name != outputs_.probabilities.name) break;
        OutputTensor probabilities = *tensor;
        softmaxWithTemperature(tensor->values.data(), rows, outputs_.probabilities.width,
                               manifest.temperature, probabilities.values.data());
        append(outputs_.probabilities, probabilities);
        break;
      }
      case OutputRole::FsqProjection: {
        if (!fsq_ || !fsqHead_) break;
        const std::size_t d = tensor->valuesPerWindow();
        std::vector<float> codes(rows * d);
        std::vector<std::int64_t> indices(rows);
        fsq_->quantize(tensor->values.data(), rows, manifest.fsq->boundOnDevice, codes.data(),
                       indices.data());
        auto logits = fsqHead_->logits(codes, rows);
        OutputTensor probabilities{"fsq_head",
                                   {static_cast<std::int64_t>(rows),
                                    static_cast<std::int64_t>(outputs_.probabilities.width)},
                                   std::vector<float>(logits.size())};
        softmaxWithTemperature(logits.data(), rows, outputs_.probabilities.width,
                               manifest.temperature, probabilities.values.data());
        append(outputs_.probabilities, probabilities);
        break;
      }
      case OutputRole::Other:
        break;  // nothing to plot for an output of unknown meaning
    }
  }
  outputs_.windowStart_s.insert(outputs_.windowStart_s.end(), windowStart_s.begin(),
                                windowStart_s.end());
}

}  // namespace imuwb::widgets

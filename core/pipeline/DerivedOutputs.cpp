#include "pipeline/DerivedOutputs.hpp"

#include "common/Error.hpp"
#include "pipeline/PostProcessing.hpp"

namespace imuwb {

DerivedOutputs::DerivedOutputs(const ModelBundle& bundle) : manifest_(bundle.manifest) {
  projection_ = manifest_.findRole(OutputRole::FsqProjection);
  if (!manifest_.fsq || !projection_) return;
  fsq_ = std::make_unique<FsqQuantizer>(manifest_.fsq->levels);
  if (bundle.fsqHead) head_ = std::make_unique<FsqHead>(*bundle.fsqHead, *manifest_.fsq);
}

DerivedOutputs::~DerivedOutputs() = default;

std::size_t DerivedOutputs::fsqClassCount() const {
  if (!head_) return 0;
  return head_->classCount() ? head_->classCount() : manifest_.fsq->classNames.size();
}

std::vector<OutputColumn> DerivedOutputs::columns() const {
  std::vector<OutputColumn> columns;
  for (const auto& spec : manifest_.outputs) {
    if (spec.role != OutputRole::Logits) continue;
    OutputColumn probabilities{probabilitiesPath(spec.name),
                               static_cast<std::size_t>(spec.size),
                               false,
                               {{"temperature", manifest_.temperature}, {"source", spec.name}}};
    if (!spec.names.empty()) probabilities.attributes["names"] = spec.names;
    columns.push_back(probabilities);
  }
  if (!fsq_) return columns;
  columns.push_back({"derived/fsq_codes",
                     manifest_.fsq->levels.size(),
                     false,
                     {{"levels", nlohmann::json(manifest_.fsq->levels).dump()}}});
  columns.push_back({"derived/fsq_code_index", 0, true, {}});
  if (!head_) return columns;
  OutputColumn logits{"derived/fsq_logits", fsqClassCount(), false, {}};
  OutputColumn probabilities{"derived/fsq_probabilities",
                             fsqClassCount(),
                             false,
                             {{"temperature", manifest_.temperature}}};
  if (!manifest_.fsq->classNames.empty()) {
    logits.attributes["names"] = manifest_.fsq->classNames;
    probabilities.attributes["names"] = manifest_.fsq->classNames;
  }
  columns.push_back(logits);
  columns.push_back(probabilities);
  return columns;
}

const std::vector<float>* DerivedOutputs::Batch::probabilitiesOf(const std::string& name) const {
  for (std::size_t k = 0; k < probabilityOutputs.size(); ++k)
    if (probabilityOutputs[k] == name && !probabilities[k].empty()) return &probabilities[k];
  return nullptr;
}

void DerivedOutputs::write(const Batch& batch, OutputsWriter& writer,
                           const std::string& backend) const {
  for (std::size_t k = 0; k < batch.probabilityOutputs.size(); ++k)
    if (!batch.probabilities[k].empty())
      writer.appendValues(backend, probabilitiesPath(batch.probabilityOutputs[k]),
                          batch.probabilities[k].data(), batch.rows);
  if (batch.fsqIndices.empty()) return;
  writer.appendValues(backend, "derived/fsq_codes", batch.fsqCodes.data(), batch.rows);
  writer.appendIndices(backend, "derived/fsq_code_index", batch.fsqIndices.data(), batch.rows);
  if (batch.fsqLogits.empty()) return;
  writer.appendValues(backend, "derived/fsq_logits", batch.fsqLogits.data(), batch.rows);
  writer.appendValues(backend, "derived/fsq_probabilities", batch.fsqProbabilities.data(),
                      batch.rows);
}

void DerivedOutputs::compute(const OutputSet& outputs, std::size_t rows, Batch& batch) {
  batch.rows = rows;
  batch.probabilityOutputs.clear();
  std::size_t k = 0;
  for (const auto& spec : manifest_.outputs) {
    if (spec.role != OutputRole::Logits) continue;
    if (batch.probabilities.size() <= k) batch.probabilities.emplace_back();
    auto& probabilities = batch.probabilities[k++];
    batch.probabilityOutputs.push_back(spec.name);
    const OutputTensor* tensor = outputs.find(spec.name);
    if (!tensor) {
      probabilities.clear();
      continue;
    }
    if (tensor->values.size() != rows * static_cast<std::size_t>(spec.size))
      throw Error("output '" + spec.name + "'",
                  "has " + std::to_string(tensor->values.size()) + " values for " +
                      std::to_string(rows) + " windows of size " + std::to_string(spec.size),
                  "check that the manifest's output sizes match the model");
    probabilities.resize(tensor->values.size());
    softmaxWithTemperature(tensor->values.data(), rows, static_cast<std::size_t>(spec.size),
                           manifest_.temperature, probabilities.data());
  }
  batch.probabilities.resize(k);
  batch.fsqCodes.clear();
  batch.fsqIndices.clear();
  batch.fsqLogits.clear();
  batch.fsqProbabilities.clear();
  const OutputTensor* projection = fsq_ ? outputs.find(projection_->name) : nullptr;
  if (!projection) return;
  if (projection->values.size() != rows * manifest_.fsq->levels.size())
    throw Error("output '" + projection->name + "'",
                "has " + std::to_string(projection->values.size()) + " values for " +
                    std::to_string(rows) + " windows of " +
                    std::to_string(manifest_.fsq->levels.size()) + " FSQ levels",
                "check the manifest's fsq levels against the model");
  batch.fsqCodes.resize(projection->values.size());
  batch.fsqIndices.resize(rows);
  fsq_->quantize(projection->values.data(), rows, manifest_.fsq->boundOnDevice,
                 batch.fsqCodes.data(), batch.fsqIndices.data());
  if (!head_ || rows == 0) return;
  batch.fsqLogits = head_->logits(batch.fsqCodes, rows);
  batch.fsqProbabilities.resize(batch.fsqLogits.size());
  softmaxWithTemperature(batch.fsqLogits.data(), rows, batch.fsqLogits.size() / rows,
                         manifest_.temperature, batch.fsqProbabilities.data());
}

}  // namespace imuwb

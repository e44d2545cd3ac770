#include "jobs/JobOptionsJson.hpp"

#include <optional>

namespace imuwb::jobs {
namespace {

std::vector<std::string> pathTexts(const std::vector<std::filesystem::path>& paths) {
  std::vector<std::string> texts;
  for (const auto& path : paths) texts.push_back(path.string());
  return texts;
}

nlohmann::json rangesJson(const std::vector<quant::CalibrationRange>& ranges) {
  nlohmann::json json = nlohmann::json::array();
  for (const auto& r : ranges)
    json.push_back({{"device", r.device}, {"start_s", r.startSeconds}, {"end_s", r.endSeconds}});
  return json;
}

template <class T>
nlohmann::json optionalJson(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

nlohmann::json toJson(const ReportFiles& files) {
  return {{"json", files.json.string()},
          {"html", files.html.string()},
          {"junit", files.junit.string()}};
}

nlohmann::json toJson(const quant::NoiseAnalysisOptions& noise) {
  return {{"max_windows", noise.maxWindows},
          {"only_this_layer", noise.onlyThisLayer},
          {"flag_below_db", noise.flagBelow_db},
          {"threads", noise.threads},
          {"chunk_windows", noise.chunkWindows}};
}

}  // namespace

nlohmann::json toJson(const Int8Choices& c) {
  return {{"calibration", c.calibration.string()},
          {"quant_params", c.quantParams.string()},
          {"input_range", c.inputRange},
          {"range", c.range},
          {"weights", c.weights},
          {"bits", c.bits},
          {"a16", c.a16},
          {"clip", c.clip}};
}

nlohmann::json toJson(const RunJobOptions& o) {
  return {{"session", o.session.string()},
          {"backend", o.backend},
          {"backend_settings", o.backendSettings},
          {"calibration", o.calibration.string()},
          {"quant_params", o.quantParams.string()},
          {"threads", o.threads},
          {"run",
           {{"out", o.run.outPath.string()},
            {"csv", o.run.csvPath.string()},
            {"stride", o.run.stride},
            {"label_rule", o.run.labelRule == LabelRule::Majority ? "majority" : "centre"},
            {"devices", o.run.devices},
            {"fallback_to_session_devices", o.run.fallbackToSessionDevices},
            {"share_device", o.run.shareDevice},
            {"block_windows", o.run.blockWindows},
            {"max_windows", o.run.maxWindows},
            {"hash_session", o.run.hashSession}}},
          {"force", o.force},
          {"resample", o.resample}};
}

nlohmann::json toJson(const RunModelJobOptions& o) {
  return {{"model", o.model.string()},
          {"inputs", o.inputs},
          {"output_dir", o.outputDir.string()},
          {"taps", o.taps},
          {"threads", o.threads},
          {"slice_windows", o.sliceWindows},
          {"force", o.force}};
}

nlohmann::json toJson(const ParityJobOptions& o) {
  const auto& c = o.compare;
  return {{"a", o.a},
          {"b", o.b},
          {"reference", o.reference},
          {"a_settings", o.aSettings},
          {"b_settings", o.bSettings},
          {"int8", toJson(o.int8)},
          {"threads", o.threads},
          {"save_params", o.saveParams.string()},
          {"compare",
           {{"sessions", pathTexts(c.sessions)},
            {"inputs_npy", c.inputsNpy.string()},
            {"stride", c.stride},
            {"devices", c.devices},
            {"share_device", c.shareDevice},
            {"max_windows", c.maxWindows},
            {"block_windows", c.blockWindows},
            {"min_cosine", c.minCosine},
            {"min_top1_agreement", optionalJson(c.minTop1Agreement)},
            {"min_snr_db", optionalJson(c.minSnr_db)},
            {"motif_threshold", c.motifThreshold},
            {"layer_analysis", c.layerAnalysis},
            {"noise", toJson(c.noise)},
            {"input_clip_error_fraction", c.inputClipErrorFraction},
            {"resample", c.resample}}},
          {"reports", toJson(o.reports)},
          {"force", o.force}};
}

nlohmann::json toJson(const DriftJobOptions& o) {
  const auto& a = o.analysis;
  return {{"int8", toJson(o.int8)},
          {"threads", o.threads},
          {"analysis",
           {{"sessions", pathTexts(a.sessions)},
            {"stride", a.stride},
            {"devices", a.devices},
            {"share_device", a.shareDevice},
            {"use_manifest_input_range", a.useManifestInputRange},
            {"noise", toJson(a.noise)},
            {"input_clip_error_fraction", a.inputClipErrorFraction},
            {"save_params", a.saveParams.string()},
            {"resample", a.resample}}},
          {"reports", toJson(o.reports)},
          {"force", o.force}};
}

nlohmann::json toJson(const CalibExportJobOptions& o) {
  return {{"sessions", pathTexts(o.sessions)},
          {"out", o.out.string()},
          {"windows", o.windows},
          {"stride", o.stride},
          {"layout", o.layout == quant::CalibrationLayout::Model ? "model" : "nhwc"},
          {"seed", o.seed},
          {"devices", o.devices},
          {"share_device", o.shareDevice},
          {"force", o.force},
          {"resample", o.resample},
          {"ranges", rangesJson(o.ranges)},
          {"classes", o.classes},
          {"balance", quant::calibrationBalanceName(o.balance)}};
}

nlohmann::json toJson(const ConvertJobOptions& o) {
  const bool nhwc = o.convert.inputLayout == convert::InputLayoutChoice::NHWC;
  return {{"model", o.model.string()},
          {"output", o.output.string()},
          {"target", o.target},
          {"input_layout", nhwc ? "nhwc" : "nchw"},
          {"gemm_as_conv", o.convert.gemmAsConv},
          {"max_parameters", o.convert.maxParameters},
          {"break_rewrite", o.convert.breakRewrite},
          {"report", o.report.string()},
          {"session", o.session.string()},
          {"devices", o.devices},
          {"windows", o.windows},
          {"threads", o.threads},
          {"force", o.force}};
}

nlohmann::json toJson(const ImportJobOptions& o) {
  return {{"input", o.input.string()},
          {"output", o.output.string()},
          {"labels", o.labels.string()},
          {"units",
           {{"acc", optionalJson(o.import.units.acc)},
            {"gyro", optionalJson(o.import.units.gyro)},
            {"mag", optionalJson(o.import.units.mag)}}},
          {"sample_rate_hz", optionalJson(o.import.sampleRateHz)},
          {"device_name", o.import.deviceName},
          {"map", o.import.columns.map},
          {"ignore", o.import.columns.ignore},
          {"date", o.import.date},
          {"force", o.force}};
}

nlohmann::json toJson(const EvaluateJobOptions& o) {
  const auto& t = o.thresholds;
  return {{"sessions", pathTexts(o.sessions)},
          {"backend", o.backend},
          {"compare_backend", o.compareBackend},
          {"backend_settings", o.backendSettings},
          {"compare_settings", o.compareSettings},
          {"int8", toJson(o.int8)},
          {"threads", o.threads},
          {"stride", o.stride},
          {"label_rule", o.labelRule == LabelRule::Majority ? "majority" : "centre"},
          {"devices", o.devices},
          {"share_device", o.shareDevice},
          {"resample", o.resample},
          {"max_windows", o.maxWindows},
          {"calibration_split", o.calibrationSplit},
          {"split_block", o.splitBlock},
          {"alpha", o.alpha},
          {"min_accuracy", optionalJson(t.minAccuracy)},
          {"max_ece", optionalJson(t.maxEce)},
          {"min_coverage", optionalJson(t.minCoverage)},
          {"reports", toJson(o.reports)},
          {"force", o.force}};
}

nlohmann::json toJson(const GenerateJobOptions& o) {
  const auto& g = o.generator;
  return {{"output", o.output.string()},
          {"duration_s", g.durationSeconds},
          {"seed", g.seed},
          {"devices", g.devices},
          {"sample_rate_hz", g.sampleRateHz},
          {"start_time", g.startTime},
          {"magnetometer", g.magnetometer},
          {"force", o.force}};
}

}  // namespace imuwb::jobs

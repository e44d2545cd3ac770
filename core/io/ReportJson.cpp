#include "io/ReportJson.hpp"

#include <chrono>
#include <cmath>
#include <ctime>

#include "common/AtomicFile.hpp"
#include "common/BuildInfo.hpp"
#include "common/Error.hpp"

namespace imuwb::io {

using nlohmann::json;

json reportNumber(double value) {
  if (std::isnan(value)) return nullptr;
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  return value;
}

namespace {

std::string utcNow() {
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

json source(const analysis::SourceInfo& s) {
  json details = json::array();  // in the backend's order: [key, value] pairs
  for (const auto& d : s.details) details.push_back({{"key", d.key}, {"value", d.value}});
  return {{"label", s.label},
          {"kind", s.kind},
          {"precision", s.precision},
          {"detail", s.detail},
          {"details", details},
          {"determinism", s.determinism.empty() ? json(nullptr) : json(s.determinism)},
          {"non_deterministic", s.nonDeterministic}};
}

std::string className(const analysis::OutputParity& o, int index) {
  if (index >= 0 && static_cast<std::size_t>(index) < o.classNames.size())
    return o.classNames[static_cast<std::size_t>(index)];
  return std::to_string(index);
}

json output(const analysis::OutputParity& o, const ReportJsonOptions& options) {
  json checks = json::array();
  for (const auto& c : o.checks)
    checks.push_back({{"name", c.name},
                      {"metric", c.metric},
                      {"comparison", c.comparison},
                      {"value", reportNumber(c.value)},
                      {"threshold", c.threshold},
                      {"passed", c.passed}});
  json worst = json::array();
  for (const auto& w : o.worst)
    worst.push_back({{"window", w.window},
                     {"time_s", w.time_s},
                     {"cosine", reportNumber(w.cosine)},
                     {"mse", reportNumber(w.mse)}});
  json tolerance = {
      {"min_cosine", o.tolerance.minCosine},
      {"min_cosine_p5", o.tolerance.minCosineP5 ? json(*o.tolerance.minCosineP5) : json(nullptr)},
      {"min_snr_db", o.tolerance.minSnr_db ? json(*o.tolerance.minSnr_db) : json(nullptr)},
      {"min_top1_agreement",
       o.tolerance.minTop1Agreement ? json(*o.tolerance.minTop1Agreement) : json(nullptr)},
      {"motif_threshold", o.tolerance.motifThreshold},
      {"source", o.tolerance.source}};
  json out = {
      {"output", o.output},
      {"role", std::string(roleName(o.role))},
      {"windows", o.windows},
      {"dim", o.dim},
      {"class_names", o.classNames},
      {"metrics",
       {{"cosine_mean", reportNumber(o.cosineMean)},
        {"cosine_min", reportNumber(o.cosineMin)},
        {"cosine_p5", reportNumber(o.cosineP5)},
        {"snr_db", reportNumber(o.snr_db)},
        {"mse", reportNumber(o.mse)},
        {"max_abs", reportNumber(o.maxAbs)},
        {"max_rel", reportNumber(o.maxRel)},
        {"top1_agreement", o.top1Agreement ? reportNumber(*o.top1Agreement) : json(nullptr)}}},
      {"tolerance", tolerance},
      {"checks", checks},
      {"worst_windows", worst},
      {"passed", o.passed}};
  if (o.role == OutputRole::Logits) {
    json list = json::array();
    for (std::size_t i = 0; i < o.flips.size() && i < options.maxListItems; ++i) {
      const auto& f = o.flips[i];
      list.push_back({{"window", f.window},
                      {"time_s", f.time_s},
                      {"class_a", className(o, f.classA)},
                      {"class_b", className(o, f.classB)}});
    }
    out["flips"] = {{"count", o.flips.size()}, {"listed", list}};
  }
  if (o.role == OutputRole::MotifScores) {
    json list = json::array();
    for (std::size_t i = 0; i < o.crossings.size() && i < options.maxListItems; ++i) {
      const auto& c = o.crossings[i];
      list.push_back({{"window", c.window},
                      {"time_s", c.time_s},
                      {"motif", className(o, c.motif)},
                      {"score_a", c.scoreA},
                      {"score_b", c.scoreB},
                      {"change", c.gained ? "gained" : "lost"}});
    }
    out["crossings"] = {{"threshold", o.tolerance.motifThreshold},
                        {"gained", o.crossingsGained},
                        {"lost", o.crossingsLost},
                        {"listed", list}};
  }
  return out;
}

json layers(const analysis::LayerNoiseReport& report) {
  json items = json::array();
  for (const auto& l : report.layers) {
    json per_output = json::array();
    for (const auto& s : l.snrOnlyThisLayer)
      per_output.push_back({{"output", s.output}, {"snr_db", reportNumber(s.snr_db)}});
    items.push_back(
        {{"node", l.node},
         {"tensor", l.tensor},
         {"op", l.op},
         {"precision", l.precision},
         {"snr_all_quantized_db", reportNumber(l.snrAllQuantized_db)},
         {"snr_only_this_layer_db", per_output},
         {"snr_only_this_layer_min_db",
          report.onlyThisLayerComputed ? reportNumber(l.snrOnlyThisLayerMin_db) : json(nullptr)},
         {"clip_fraction", l.clipFraction},
         {"outlier_ratio", l.outlierRatio},
         {"rank", l.rank},
         {"flagged", l.flagged},
         {"suggestion", l.suggestion}});
  }
  return {{"flag_below_db", report.flagBelow_db},
          {"windows", report.windows},
          {"only_this_layer_computed", report.onlyThisLayerComputed},
          {"layers", items}};
}

}  // namespace

json parityReportToJson(const analysis::ParityResult& result, const ReportJsonOptions& options) {
  json outputs = json::array();
  for (const auto& o : result.outputs) outputs.push_back(output(o, options));
  json findings = json::array();
  for (const auto& f : result.findings) findings.push_back(toJson(f));
  json document = {{"format", "imuwb-parity-report"},
                   {"format_version", kParityReportVersion},
                   {"kind", options.kind},
                   {"tool", {{"name", "imuwb"}, {"version", build_info::kVersion}}},
                   {"created_utc", utcNow()},
                   {"model", {{"name", result.modelName}, {"sha256", result.modelSha256}}},
                   {"inputs", result.inputs},
                   {"a", source(result.a)},
                   {"b", source(result.b)},
                   {"windows", result.windows},
                   {"seconds", result.seconds},
                   {"passed", result.passed()},
                   {"outputs", outputs},
                   {"layers", result.layers ? layers(*result.layers) : json(nullptr)},
                   {"findings", findings}};
  if (result.inputClipping) {
    const auto& c = *result.inputClipping;
    document["input_clipping"] = {
        {"tensor", c.tensor},      {"range_min", c.rangeMin},
        {"range_max", c.rangeMax}, {"data_min", c.dataMin},
        {"data_max", c.dataMax},   {"clipped_fraction", c.clippedFraction}};
  } else {
    document["input_clipping"] = nullptr;
  }
  if (options.includeSeries) {
    json cosine = json::object();
    for (const auto& o : result.outputs) cosine[o.output] = o.cosinePerWindow;
    document["series"] = {{"window_time_s", result.windowTime_s}, {"cosine", cosine}};
  } else {
    document["series"] = nullptr;
  }
  return document;
}

void writeParityReportJson(const analysis::ParityResult& result, const std::filesystem::path& path,
                           const ReportJsonOptions& options) {
  const auto document = parityReportToJson(result, options);
  writeTextAtomically(path,
                      document.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + '\n',
                      "the report");
}

}  // namespace imuwb::io

#include "io/ReportJson.hpp"

#include <chrono>
#include <cmath>
#include <ctime>
#include <fstream>

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
  return {{"label", s.label}, {"kind", s.kind}, {"precision", s.precision}, {"detail", s.detail}};
}

std::string className(const analysis::OutputParity& o, int index) {
  if (index >= 0 && static_cast<std::size_t>(index) < o.class_names.size())
    return o.class_names[static_cast<std::size_t>(index)];
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
      {"min_cosine", o.tolerance.min_cosine},
      {"min_cosine_p5",
       o.tolerance.min_cosine_p5 ? json(*o.tolerance.min_cosine_p5) : json(nullptr)},
      {"min_snr_db", o.tolerance.min_snr_db ? json(*o.tolerance.min_snr_db) : json(nullptr)},
      {"min_top1_agreement",
       o.tolerance.min_top1_agreement ? json(*o.tolerance.min_top1_agreement) : json(nullptr)},
      {"motif_threshold", o.tolerance.motif_threshold},
      {"source", o.tolerance.source}};
  json out = {
      {"output", o.output},
      {"role", std::string(roleName(o.role))},
      {"windows", o.windows},
      {"dim", o.dim},
      {"class_names", o.class_names},
      {"metrics",
       {{"cosine_mean", reportNumber(o.cosine_mean)},
        {"cosine_min", reportNumber(o.cosine_min)},
        {"cosine_p5", reportNumber(o.cosine_p5)},
        {"snr_db", reportNumber(o.snr_db)},
        {"mse", reportNumber(o.mse)},
        {"max_abs", reportNumber(o.max_abs)},
        {"max_rel", reportNumber(o.max_rel)},
        {"top1_agreement", o.top1_agreement ? reportNumber(*o.top1_agreement) : json(nullptr)}}},
      {"tolerance", tolerance},
      {"checks", checks},
      {"worst_windows", worst},
      {"passed", o.passed}};
  if (o.role == OutputRole::Logits) {
    json list = json::array();
    for (std::size_t i = 0; i < o.flips.size() && i < options.max_list_items; ++i) {
      const auto& f = o.flips[i];
      list.push_back({{"window", f.window},
                      {"time_s", f.time_s},
                      {"class_a", className(o, f.class_a)},
                      {"class_b", className(o, f.class_b)}});
    }
    out["flips"] = {{"count", o.flips.size()}, {"listed", list}};
  }
  if (o.role == OutputRole::MotifScores) {
    json list = json::array();
    for (std::size_t i = 0; i < o.crossings.size() && i < options.max_list_items; ++i) {
      const auto& c = o.crossings[i];
      list.push_back({{"window", c.window},
                      {"time_s", c.time_s},
                      {"motif", className(o, c.motif)},
                      {"score_a", c.score_a},
                      {"score_b", c.score_b},
                      {"change", c.gained ? "gained" : "lost"}});
    }
    out["crossings"] = {{"threshold", o.tolerance.motif_threshold},
                        {"gained", o.crossings_gained},
                        {"lost", o.crossings_lost},
                        {"listed", list}};
  }
  return out;
}

json layers(const analysis::LayerNoiseReport& report) {
  json items = json::array();
  for (const auto& l : report.layers) {
    json per_output = json::array();
    for (const auto& s : l.snr_only_this_layer)
      per_output.push_back({{"output", s.output}, {"snr_db", reportNumber(s.snr_db)}});
    items.push_back({{"node", l.node},
                     {"tensor", l.tensor},
                     {"op", l.op},
                     {"precision", l.precision},
                     {"snr_all_quantized_db", reportNumber(l.snr_all_quantized_db)},
                     {"snr_only_this_layer_db", per_output},
                     {"snr_only_this_layer_min_db", report.only_this_layer_computed
                                                        ? reportNumber(l.snr_only_this_layer_min_db)
                                                        : json(nullptr)},
                     {"clip_fraction", l.clip_fraction},
                     {"outlier_ratio", l.outlier_ratio},
                     {"rank", l.rank},
                     {"flagged", l.flagged},
                     {"suggestion", l.suggestion}});
  }
  return {{"flag_below_db", report.flag_below_db},
          {"windows", report.windows},
          {"only_this_layer_computed", report.only_this_layer_computed},
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
                   {"model", {{"name", result.model_name}, {"sha256", result.model_sha256}}},
                   {"inputs", result.inputs},
                   {"a", source(result.a)},
                   {"b", source(result.b)},
                   {"windows", result.windows},
                   {"seconds", result.seconds},
                   {"passed", result.passed()},
                   {"outputs", outputs},
                   {"layers", result.layers ? layers(*result.layers) : json(nullptr)},
                   {"findings", findings}};
  if (result.input_clipping) {
    const auto& c = *result.input_clipping;
    document["input_clipping"] = {
        {"tensor", c.tensor},       {"range_min", c.range_min},
        {"range_max", c.range_max}, {"data_min", c.data_min},
        {"data_max", c.data_max},   {"clipped_fraction", c.clipped_fraction}};
  } else {
    document["input_clipping"] = nullptr;
  }
  if (options.include_series) {
    json cosine = json::object();
    for (const auto& o : result.outputs) cosine[o.output] = o.cosine_per_window;
    document["series"] = {{"window_time_s", result.window_time_s}, {"cosine", cosine}};
  } else {
    document["series"] = nullptr;
  }
  return document;
}

void writeParityReportJson(const analysis::ParityResult& result, const std::filesystem::path& path,
                           const ReportJsonOptions& options) {
  const auto document = parityReportToJson(result, options);
  writeAtomically(path, [&](const std::filesystem::path& temp) {
    std::ofstream out(temp);
    out << document.dump(1) << '\n';
    if (!out)
      throw Error(path.string(), "could not write the report", "check disk space and permissions");
  });
}

}  // namespace imuwb::io

// imuwb labels export|import|diff|history|restore|embed: a session's labels as files. The
// labels in effect are the side-car S.labels.json's when present, else the embedded ones;
// import/restore save the side-car, embed writes a new session file (jobs/LabelsJob.hpp).
#include <cmath>
#include <cstdio>

#include "Commands.hpp"
#include "flags/LabelsFlags.hpp"
#include "jobs/LabelsJob.hpp"

namespace imuwb::cli {
namespace {

nlohmann::json number(double value) {
  return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json();
}

nlohmann::json displacementJson(const DisplacementStats& s) {
  return {{"count", s.count},
          {"mean_s", s.mean_s},
          {"median_s", s.median_s},
          {"p90_s", s.p90_s},
          {"max_s", s.max_s}};
}

nlohmann::json diffJson(const jobs::LabelsDiffOptions& o, const jobs::LabelsDiffResult& r) {
  const auto& a = r.agreement;
  nlohmann::json classes = nlohmann::json::array();
  for (const auto& c : a.classes)
    classes.push_back({{"class", c.name},
                       {"a_s", c.countA / a.gridRateHz},
                       {"b_s", c.countB / a.gridRateHz},
                       {"both_s", c.countBoth / a.gridRateHz},
                       {"a_points", c.countA},
                       {"b_points", c.countB},
                       {"both_points", c.countBoth},
                       {"agreement", c.dice}});
  return {{"a", o.a.string()},
          {"b", o.b.string()},
          {"intervals_a", r.intervalsA},
          {"intervals_b", r.intervalsB},
          {"grid_hz", a.gridRateHz},
          {"grid_points", a.gridPoints},
          {"agreement", a.agreement},
          {"kappa", number(a.kappa)},
          {"overlap_ratio", a.overlapRatio},
          {"classes", classes},
          {"boundaries_a_to_b", displacementJson(a.boundariesAtoB)},
          {"boundaries_b_to_a", displacementJson(a.boundariesBtoA)}};
}

void printDiff(const jobs::LabelsDiffOptions& o, const jobs::LabelsDiffResult& r) {
  const auto& a = r.agreement;
  std::printf("A: %s (%zu intervals)\nB: %s (%zu intervals)\n", o.a.string().c_str(), r.intervalsA,
              o.b.string().c_str(), r.intervalsB);
  std::printf("grid %g Hz, %zu labelled points\nagreement %.4f  kappa %.4f  overlap/extent %.4f\n",
              a.gridRateHz, a.gridPoints, a.agreement, a.kappa, a.overlapRatio);
  std::printf("%-20s %12s %12s %12s %10s\n", "class", "A s", "B s", "both s", "agreement");
  for (const auto& c : a.classes)
    std::printf("%-20s %12.2f %12.2f %12.2f %10.4f\n", c.name.c_str(), c.countA / a.gridRateHz,
                c.countB / a.gridRateHz, c.countBoth / a.gridRateHz, c.dice);
  auto line = [](const char* name, const DisplacementStats& s) {
    std::printf("boundaries %s: %zu, mean %.3f s, median %.3f s, p90 %.3f s, max %.3f s\n", name,
                s.count, s.mean_s, s.median_s, s.p90_s, s.max_s);
  };
  line("A->B", a.boundariesAtoB);
  line("B->A", a.boundariesBtoA);
}

int printSaved(const CliState& state, const char* verb, const jobs::LabelsSaveResult& r) {
  if (state.json)
    printJson({{"labels_file", r.labelsFile.string()},
               {"revision", r.revision},
               {"intervals", r.intervals}});
  else
    std::printf("%s %s: revision %d, %zu intervals\n", verb, r.labelsFile.string().c_str(),
                r.revision, r.intervals);
  return kOk;
}

int printHistory(const CliState& state, const std::vector<LabelVersion>& versions) {
  if (state.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& v : versions)
      out.push_back({{"revision", v.revision},
                     {"author", v.author},
                     {"time", v.time},
                     {"note", v.note},
                     {"intervals", v.labels.intervals.size()},
                     {"classes", v.labels.classes.size()}});
    printJson(out);
    return kOk;
  }
  std::printf("%-9s %-21s %-14s %9s  %s\n", "revision", "time", "author", "intervals", "note");
  for (std::size_t i = 0; i < versions.size(); ++i) {
    const auto& v = versions[i];
    std::printf("%-9s %-21s %-14s %9zu  %s\n",
                (std::to_string(v.revision) + (i == 0 ? "*" : "")).c_str(), v.time.c_str(),
                v.author.c_str(), v.labels.intervals.size(), v.note.c_str());
  }
  return kOk;
}

template <class Body>
void on(CLI::App* command, CliState& state, Body body) {
  command->callback([&state, body] { runGuarded(state, body); });
}

}  // namespace

void addLabelsCommand(CLI::App& root, CliState& state) {
  auto* labels = root.add_subcommand("labels", "Session labels: export, import, diff, history");
  labels->require_subcommand(1);
  auto flags = std::make_shared<LabelsFlags>();
  on(addLabelsExportFlags(*labels, *flags), state, [&state, flags] {
    const auto r = jobs::runLabelsExport(flags->exportOptions);
    if (state.json)
      printJson({{"output", r.output.string()},
                 {"revision", r.revision},
                 {"intervals", r.intervals},
                 {"labels_file", r.labelsFile.string()}});
    else
      std::printf("wrote %s: revision %d, %zu intervals (%s)\n", r.output.string().c_str(),
                  r.revision, r.intervals,
                  r.labelsFile.empty() ? "embedded labels" : r.labelsFile.string().c_str());
    return kOk;
  });
  on(addLabelsImportFlags(*labels, *flags), state, [&state, flags] {
    return printSaved(state, "saved", jobs::runLabelsImport(flags->importOptions));
  });
  on(addLabelsRestoreFlags(*labels, *flags), state, [&state, flags] {
    return printSaved(state, "saved", jobs::runLabelsRestore(flags->restoreOptions));
  });
  on(addLabelsEmbedFlags(*labels, *flags), state, [&state, flags] {
    const auto& o = flags->embedOptions;
    return printSaved(state, "wrote",
                      jobs::runLabelsEmbed(o, jobControl(state, "embedding", o.output)));
  });
  on(addLabelsDiffFlags(*labels, *flags), state, [&state, flags] {
    const auto r = jobs::runLabelsDiff(flags->diffOptions);
    if (state.json)
      printJson(diffJson(flags->diffOptions, r));
    else
      printDiff(flags->diffOptions, r);
    return kOk;
  });
  on(addLabelsHistoryFlags(*labels, *flags), state, [&state, flags] {
    return printHistory(state, jobs::runLabelsHistory(flags->historySession));
  });
}

}  // namespace imuwb::cli

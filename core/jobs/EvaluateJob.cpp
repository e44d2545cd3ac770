#include "jobs/EvaluateJob.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>

#include "backends/BackendRegistry.hpp"
#include "common/Error.hpp"
#include "common/OutputPaths.hpp"
#include "eval/EvalReportHtml.hpp"
#include "eval/EvalReportJUnit.hpp"
#include "eval/EvalReportJson.hpp"
#include "eval/Evaluation.hpp"
#include "jobs/JobFiles.hpp"
#include "pipeline/DerivedOutputs.hpp"
#include "pipeline/ResampledSource.hpp"
#include "pipeline/WindowFeed.hpp"

namespace imuwb::jobs {
namespace {

void checkOutputPaths(const ModelBundle& bundle, const EvaluateJobOptions& options) {
  OutputPathCheck check(options.force);
  check.inputs(bundleFiles(bundle), "--model")
      .inputs(options.sessions, "--session")
      .input(options.int8.calibration, "--calib")
      .input(options.int8.quantParams, "--quant-params");
  declareReportOutputs(check, options.reports);
  check.enforce();
}

BackendOptions backendOptionsFor(const std::string& name, const EvaluateJobOptions& options,
                                 const std::map<std::string, std::string>& settings,
                                 const JobControl& control) {
  BackendOptions o;
  o.stop = control.stop;
  o.settings = settings;
  o.settings["threads"] = std::to_string(options.threads);
  if (name != "int8") return o;
  const auto& c = options.int8;
  if (!c.calibration.empty()) o.settings["calibration"] = c.calibration.string();
  if (!c.quantParams.empty()) o.settings["quant_params"] = c.quantParams.string();
  if (!c.inputRange.empty()) o.settings["input_range"] = c.inputRange;
  o.settings["range"] = c.range;
  o.settings["weights"] = c.weights;
  if (c.calibration.empty() && c.quantParams.empty())
    throw Error("--backend int8", "the int8 backend needs a calibration set or saved parameters",
                "give --calib CALIB.npy (imuwb calib-export writes one) or --quant-params Q.json");
  return o;
}

std::unique_ptr<Backend> loadSide(const ModelBundle& bundle, const std::string& name,
                                  const std::map<std::string, std::string>& settings,
                                  const EvaluateJobOptions& options, const JobControl& control) {
  auto backend = makeDefaultBackendRegistry().create(
      name, backendOptionsFor(name, options, settings, control));
  control.report(0, "loading model into " + name);
  backend->load(bundle);
  return backend;
}

// The one logits output every metric reads, with its class names.
const OutputSpec& logitsOutput(const ModelBundle& bundle) {
  const auto* spec = bundle.manifest.findRole(OutputRole::Logits);
  if (!spec)
    throw Error(bundle.manifestPath.string(), "the model has no logits output to evaluate",
                "evaluate a classifier (an output with role \"logits\")");
  if (spec->names.empty())
    throw Error(bundle.manifestPath.string(),
                "logits output '" + spec->name + "' names no classes, so labels cannot match",
                "add the class names to the output's \"names\" in the manifest");
  return *spec;
}

WindowFeedOptions feedOptions(const EvaluateJobOptions& options) {
  WindowFeedOptions o;
  o.stride = options.stride;
  o.labelRule = options.labelRule;
  o.devices = options.devices;
  o.shareDevice = options.shareDevice;
  o.maxWindows = options.maxWindows;
  return o;
}

eval::EvalSettings settingsFor(const ModelBundle& bundle, const EvaluateJobOptions& options) {
  eval::EvalSettings s;
  s.split = {options.calibrationSplit, options.splitBlock};
  s.alpha = options.alpha;
  s.thresholds = options.thresholds;
  s.labelRule = options.labelRule == LabelRule::Majority ? "majority" : "centre";
  s.stride = options.stride;
  s.manifestTemperature = bundle.manifest.temperature;
  return s;
}

// Session class index -> model class index (eval::kUnknownClass when the model lacks it).
std::vector<int> classMap(const std::vector<std::string>& sessionClasses,
                          const std::vector<std::string>& modelClasses,
                          std::vector<std::string>& unknown) {
  std::vector<int> map;
  for (const auto& name : sessionClasses) {
    int index = eval::kUnknownClass;
    for (std::size_t k = 0; k < modelClasses.size(); ++k)
      if (modelClasses[k] == name) index = static_cast<int>(k);
    if (index == eval::kUnknownClass &&
        std::find(unknown.begin(), unknown.end(), name) == unknown.end())
      unknown.push_back(name);
    map.push_back(index);
  }
  return map;
}

}  // namespace

namespace {

// Runs every window of the feed through the sides, collecting what eval::evaluate reads.
class Gatherer {
 public:
  Gatherer(const ModelBundle& bundle, std::vector<std::unique_ptr<Backend>>& sides,
           eval::EvalInput& input)
      : bundle_(bundle),
        spec_(logitsOutput(bundle)),
        derived_(bundle),
        sides_(sides),
        input_(input) {
    input_.classes = spec_.names;
    for (const auto& backend : sides_) {
      const auto info = backend->describe();
      input_.sides.push_back(
          {info.name, info.precision, {input_.classes.size(), {}}, {input_.classes.size(), {}}});
    }
  }

  void run(WindowFeed& feed, const JobControl& control, std::vector<std::string>& unknown) {
    for (std::size_t s = 0; s < feed.sourceCount(); ++s)
      classMaps_.push_back(classMap(feed.classes(s), input_.classes, unknown));
    windowsSeen_.assign(feed.sourceCount(), 0);
    std::size_t limit = 0;
    for (const auto& backend : sides_)
      if (backend->maxBatchWindows() && (!limit || backend->maxBatchWindows() < limit))
        limit = backend->maxBatchWindows();
    FeedBatch fed;
    while (feed.next(fed, limit)) {
      control.throwIfCancelled();
      addWindows(fed);
      for (std::size_t k = 0; k < sides_.size(); ++k)
        addOutputs(k, sides_[k]->run(fed.batch), fed.size());
      control.report(0.95 * feed.progress(), "window " + std::to_string(input_.windows.size()) +
                                                 "/" + std::to_string(feed.candidateCount()));
    }
  }

 private:
  void addWindows(const FeedBatch& fed) {
    for (const auto& info : fed.windows) {
      eval::EvalWindow w;
      w.session = fed.source;
      w.window = windowsSeen_[fed.source]++;
      w.start_s = info.startTime_s;
      w.end_s = info.endTime_s;
      w.label = info.label < 0 ? eval::kUnlabelled : classMaps_[fed.source].at(info.label);
      w.mixedLabels = info.mixedLabels;
      input_.windows.push_back(w);
    }
  }

  void addOutputs(std::size_t side, const OutputSet& outputs, std::size_t rows) {
    const auto* logits = outputs.find(spec_.name);
    derived_.compute(outputs, rows, batch_);
    const auto* probabilities = batch_.probabilitiesOf(spec_.name);
    const std::size_t classes = input_.classes.size();
    if (!logits || !probabilities || logits->values.size() != rows * classes)
      throw Error("backend " + input_.sides[side].backend,
                  "returned no " + std::to_string(classes) + "-class '" + spec_.name +
                      "' output for every window");
    const double scale = 1.0 / bundle_.manifest.temperature;
    auto& target = input_.sides[side];
    for (std::size_t i = 0; i < rows * classes; ++i) {
      target.logits.values.push_back(logits->values[i] * scale);
      target.probabilities.values.push_back((*probabilities)[i]);
    }
  }

  const ModelBundle& bundle_;
  const OutputSpec& spec_;
  DerivedOutputs derived_;
  DerivedOutputs::Batch batch_;
  std::vector<std::unique_ptr<Backend>>& sides_;
  eval::EvalInput& input_;
  std::vector<std::vector<int>> classMaps_;
  std::vector<std::size_t> windowsSeen_;
};

void writeReports(const eval::EvaluationResult& result, const ReportFiles& files) {
  if (!files.json.empty()) eval::writeEvaluationJson(result, files.json);
  if (!files.html.empty()) eval::writeEvaluationHtml(result, files.html);
  if (!files.junit.empty()) eval::writeEvaluationJUnit(result, files.junit);
}

}  // namespace

EvaluateGathered gatherEvaluation(const ModelBundle& bundle, const EvaluateJobOptions& options,
                                  const JobControl& control) {
  if (options.sessions.empty())
    throw Error("--session", "no session to evaluate", "give one or more labelled sessions");
  if (options.stride < 1)
    throw Error("--stride " + std::to_string(options.stride), "must be at least 1");
  if (options.compareBackend == options.backend)
    throw Error("--compare-backend " + options.compareBackend, "is the same backend as --backend",
                "compare another backend, e.g. --compare-backend int8");
  EvaluateGathered gathered;
  auto& input = gathered.input;
  input.modelName = bundle.manifest.name;
  input.settings = settingsFor(bundle, options);
  eval::checkSplitOptions(input.settings.split);
  eval::minimumCalibrationWindows(options.alpha);  // checks alpha before any work
  logitsOutput(bundle);
  auto sources = openSessionFiles(options.sessions);
  if (options.resample)
    sources = resampledTo(std::move(sources), bundle.manifest.input.sampleRateHz);
  WindowFeed feed(bundle, sourcePointers(sources), feedOptions(options));
  std::vector<std::unique_ptr<Backend>> sides;
  sides.push_back(loadSide(bundle, options.backend, options.backendSettings, options, control));
  if (!options.compareBackend.empty())
    sides.push_back(
        loadSide(bundle, options.compareBackend, options.compareSettings, options, control));
  for (const auto& path : options.sessions) input.sessions.push_back(path.string());
  input.devices = feed.devices();
  Gatherer(bundle, sides, input).run(feed, control, gathered.unknownClasses);
  control.throwIfCancelled();
  const auto skipped = feed.skippedTotal();
  gathered.skippedGap = skipped.gapWindows;
  gathered.skippedNan = skipped.nanWindows;
  return gathered;
}

EvaluateJobResult runEvaluateJob(const ModelBundle& bundle, const EvaluateJobOptions& options,
                                 const JobControl& control) {
  const auto started = std::chrono::steady_clock::now();
  checkOutputPaths(bundle, options);
  const auto gathered = gatherEvaluation(bundle, options, control);
  control.report(0.95, "computing metrics");
  auto result = eval::evaluate(gathered.input);
  result.counts.skippedGap = gathered.skippedGap;
  result.counts.skippedNan = gathered.skippedNan;
  result.counts.unknownClasses = gathered.unknownClasses;
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  control.throwIfCancelled();
  writeReports(result, options.reports);
  control.report(1.0, "done");
  return result;
}

}  // namespace imuwb::jobs

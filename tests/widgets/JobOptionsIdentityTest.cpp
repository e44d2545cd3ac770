// For the same choices, the CLI's flags and the GUI's widgets build identical job options:
// `imuwb parity/run ...` parsed by the CLI's own flag table (imuwb-cli-flags) against the
// requests the workbench builds from its run panel and Run > Parity, compared as the full JSON
// dump of every options field. Changing one choice on one side must make them differ, so the
// comparison is not vacuous.
#include <QTest>
#include <stdexcept>

#include "JobOptionsFromWidgets.hpp"
#include "WidgetTestSupport.hpp"
#include "flags/JobFlags.hpp"
#include "jobs/JobOptionsJson.hpp"
#include "model/ModelBundle.hpp"

using namespace imuwb;
using namespace imuwb::widgets;

namespace {

const std::string kModel =
    testing::sourceDir().toStdString() + "/samples/models/dog_behavior_conv2d";
const std::string kSession = "/data/dog_10min_collar_harness.h5";
const std::string kCalibration = "/data/calib.npy";
const std::string kQuantParams = "/data/int8-params.json";
const std::string kOut = "/tmp/outputs.h5";

std::shared_ptr<const Session> sessionWithDevices(const std::vector<std::string>& names) {
  auto session = testing::syntheticSession(1000, 1, static_cast<int>(names.size()));
  for (std::size_t d = 0; d < names.size(); ++d) session->devices[d].name = names[d];
  session->sourcePath = kSession;
  return session;
}

// The CLI's parity with its report files taken out: the GUI shows the result in its parity
// view instead of writing files (and --report is required on the command line).
jobs::ParityJobOptions cliParity(const std::vector<std::string>& args) {
  auto options = cli::toParityOptions(cli::parseFlags<cli::ParityFlags>(
      args,
      [](CLI::App& command, cli::ParityFlags& flags) { cli::addParityFlags(command, flags); }));
  if (options.reports.json != "r.json") throw std::logic_error("--report did not reach the job");
  options.reports = {};
  return options;
}

// The CLI's evaluate with its report files taken out: the GUI shows the result in its panel.
jobs::EvaluateJobOptions cliEvaluate(const std::vector<std::string>& args) {
  auto options = cli::toEvaluateOptions(cli::parseFlags<cli::EvaluateFlags>(
      args,
      [](CLI::App& command, cli::EvaluateFlags& flags) { cli::addEvaluateFlags(command, flags); }));
  if (options.reports.json != "r.json") throw std::logic_error("--report did not reach the job");
  options.reports = {};
  return options;
}

jobs::ConvertJobOptions cliConvert(const std::vector<std::string>& args) {
  return cli::toConvertOptions(cli::parseFlags<cli::ConvertFlags>(
      args,
      [](CLI::App& command, cli::ConvertFlags& flags) { cli::addConvertFlags(command, flags); }));
}

jobs::RunJobOptions cliRun(const std::vector<std::string>& args) {
  return cli::toRunOptions(cli::parseFlags<cli::RunFlags>(
      args, [](CLI::App& command, cli::RunFlags& flags) { cli::addRunFlags(command, flags, ""); }));
}

QString dump(const nlohmann::json& json) {
  return QString::fromStdString(json.dump(1));
}

}  // namespace

class JobOptionsIdentityTest : public QObject {
  Q_OBJECT
  std::shared_ptr<const ModelBundle> bundle_;

 private slots:
  void initTestCase() { bundle_ = std::make_shared<const ModelBundle>(loadModelBundle(kModel)); }

  void parityFromTheMenuIsTheCliParity() {
    ParityRequest request;
    request.session = sessionWithDevices({"collar", "harness"});
    request.bundle = bundle_;
    request.calibration = kCalibration;
    request.strideSamples = 25;
    const auto gui = parityOptionsFor(request);
    const auto cli = cliParity({"--model", kModel, "--session", kSession, "--calib", kCalibration,
                                "--stride", "25", "--report", "r.json"});
    QCOMPARE(dump(jobs::toJson(gui)), dump(jobs::toJson(cli)));
    // What both mean: cpu against int8 calibrated on the chosen set with min/max ranges, the
    // same range policy `imuwb drift` and `imuwb run --backend int8` use.
    QCOMPARE(gui.a, std::string("cpu"));
    QCOMPARE(gui.b, std::string("int8"));
    QCOMPARE(gui.int8.calibration.string(), kCalibration);
    QCOMPARE(gui.int8.range, std::string("minmax"));
    QCOMPARE(gui.int8.range, jobs::DriftJobOptions{}.int8.range);
    QCOMPARE(gui.compare.stride, 25);
    QCOMPARE(gui.compare.sessions.size(), std::size_t(1));
    QCOMPARE(gui.compare.sessions[0].string(), kSession);
  }

  void parityAgainstALiveBackendIsTheCliParity() {
    ParityRequest request;
    request.session = sessionWithDevices({"collar", "harness"});
    request.bundle = bundle_;
    request.a = "cpu";
    request.b = "edgeinfer";
    request.bSettings = {{"url", "http://127.0.0.1:9000/infer"}};
    const auto gui = parityOptionsFor(request);
    const auto cli =
        cliParity({"--model", kModel, "--session", kSession, "--b", "edgeinfer", "--b-option",
                   "url=http://127.0.0.1:9000/infer", "--report", "r.json"});
    QCOMPARE(dump(jobs::toJson(gui)), dump(jobs::toJson(cli)));
    QCOMPARE(gui.bSettings.at("url"), std::string("http://127.0.0.1:9000/infer"));
  }

  void parityComparisonSeesEachChoice() {
    ParityRequest request;
    request.session = sessionWithDevices({"collar", "harness"});
    request.bundle = bundle_;
    request.calibration = kCalibration;
    request.strideSamples = 25;
    const QString gui = dump(jobs::toJson(parityOptionsFor(request)));
    const std::vector<std::string> base = {"--model", kModel,       "--session", kSession,
                                           "--calib", kCalibration, "--report",  "r.json"};
    auto with = [&](std::vector<std::string> extra) {
      auto args = base;
      args.insert(args.end(), extra.begin(), extra.end());
      return dump(jobs::toJson(cliParity(args)));
    };
    QCOMPARE(with({"--stride", "25"}), gui);
    QVERIFY(with({"--stride", "50"}) != gui);
    QVERIFY(with({"--stride", "25", "--range", "percentile:99.99"}) != gui);
    QVERIFY(with({"--stride", "25", "--b", "cpu"}) != gui);
    QVERIFY(with({"--stride", "25", "--threads", "2"}) != gui);
    QVERIFY(with({"--stride", "25", "--no-layers"}) != gui);
  }

  // Saved quantization parameters chosen once (Run > Calibration Set...) serve Parity and
  // Evaluation as --quant-params does on the command line, not as a calibration set.
  void savedQuantParamsServeParityAndEvaluation() {
    ParityRequest parity;
    parity.session = sessionWithDevices({"collar", "harness"});
    parity.bundle = bundle_;
    parity.calibration = kQuantParams;
    const auto gui = parityOptionsFor(parity);
    QCOMPARE(dump(jobs::toJson(gui)),
             dump(jobs::toJson(cliParity({"--model", kModel, "--session", kSession,
                                          "--quant-params", kQuantParams, "--report", "r.json"}))));
    QCOMPARE(gui.int8.quantParams.string(), kQuantParams);
    QVERIFY(gui.int8.calibration.empty());

    EvaluationRequest evaluation;
    evaluation.session = parity.session;
    evaluation.bundle = bundle_;
    evaluation.calibration = kQuantParams;
    evaluation.compareBackend = "int8";
    QCOMPARE(dump(jobs::toJson(evaluateOptionsFor(evaluation))),
             dump(jobs::toJson(
                 cliEvaluate({"--model", kModel, "--session", kSession, "--quant-params",
                              kQuantParams, "--compare-backend", "int8", "--report", "r.json"}))));
  }

  void evaluationFromThePanelIsTheCliEvaluate() {
    EvaluationRequest request;
    request.session = sessionWithDevices({"collar", "harness"});
    request.bundle = bundle_;
    request.calibration = kCalibration;
    request.strideSamples = 25;
    request.compareBackend = "int8";
    request.alpha = 0.05;
    request.calibrationSplit = 0.4;
    const QString gui = dump(jobs::toJson(evaluateOptionsFor(request)));
    const std::vector<std::string> base = {"--model",  kModel,       "--session",         kSession,
                                           "--calib",  kCalibration, "--report",          "r.json",
                                           "--stride", "25",         "--compare-backend", "int8"};
    auto with = [&](std::vector<std::string> extra) {
      auto args = base;
      args.insert(args.end(), extra.begin(), extra.end());
      return dump(jobs::toJson(cliEvaluate(args)));
    };
    QCOMPARE(with({"--alpha", "0.05", "--calibration-split", "0.4"}), gui);
    QVERIFY(with({"--alpha", "0.1", "--calibration-split", "0.4"}) != gui);
    QVERIFY(with({"--alpha", "0.05", "--calibration-split", "0.5"}) != gui);
    QVERIFY(with({"--alpha", "0.05", "--calibration-split", "0.4", "--split-block", "10"}) != gui);
    // The panel's defaults are the CLI's: cpu alone, alpha 0.1, split 0.5, stride 50.
    EvaluationRequest plain;
    plain.session = request.session;
    plain.bundle = bundle_;
    QCOMPARE(dump(jobs::toJson(evaluateOptionsFor(plain))),
             dump(jobs::toJson(
                 cliEvaluate({"--model", kModel, "--session", kSession, "--report", "r.json"}))));
    // A live backend's URL, as --compare-option.
    plain.compareBackend = "edgeinfer";
    plain.compareSettings = {{"url", "http://127.0.0.1:9000/infer"}};
    QCOMPARE(
        dump(jobs::toJson(evaluateOptionsFor(plain))),
        dump(jobs::toJson(cliEvaluate({"--model", kModel, "--session", kSession, "--report",
                                       "r.json", "--compare-backend", "edgeinfer",
                                       "--compare-option", "url=http://127.0.0.1:9000/infer"}))));
  }

  void runFromThePanelIsTheCliRun() {
    RunRequest request{sessionWithDevices({"collar", "harness"}), bundle_, "int8", 25, {}};
    request.backendSettings["calibration"] = kCalibration;
    const auto gui = runOptionsFor(request, kOut);
    const auto cli = cliRun({"--model", kModel, "--session", kSession, "--backend", "int8",
                             "--calib", kCalibration, "--stride", "25", "--out", kOut});
    QCOMPARE(dump(jobs::toJson(gui)), dump(jobs::toJson(cli)));
    QCOMPARE(gui.backend, std::string("int8"));
    QCOMPARE(gui.calibration.string(), kCalibration);
    QCOMPARE(gui.run.stride, 25);
    QVERIFY(gui.run.devices.empty());  // the session has the model's devices: the job's choice
    // The defaults: cpu at stride 50.
    const auto defaults =
        runOptionsFor(RunRequest{sessionWithDevices({"collar", "harness"}), bundle_}, kOut);
    QCOMPARE(dump(jobs::toJson(defaults)),
             dump(jobs::toJson(cliRun({"--model", kModel, "--session", kSession, "--out", kOut}))));
    QCOMPARE(defaults.backend, std::string("cpu"));
    QCOMPARE(defaults.run.stride, 50);
    QVERIFY(dump(jobs::toJson(gui)) != dump(jobs::toJson(defaults)));
  }

  void convertFromTheDialogIsTheCliConvert() {
    const std::string out = "/tmp/model.hailo.onnx";
    ConvertRequest request;
    request.bundle = bundle_;
    request.session = sessionWithDevices({"collar", "harness"});
    request.output = out;
    request.nhwc = true;
    request.windows = 32;
    const QString gui = dump(jobs::toJson(convertOptionsFor(request)));
    const std::string model = bundle_->manifestPath.string();  // the bundle, as it was opened
    auto with = [&](std::vector<std::string> extra) {
      std::vector<std::string> args = {model,       "--out", out,         "--session", kSession,
                                       "--threads", "0",     "--windows", "32"};
      args.insert(args.end(), extra.begin(), extra.end());
      return dump(jobs::toJson(cliConvert(args)));
    };
    QCOMPARE(with({"--input-layout", "nhwc"}), gui);
    QVERIFY(with({}) != gui);
    QVERIFY(with({"--input-layout", "nhwc", "--gemm-as-conv"}) != gui);
    QVERIFY(with({"--input-layout", "nhwc", "--force"}) != gui);
    // Generated windows (no session), Gemm as 1x1 Conv, replacing the output.
    ConvertRequest generated = request;
    generated.session = nullptr;
    generated.nhwc = false;
    generated.gemmAsConv = true;
    generated.force = true;
    QCOMPARE(dump(jobs::toJson(convertOptionsFor(generated))),
             dump(jobs::toJson(cliConvert({model, "--out", out, "--threads", "0", "--windows", "32",
                                           "--gemm-as-conv", "--force"}))));
  }
};

QTEST_MAIN(JobOptionsIdentityTest)
#include "JobOptionsIdentityTest.moc"

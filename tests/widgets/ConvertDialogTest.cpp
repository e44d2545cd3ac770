// Tools > Convert for Hailo-8… on the sample TCN encoder (the team's pipeline model) and the
// 2-minute sample session. The dialog runs the same core job as `imuwb convert` (its options are
// the CLI's: JobOptionsIdentityTest); here its tables must show exactly what that job did — one
// row per rewrite of the job's log, one row per output of its proof with the proof's figures and
// verdict — the converted model and its manifest are written, and the converted model is opened
// beside the original. A rewrite broken on purpose must fail the proof: the failing verdict is
// shown, nothing is written and nothing is opened. The numbers themselves (the converted model
// against ONNX Runtime) are checked in tests/core/convert and tests/cli/ConvertCliTest.
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include "ConvertDialog.hpp"
#include "ConvertResultView.hpp"
#include "MainWindow.hpp"
#include "WidgetTestSupport.hpp"
#include "jobs/ConvertJob.hpp"

using namespace imuwb;
using namespace imuwb::widgets;

namespace {
const QString kModel = testing::sourceDir() + "/samples/models/tcn_encoder/manifest.json";
const QString kSession = testing::sourceDir() + "/samples/sessions/dog_2min_collar.h5";
constexpr int kWaitMs = 5 * 60 * 1000;

QString text(QTableWidget* table, int row, int column) {
  return table->item(row, column)->text();
}
}  // namespace

class ConvertDialogTest : public QObject {
  Q_OBJECT

  // Opens the session and the model, and the dialog from its menu action, writing into dir.
  static ConvertDialog* openDialog(MainWindow& window, const QString& output) {
    if (!window.openPath(kSession) || !window.openPath(kModel)) return nullptr;
    auto* action = window.findChild<QAction*>("action.convertModel");
    if (!action) return nullptr;
    action->trigger();
    auto* d = window.convertDialog();
    if (d) d->outputEdit()->setText(output);
    return d;
  }

  static std::shared_ptr<const jobs::ConvertJobResult> convert(ConvertDialog& d) {
    QSignalSpy done(&d, &ConvertDialog::conversionFinished);
    if (!d.startConvert()) return nullptr;
    if (!done.wait(kWaitMs)) return nullptr;
    return done.first().at(0).value<std::shared_ptr<const jobs::ConvertJobResult>>();
  }

 private slots:
  void initTestCase() {
    testing::isolateSettings();
    if (!QFileInfo::exists(kModel) || !QFileInfo::exists(kSession))
      QFAIL("the sample model or session is missing from samples/ (part of the repository)");
  }

  void proposesAnOutputBesideTheModelThatDoesNotExist() {
    QTemporaryDir dir;
    const auto onnx = std::filesystem::path(dir.path().toStdString()) / "encoder.onnx";
    QCOMPARE(proposedConvertOutput(onnx), dir.path() + "/encoder.hailo.onnx");
    QFile(dir.path() + "/encoder.hailo.onnx").open(QIODevice::WriteOnly);
    QCOMPARE(proposedConvertOutput(onnx), dir.path() + "/encoder.hailo-2.onnx");
  }

  void convertsShowsTheJobsRewritesAndProofAndOpensTheResult() {
    QTemporaryDir dir;
    const QString output = dir.path() + "/tcn.hailo.onnx";
    MainWindow window;
    auto* d = openDialog(window, output);
    QVERIFY(d && d->isVisible());
    QCOMPARE(d->inputs().session, window.currentSession());
    QCOMPARE(d->proofSourceBox()->currentIndex(), 0);  // the session's windows by default
    d->layoutBox()->setCurrentIndex(d->layoutBox()->findData("nhwc"));
    d->windowsBox()->setValue(16);
    const int models = window.modelCount();
    QSignalSpy opened(d, &ConvertDialog::convertedModelReady);

    const auto result = convert(*d);
    QVERIFY(result);
    QVERIFY2(result->passed(), qPrintable(d->statusLabel()->text()));
    // The same job run directly gives the same conversion and the same proof.
    auto again = d->options();
    again.output = (dir.path() + "/again.onnx").toStdString();
    const auto direct = jobs::runConvertJob(again);
    QCOMPARE(direct.log.rewrites.size(), result->log.rewrites.size());
    QCOMPARE(direct.proof.outputs.size(), result->proof.outputs.size());
    QCOMPARE(direct.proof.outputs[0].cosine, result->proof.outputs[0].cosine);
    QVERIFY(QString::fromStdString(result->proof.origin).contains("dog_2min_collar"));
    QCOMPARE(result->proof.windows, std::size_t{16});

    auto* rewrites = d->resultView()->rewritesTable();
    QCOMPARE(rewrites->rowCount(), static_cast<int>(result->log.rewrites.size()));
    QVERIFY(rewrites->rowCount() > 0);
    for (int row = 0; row < rewrites->rowCount(); ++row) {
      const auto& expected = result->log.rewrites[static_cast<std::size_t>(row)];
      QCOMPARE(text(rewrites, row, 0).toStdString(), expected.rule);
      QCOMPARE(text(rewrites, row, 2).toStdString(), expected.detail);
      if (!expected.nodes.empty())
        QVERIFY(text(rewrites, row, 1).startsWith(QString::fromStdString(expected.nodes[0])));
    }
    auto* proof = d->resultView()->proofTable();
    QCOMPARE(proof->rowCount(), static_cast<int>(result->proof.outputs.size()));
    for (int row = 0; row < proof->rowCount(); ++row) {
      const auto& expected = result->proof.outputs[static_cast<std::size_t>(row)];
      QCOMPARE(text(proof, row, 0).toStdString(), expected.name);
      QCOMPARE(proof->item(row, 1)->toolTip().toDouble(), expected.cosine);
      QCOMPARE(proof->item(row, 2)->toolTip().toDouble(), expected.minWindowCosine);
      QCOMPARE(proof->item(row, 3)->toolTip().toDouble(), expected.maxAbs);
      QCOMPARE(proof->item(row, 4)->toolTip().toDouble(), expected.maxRel);
      QCOMPARE(text(proof, row, 5), QStringLiteral("pass"));
    }

    QVERIFY(QFileInfo::exists(output));
    QVERIFY(QFileInfo::exists(QString::fromStdString(result->manifest.string())));
    QCOMPARE(opened.count(), 1);
    QCOMPARE(opened.first().at(0).toString(), output);
    QTRY_COMPARE_WITH_TIMEOUT(window.modelCount(), models + 1, kWaitMs);
    QVERIFY(d->convertButton()->isEnabled());
    QVERIFY(!d->cancelButton()->isEnabled());
  }

  void aBrokenRewriteFailsTheProofAndWritesAndOpensNothing() {
    QTemporaryDir dir;
    const QString output = dir.path() + "/broken.onnx";
    MainWindow window;
    auto* d = openDialog(window, output);
    QVERIFY(d);
    d->proofSourceBox()->setCurrentIndex(1);  // generated windows
    d->windowsBox()->setValue(8);
    d->setBreakRewriteForTest("conv1d_to_conv2d");
    const int models = window.modelCount();
    QSignalSpy opened(d, &ConvertDialog::convertedModelReady);

    const auto result = convert(*d);
    QVERIFY(result);
    QVERIFY(!result->passed());
    QVERIFY(!result->proof.passed());
    QVERIFY(!QString::fromStdString(result->proof.origin).contains("dog_2min_collar"));
    auto* proof = d->resultView()->proofTable();
    int failing = 0;
    for (int row = 0; row < proof->rowCount(); ++row) failing += text(proof, row, 5) == "FAIL";
    QVERIFY(failing > 0);
    QVERIFY(d->statusLabel()->text().contains("nothing was written"));
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
             QStringList());
    QCOMPARE(opened.count(), 0);
    QCOMPARE(window.modelCount(), models);
  }

  void anExistingOutputIsRefusedUnlessReplaceIsChecked() {
    QTemporaryDir dir;
    const QString output = dir.path() + "/taken.onnx";
    QFile(output).open(QIODevice::WriteOnly);
    MainWindow window;
    auto* d = openDialog(window, output);
    QVERIFY(d);
    d->windowsBox()->setValue(4);
    d->openWhenDoneBox()->setChecked(false);
    QSignalSpy failed(d, &ConvertDialog::conversionFailed);
    QVERIFY(d->startConvert());
    QVERIFY(failed.wait(kWaitMs));
    QVERIFY(d->statusLabel()->text().contains("taken.onnx"));
    QCOMPARE(QFileInfo(output).size(), 0);
    d->replaceBox()->setChecked(true);
    const auto result = convert(*d);
    QVERIFY(result && result->passed());
    QVERIFY(QFileInfo(output).size() > 0);
  }
};

QTEST_MAIN(ConvertDialogTest)
#include "ConvertDialogTest.moc"

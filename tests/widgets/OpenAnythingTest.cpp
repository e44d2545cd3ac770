// Open anything in one step (issue 15): a model bundle folder opens the bundle (the Open dialog
// accepts the folder rather than moving into it), model_config.json opens its model, a labels
// CSV is recognised and offered for attachment to the open session (it used to fail with "no
// sensor columns recognised"), and a calibration set becomes int8's remembered choice while a
// rejected one is never remembered.
#include <QDir>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include "CalibrationChoice.hpp"
#include "LabelStrip.hpp"
#include "MainWindow.hpp"
#include "OpenAnythingDialog.hpp"
#include "OpenRouting.hpp"
#include "TimelineView.hpp"
#include "WorkbenchSamples.hpp"
#include "io/Npy.hpp"
#include "session/LabelCsv.hpp"

using namespace imuwb;
using namespace imuwb::widgets;

namespace {
const QString kLabels = testing::sourceDir() + "/samples/sessions/harness_90s_labels.csv";
const QString kShortSession = testing::sourceDir() + "/samples/sessions/dog_2min_collar.h5";
}  // namespace

class OpenAnythingTest : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;

 private slots:
  void initTestCase() {
    testing::isolateSettings();
    QSettings().clear();
    if (!testing::samplesPresent() || !QFileInfo::exists(kLabels))
      QFAIL("sample files missing from samples/");
  }

  void theDialogAcceptsABundleFolder() {
    QVERIFY(isBundleFolder(testing::sampleModel()));
    QVERIFY(!isBundleFolder(testing::sourceDir() + "/samples/models"));
    OpenAnythingDialog dialog;
    dialog.setDirectory(testing::sourceDir() + "/samples/models");
    dialog.selectFile("dog_behavior_conv2d");  // as typed in the file name box
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(dialog.chosenPaths(), QStringList{QDir(testing::sampleModel()).absolutePath()});
  }

  void bundleFolderAndModelConfigOpenTheirModels() {
    QCOMPARE(classifyOpenPath(testing::sampleModel()), OpenKind::Model);
    MainWindow window;
    window.show();
    QVERIFY(window.openPath(testing::sampleModel()));
    QCOMPARE(window.modelCount(), 1);
    QVERIFY(window.openPath(testing::fixtureDir() + "/model_config.json"));
    QCOMPARE(window.modelCount(), 2);
    QCOMPARE(window.sessionCount(), 0);
  }

  void aLabelsCsvIsOfferedForTheOpenSession() {
    QVERIFY(isLabelCsv(kLabels));
    QVERIFY(!isLabelCsv(testing::sourceDir() + "/samples/sessions/harness_90s_g_dps.csv"));
    MainWindow window;
    window.show();
    // Without a session: a clear reason, not "no sensor columns recognised".
    QString error;
    QVERIFY(!window.openPath(kLabels, &error));
    QVERIFY2(error.contains("labels") && error.contains("open the session"), qPrintable(error));
    QVERIFY(!error.contains("sensor columns"));

    QVERIFY(window.openPath(kShortSession));
    QStringList asked;
    window.setLabelConfirmation([&](const QString& question, std::function<void(bool)> answer) {
      asked << question;
      answer(true);
    });
    QVERIFY2(window.openPath(kLabels, &error), qPrintable(error));
    QCOMPARE(asked.size(), 1);
    QVERIFY(asked.front().contains("harness_90s_labels.csv"));
    const LabelTrack track = readLabelCsv(kLabels.toStdString());
    const auto session = window.currentSession();
    QCOMPARE(session->labels.size(), track.labels.size());
    for (std::size_t i = 0; i < track.labels.size(); ++i) {
      QCOMPARE(session->labels[i].start_s, track.labels[i].start_s);
      QCOMPARE(session->labels[i].label, track.labels[i].label);
    }
    QCOMPARE(window.sessionCount(), 1);  // attached, not opened as another session
    // Declined: nothing changes.
    window.setLabelConfirmation(
        [](const QString&, std::function<void(bool)> answer) { answer(false); });
    QVERIFY(window.openPath(kLabels));
    QVERIFY(window.currentSession() == session);
  }

  void calibrationSetsRouteToInt8sChoice() {
    const QString good = testing::exportCalibration(dir_.path(), 32);
    const QString flat = dir_.filePath("flat.npy");
    io::NpyArray array;
    array.shape = {8};
    array.bytes.resize(32);
    io::writeNpy(flat.toStdString(), array);
    QCOMPARE(classifyOpenPath(good), OpenKind::Calibration);
    MainWindow window;
    window.show();
    QVERIFY(window.openPath(testing::sampleModel()));
    QVERIFY(window.openPath(good));
    QCOMPARE(rememberedCalibration(), good);
    QString error;
    QVERIFY(!window.openPath(flat, &error));  // rejected: not remembered, the good one stays
    QCOMPARE(rememberedCalibration(), good);
    QSettings().setValue("parity/calibration", flat);
    QVERIFY(!window.openPath(flat, &error));  // a remembered file that is rejected is forgotten
    QVERIFY(rememberedCalibration().isEmpty());
  }
};

QTEST_MAIN(OpenAnythingTest)
#include "OpenAnythingTest.moc"

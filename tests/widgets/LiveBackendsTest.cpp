// The live backends in the workbench: edgeinfer and hailort are among the run panel's and the
// parity sides' choices (hailort disabled with its reason when not built); with `imuwb serve`
// on a free loopback port (its core job on a thread), Check shows the sidecar's /healthz fields
// and determinism verdict, and parity cpu against edgeinfer from the parity view passes; a stub
// sidecar answering random numbers is shown as a non-deterministic warning.
#include <httplib.h>

#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QStandardItemModel>
#include <QTableWidget>
#include <QTest>

#include "BackendChecker.hpp"
#include "BackendChoiceBox.hpp"
#include "MainWindow.hpp"
#include "ParitySidesBar.hpp"
#include "ParityView.hpp"
#include "RunPanel.hpp"
#include "RunnerWait.hpp"
#include "WidgetTestSupport.hpp"
#include "core/jobs/ServeTestSupport.hpp"
#include "model/ModelBundle.hpp"

using namespace imuwb;
using namespace imuwb::widgets;

namespace {
const QString kSession = testing::sourceDir() + "/samples/sessions/dog_10min_collar_harness.h5";
const QString kModel = testing::sourceDir() + "/samples/models/dog_behavior_conv2d";

// Clicks box's Check and waits for the outcome; false (with the error) when it failed.
bool checkAndWait(MainWindow& window, BackendChoiceBox* box, QString* error) {
  return waitForRunner(
      window.backendChecker(), [box] { box->checkButton()->click(); }, 120000, error);
}
}  // namespace

class LiveBackendsTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() {
    testing::isolateSettings();
    QSettings().clear();
  }

  void backendListsIncludeTheLiveBackends() {
    MainWindow window;
    for (auto* box : {window.runPanel()->backendBox(), window.paritySides()->sideA(),
                      window.paritySides()->sideB()}) {
      QVERIFY(box->combo()->findText("edgeinfer") >= 0);
      const int hailort = box->combo()->findText("hailort");
      QVERIFY(hailort >= 0);
      for (const auto& choice : registryBackendChoices())
        if (choice.name == "hailort" && !choice.unavailable.empty()) {
          const auto* model = qobject_cast<QStandardItemModel*>(box->combo()->model());
          QVERIFY(!model->item(hailort)->isEnabled());
          QVERIFY(box->combo()->itemData(hailort, Qt::ToolTipRole).toString().contains("HailoRT"));
        }
    }
    QCOMPARE(window.paritySides()->sideA()->currentBackend(), std::string("cpu"));
    QCOMPARE(window.paritySides()->sideB()->currentBackend(), std::string("int8"));
    auto* box = window.runPanel()->backendBox();
    box->setCurrentBackend("edgeinfer");
    QVERIFY(!box->urlEdit()->isHidden());
    QCOMPARE(box->urlEdit()->text(), defaultSidecarUrl());
    QCOMPARE(box->settings().at("url"), defaultSidecarUrl().toStdString());
  }

  void checkShowsHealthAndParityAgainstServePasses() {
    MainWindow window;
    window.resize(1400, 900);
    window.show();
    QVERIFY(window.openPath(kSession));
    QVERIFY(window.openPath(kModel));
    const auto bundle = loadModelBundle(kModel.toStdString());
    test::ServeThread serve(bundle, {});
    const QString url = QString::fromStdString(serve.url());
    auto* box = window.runPanel()->backendBox();
    box->setCurrentBackend("edgeinfer");
    box->urlEdit()->setText(url);
    QString error;
    QVERIFY2(checkAndWait(window, box, &error), qPrintable(error));
    const QString shown = box->checkText();
    for (const char* field : {"healthz.model", "healthz.hef_sha256", "healthz.version",
                              "healthz.device", "determinism: deterministic"})
      QVERIFY2(shown.contains(field), qPrintable(field + QString(" not in: ") + shown));
    QVERIFY(shown.contains(url));
    QVERIFY(!box->warningShown());

    auto* sides = window.paritySides();
    sides->sideB()->setCurrentBackend("edgeinfer");
    sides->sideB()->urlEdit()->setText(url);
    QVERIFY(!sides->usesInt8());
    QVERIFY2(waitForRunner(
                 window.parityRunner(), [sides] { sides->runButton()->click(); }, 120000, &error),
             qPrintable(error));
    const auto result = window.parityView()->result();
    QVERIFY(result);
    QCOMPARE(result->b.label, std::string("edgeinfer"));
    QVERIFY(result->windows > 0);
    for (const auto& output : result->outputs) {
      QVERIFY2(output.cosineMin >= 1 - 1e-9, output.output.c_str());
      QVERIFY2(output.maxAbs <= 1e-4, output.output.c_str());
    }
    QVERIFY(result->passed());
    const auto* table = window.parityView()->table();
    for (int row = 0; row < table->rowCount(); ++row)
      QCOMPARE(table->item(row, ParityView::Verdict)->text().toLower(), QString("pass"));
  }

  void stubSidecarShowsTheNonDeterministicWarning() {
    MainWindow window;
    window.show();
    QVERIFY(window.openPath(kModel));
    // The sample model's outputs, by their contract keys and manifest sizes.
    test::StubSidecar stub(
        test::randomAnswers({{"latent", 64}, {"motif_scores", 12}, {"logits", 10}}, 3));
    auto* box = window.paritySides()->sideB();
    box->setCurrentBackend("edgeinfer");
    box->urlEdit()->setText(QString::fromStdString(stub.url()));
    QString error;
    QVERIFY2(checkAndWait(window, box, &error), qPrintable(error));
    QVERIFY(box->warningShown());
    QVERIFY2(box->warningText().contains("non-deterministic (likely a stub)"),
             qPrintable(box->warningText()));
  }
};

QTEST_MAIN(LiveBackendsTest)
#include "LiveBackendsTest.moc"

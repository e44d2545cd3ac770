// Tools > Export Calibration Set… on the sample model and the 10-minute two-device sample
// session. The class-balance table shows the core plan for the same choices (whose counts
// tests/core/quant/CalibrationPlanTest checks against numpy): per class the candidates and the
// exported windows, the total, the shape, the findings. A range added from the timeline's
// selection is exactly that selection on the chosen device. The export writes the set with the
// chosen options (its manifest records ranges, classes and balance) and exactly the table's
// window count; a cancelled export leaves nothing in the folder. The coverage of the other
// sessions shows, per session, the coverage job's worst-channel fraction, in the warning colour
// when the job warned. The menu action opens the dialog on the current session and model, with
// the other open session listed for coverage. For the same choices the dialog's options are the
// ones `imuwb calib-export` builds from its flags (compared as their full JSON dump).
#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>

#include "CalibBalanceTable.hpp"
#include "CalibClassPicker.hpp"
#include "CalibCoverageTable.hpp"
#include "CalibExportDialog.hpp"
#include "CalibRangeList.hpp"
#include "MainWindow.hpp"
#include "TimeAxisModel.hpp"
#include "WidgetTestSupport.hpp"
#include "flags/JobFlags.hpp"
#include "io/Npy.hpp"
#include "jobs/CalibCoverageJob.hpp"
#include "jobs/CalibExportJob.hpp"
#include "jobs/JobOptionsJson.hpp"
#include "model/ModelBundle.hpp"
#include "session/SessionIo.hpp"

using namespace imuwb;
using namespace imuwb::widgets;

namespace {
const QString kSession = testing::sourceDir() + "/samples/sessions/dog_10min_collar_harness.h5";
const QString kOther = testing::sourceDir() + "/samples/sessions/dog_2min_collar.h5";
const QString kModel = testing::sourceDir() + "/samples/models/dog_behavior_conv2d";
constexpr int kWaitMs = 5 * 60 * 1000;

// The choices the tests make, as the job's own options (built here, not by the dialog).
jobs::CalibExportJobOptions balancedChoice() {
  jobs::CalibExportJobOptions o;
  o.sessions = {kSession.toStdString()};
  o.windows = 300;
  o.ranges = {{"collar", 30, 250}, {"harness", 300.5, 540}};
  o.classes = {"walk", "trot", "stand", "lie_down"};
  o.balance = quant::CalibrationBalance::Classes;
  return o;
}

int cellNumber(QTableWidget* table, int row, int column) {
  return table->item(row, column)->text().toInt();
}
}  // namespace

class CalibExportDialogTest : public QObject {
  Q_OBJECT
 private:
  std::shared_ptr<const ModelBundle> bundle_;
  std::shared_ptr<const Session> session_;
  TimeAxisModel axis_;

  // A dialog over the sample session and model, with choice's selection and options set.
  std::unique_ptr<CalibExportDialog> dialog(const jobs::CalibExportJobOptions& choice,
                                            std::vector<std::filesystem::path> others = {}) {
    auto d = std::make_unique<CalibExportDialog>(&axis_);
    d->setInputs({session_, bundle_, std::move(others)});
    for (const auto& range : choice.ranges) d->ranges()->addRange(range);
    QStringList classes;
    for (const auto& name : choice.classes) classes << QString::fromStdString(name);
    d->classes()->setChecked(classes);
    d->windowsBox()->setValue(static_cast<int>(choice.windows));
    d->balanceBox()->setCurrentIndex(d->balanceBox()->findData(
        QString::fromStdString(quant::calibrationBalanceName(choice.balance))));
    return d;
  }

  static bool waitForPlan(CalibExportDialog& d) {
    QSignalSpy shown(&d, &CalibExportDialog::planShown);
    d.replanNow();
    while (d.planPending())
      if (!shown.wait(kWaitMs)) return false;
    return true;
  }

  // Every class row, the total row, the shape and the findings equal the core plan's.
  static void compareTable(CalibExportDialog& d, const quant::CalibrationPlan& expected) {
    auto* table = d.balanceTable()->table();
    const int total = table->rowCount() - 1;
    QVERIFY(total >= 1);
    std::size_t candidates = 0, exported = 0;
    for (int row = 0; row < total; ++row) {
      const auto name = table->item(row, CalibBalanceTable::ClassColumn)->text().toStdString();
      const auto has = [&](const std::map<std::string, std::size_t>& h) {
        return h.count(name) ? static_cast<int>(h.at(name)) : 0;
      };
      QCOMPARE(cellNumber(table, row, CalibBalanceTable::CandidatesColumn),
               has(expected.candidateHistogram));
      QCOMPARE(cellNumber(table, row, CalibBalanceTable::ExportedColumn),
               has(expected.classHistogram));
      candidates += static_cast<std::size_t>(has(expected.candidateHistogram));
      exported += static_cast<std::size_t>(has(expected.classHistogram));
    }
    QCOMPARE(candidates, expected.available);  // every class with a window has a row
    QCOMPARE(exported, expected.exported);
    QCOMPARE(cellNumber(table, total, CalibBalanceTable::CandidatesColumn),
             static_cast<int>(expected.available));
    QCOMPARE(cellNumber(table, total, CalibBalanceTable::ExportedColumn),
             static_cast<int>(expected.exported));
    QStringList shape;
    for (const auto dim : expected.shape) shape << QString::number(dim);
    QVERIFY2(d.balanceTable()->summary()->text().contains("[" + shape.join(", ") + "]"),
             qPrintable(d.balanceTable()->summary()->text()));
    auto* warnings = d.balanceTable()->warnings();
    QCOMPARE(warnings->count(), static_cast<int>(expected.findings.size()));
    for (int i = 0; i < warnings->count(); ++i) {
      const auto& f = expected.findings[static_cast<std::size_t>(i)];
      QCOMPARE(warnings->item(i)->data(Qt::UserRole).toString().toStdString(), f.code);
      QVERIFY(warnings->item(i)->text().contains(QString::fromStdString(f.fix)));
    }
  }

 private slots:
  void initTestCase() {
    testing::isolateSettings();
    QSettings().clear();
    if (!QFileInfo::exists(kSession) || !QFileInfo::exists(kOther) || !QFileInfo::exists(kModel))
      QFAIL("sample sessions or sample model missing from samples/ (part of the repository)");
    bundle_ = std::make_shared<const ModelBundle>(loadModelBundle(kModel.toStdString()));
    session_ = std::make_shared<const Session>(loadSession(kSession.toStdString()));
    axis_.setExtent({0, session_->durationSeconds()});
  }

  void tableCountsEqualTheCorePlanForRangesClassesAndBalance() {
    const auto choice = balancedChoice();
    auto d = dialog(choice);
    QVERIFY(waitForPlan(*d));
    const auto expected = jobs::planCalibExportJob(*bundle_, choice);
    QVERIFY(expected.limitingClasses.size() + expected.findings.size() > 0);
    compareTable(*d, expected);
    QVERIFY(d->exportButton()->isEnabled());
  }

  void tableFollowsEveryChangeOfTheChoices() {
    auto choice = balancedChoice();
    auto d = dialog(choice);
    QVERIFY(waitForPlan(*d));
    // Whole session, every class, proportional, the model's layout: one more plan.
    d->ranges()->clear();
    d->classes()->setChecked({});
    d->balanceBox()->setCurrentIndex(d->balanceBox()->findData("none"));
    d->layoutBox()->setCurrentIndex(d->layoutBox()->findData("model"));
    d->windowsBox()->setValue(1500);
    QVERIFY(waitForPlan(*d));
    choice.ranges.clear();
    choice.classes.clear();
    choice.balance = quant::CalibrationBalance::None;
    choice.layout = quant::CalibrationLayout::Model;
    choice.windows = 1500;
    const auto expected = jobs::planCalibExportJob(*bundle_, choice);
    compareTable(*d, expected);
    // Every session class has a row, even without a label filter.
    QCOMPARE(
        d->balanceTable()->table()->rowCount() - 1,
        static_cast<int>(std::max(session_->classes.size(), expected.candidateHistogram.size())));
  }

  void aSelectionNothingPassesDisablesTheExportAndSaysWhy() {
    auto choice = balancedChoice();
    choice.ranges = {{"collar", 10, 10.5}};  // shorter than a window
    auto d = dialog(choice);
    QVERIFY(waitForPlan(*d));
    QVERIFY(!d->exportButton()->isEnabled());
    auto* warnings = d->balanceTable()->warnings();
    QVERIFY(warnings->count() > 0);
    QCOMPARE(warnings->item(warnings->count() - 1)->data(Qt::UserRole).toString(),
             QString("calib_no_candidates"));
    // A class that no session has is an error with its fix, not a crash.
    d->ranges()->clear();
    d->ranges()->addRange({"belt", 0, 10});
    QVERIFY(waitForPlan(*d));
    QVERIFY(!d->exportButton()->isEnabled());
    QVERIFY(d->balanceTable()->warnings()->item(0)->text().contains("fix:"));
  }

  void optionsAreTheClisForTheSameChoices() {
    auto d = dialog(balancedChoice());
    d->layoutBox()->setCurrentIndex(d->layoutBox()->findData("model"));
    d->strideBox()->setValue(37);
    d->seedBox()->setValue(9);
    // --classes in the session's class order, as the dialog lists its checkboxes.
    const auto wanted = balancedChoice().classes;
    std::string classes;
    for (const auto& name : session_->classes)
      if (std::find(wanted.begin(), wanted.end(), name) != wanted.end())
        classes += (classes.empty() ? "" : ",") + name;
    const auto cli = cli::toCalibExportOptions(
        cli::parseFlags<cli::CalibExportFlags>({"--model",   kModel.toStdString(),
                                                "--session", kSession.toStdString(),
                                                "--out",     "/tmp/set.npy",
                                                "--windows", "300",
                                                "--stride",  "37",
                                                "--seed",    "9",
                                                "--layout",  "model",
                                                "--range",   "collar:30-250",
                                                "--range",   "harness:300.5-540",
                                                "--classes", classes,
                                                "--balance", "classes"},
                                               [](CLI::App& command, cli::CalibExportFlags& flags) {
                                                 cli::addCalibExportFlags(command, flags);
                                               }));
    auto gui = d->options();
    gui.out = "/tmp/set.npy";
    QCOMPARE(QString::fromStdString(jobs::toJson(gui).dump(1)),
             QString::fromStdString(jobs::toJson(cli).dump(1)));
    d->seedBox()->setValue(10);  // one choice changed: they differ
    auto changed = d->options();
    changed.out = gui.out;
    QVERIFY(jobs::toJson(changed) != jobs::toJson(cli));
  }

  void addingTheTimelineSelectionYieldsExactlyThatRange() {
    auto d = dialog({});
    axis_.clearSelection();
    QVERIFY(!d->ranges()->addButton()->isEnabled());
    d->ranges()->setDevice("harness");
    axis_.setSelection({123.25, 187.5});
    QVERIFY(d->ranges()->addButton()->isEnabled());
    QTest::mouseClick(d->ranges()->addButton(), Qt::LeftButton);
    const auto ranges = d->options().ranges;
    QCOMPARE(ranges.size(), std::size_t{1});
    QCOMPARE(QString::fromStdString(ranges[0].device), QString("harness"));
    QCOMPARE(ranges[0].startSeconds, 123.25);
    QCOMPARE(ranges[0].endSeconds, 187.5);
    QCOMPARE(d->ranges()->list()->count(), 1);
    d->ranges()->list()->item(0)->setSelected(true);
    QTest::mouseClick(d->ranges()->removeButton(), Qt::LeftButton);
    QVERIFY(d->options().ranges.empty());
    axis_.clearSelection();
  }

  void exportWritesTheChosenOptionsAndTheTablesCountThenShowsCoverage() {
    QTemporaryDir dir;
    const auto choice = balancedChoice();
    auto d = dialog(choice, {kOther.toStdString()});
    QVERIFY(waitForPlan(*d));
    auto* table = d->balanceTable()->table();
    const int tableTotal = cellNumber(table, table->rowCount() - 1, 2);
    QSignalSpy finished(d.get(), &CalibExportDialog::exportFinished);
    QSignalSpy coverage(d.get(), &CalibExportDialog::coverageShown);
    const QString out = dir.path() + "/set.npy";
    QVERIFY(d->startExport(out));
    QVERIFY(!d->exportButton()->isEnabled());
    QVERIFY(finished.count() == 1 || finished.wait(kWaitMs));
    QCOMPARE(d->progressBar()->value(), d->progressBar()->maximum());

    QCOMPARE(static_cast<int>(io::readNpy(out.toStdString()).shape.at(0)), tableTotal);
    QFile file(out + ".json");
    QVERIFY(file.open(QIODevice::ReadOnly));
    const auto manifest = QJsonDocument::fromJson(file.readAll()).object();
    QCOMPARE(manifest["windows_exported"].toInt(), tableTotal);
    const auto selection = manifest["selection"].toObject();
    QCOMPARE(selection["balance"].toString(), QString("classes"));
    QStringList classes;
    for (const auto& c : selection["classes"].toArray()) classes << c.toString();
    classes.sort();  // the dialog lists them in the session's class order
    QCOMPARE(classes, QStringList({"lie_down", "stand", "trot", "walk"}));
    const auto ranges = selection["ranges"].toArray();
    QCOMPARE(ranges.size(), qsizetype{2});
    QCOMPARE(ranges[1].toObject()["device"].toString(), QString("harness"));
    QCOMPARE(ranges[1].toObject()["start_s"].toDouble(), 300.5);
    QCOMPARE(ranges[1].toObject()["end_s"].toDouble(), 540.0);

    // Then the other session's coverage: the coverage job's worst channel, as it reports it.
    QVERIFY(coverage.count() == 1 || coverage.wait(kWaitMs));
    jobs::CalibCoverageJobOptions check;
    check.calibrationSet = out.toStdString();
    check.sessions = {kOther.toStdString()};
    const auto result = jobs::runCalibCoverageJob(check);
    const auto worst =
        std::max_element(result.channels.begin(), result.channels.end(),
                         [](const auto& a, const auto& b) { return a.fraction < b.fraction; });
    auto* shown = d->coverageTable()->table();
    QCOMPARE(shown->rowCount(), 1);
    QCOMPARE(shown->item(0, CalibCoverageTable::SessionColumn)->text(),
             QFileInfo(kOther).fileName());
    QCOMPARE(shown->item(0, CalibCoverageTable::ChannelColumn)->text().toStdString(), worst->name);
    QCOMPARE(shown->item(0, CalibCoverageTable::OutsideColumn)->text(),
             QStringLiteral("%1 %").arg(worst->fraction * 100.0, 0, 'f', 2));
    const auto summary = coverage.first().at(0).value<std::shared_ptr<const CoverageSummary>>();
    QCOMPARE(summary->sessions.at(0).fraction, worst->fraction);
    QCOMPARE(summary->sessions.at(0).warned, worst->warned);
    const QColor colour = shown->item(0, CalibCoverageTable::OutsideColumn)->foreground().color();
    QCOMPARE(colour == CalibBalanceTable::warningColor(), worst->warned);
  }

  void cancelLeavesNothingBehind() {
    QTemporaryDir dir;
    auto choice = balancedChoice();
    choice.ranges.clear();
    choice.windows = 100000;  // every window of the session: long enough to cancel
    auto d = dialog(choice);
    QVERIFY(waitForPlan(*d));
    QSignalSpy cancelled(d.get(), &CalibExportDialog::exportCancelled);
    QVERIFY(d->startExport(dir.path() + "/cancelled.npy"));
    QVERIFY(d->cancelButton()->isEnabled());
    QTest::mouseClick(d->cancelButton(), Qt::LeftButton);
    QVERIFY(cancelled.count() == 1 || cancelled.wait(kWaitMs));
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
             QStringList());
    QVERIFY(!d->cancelButton()->isEnabled());
    QVERIFY(d->exportButton()->isEnabled());
  }

  void theMenuActionOpensTheDialogOnTheCurrentSessionAndModel() {
    MainWindow window;
    QVERIFY(window.openPath(kOther));
    QVERIFY(window.openPath(kSession));
    QVERIFY(window.openPath(kModel));
    QAction* action = window.findChild<QAction*>("action.exportCalibration");
    QVERIFY(action);
    action->trigger();
    auto* d = window.calibExportDialog();
    QVERIFY(d && d->isVisible());
    QCOMPARE(d->inputs().session, window.currentSession());
    QVERIFY(d->inputs().bundle);
    QCOMPARE(d->inputs().otherSessions.size(), std::size_t{1});
    QCOMPARE(QString::fromStdString(d->inputs().otherSessions[0].string()), kOther);
    QVERIFY(waitForPlan(*d));
    QVERIFY(d->plan());
    QVERIFY(d->plan()->exported > 0);
  }
};

QTEST_MAIN(CalibExportDialogTest)
#include "CalibExportDialogTest.moc"

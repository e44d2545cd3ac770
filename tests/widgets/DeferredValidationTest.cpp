// An opened session is shown before its validation ends; the findings join it when they arrive:
//  - while validation is held (a semaphore the test controls), the session is in the browser
//    and the timeline has its charts, and its findings row says "validating…"; after release the
//    findings are exactly what core's validateSession says about that session (called here
//    directly as the reference), and the row shows their counts;
//  - a CSV import's report (unit conversions) is visible at once, validation's findings (a gap
//    the test cut into the sample) are appended later;
//  - two sessions opened back to back are validated in order, each result on its own session;
//  - closing the window with a validation in flight stops it; a validation that throws shows as
//    an error finding on its session.
// Nothing here measures time.
#include <QFile>
#include <QLabel>
#include <QListWidget>
#include <QSemaphore>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <atomic>
#include <mutex>

#include "MainWindow.hpp"
#include "SessionBrowser.hpp"
#include "SessionValidationQueue.hpp"
#include "TimelineView.hpp"
#include "WidgetTestSupport.hpp"
#include "common/Error.hpp"
#include "session/CsvImport.hpp"
#include "session/SessionIo.hpp"
#include "session/SessionValidator.hpp"

using namespace imuwb;
using namespace imuwb::widgets;

namespace {
const QString kSession = testing::sourceDir() + "/samples/sessions/dog_2min_collar.h5";
const QString kCsv = testing::sourceDir() + "/samples/sessions/harness_90s_g_dps.csv";
constexpr int kWaitMs = 60000;

// A validation the test holds: each call says it has started, then waits for one release (or a
// cancel) before running `then` (core's validateSession unless a test substitutes one).
struct HeldValidation {
  QSemaphore entered;
  QSemaphore release;
  std::atomic<QThread*> thread = nullptr;
  std::mutex mutex;
  std::vector<const Session*> order;  // the sessions validated, in the order they started
  SessionValidationFunction then = [](const Session& session, const JobControl&) {
    return validateSession(session);
  };

  SessionValidationFunction function() {
    return [this](const Session& session, const JobControl& control) {
      thread = QThread::currentThread();
      {
        const std::lock_guard lock(mutex);
        order.push_back(&session);
      }
      entered.release();
      while (!release.tryAcquire(1, 10)) control.throwIfCancelled();
      return then(session, control);
    };
  }
};

QLabel* validationStatus(MainWindow& window) {
  return window.findChild<QLabel*>("status.validation");
}

// The row text for a finished list, counted here from the reference findings.
QString countsText(const std::vector<Finding>& findings) {
  int errors = 0, warnings = 0;
  for (const auto& f : findings) {
    if (f.severity == Severity::Error) ++errors;
    if (f.severity == Severity::Warning) ++warnings;
  }
  return QStringLiteral("%1 errors, %2 warnings, %3 total")
      .arg(errors)
      .arg(warnings)
      .arg(findings.size());
}

bool sameFindings(const std::vector<Finding>& got, const std::vector<Finding>& expected) {
  if (got.size() != expected.size()) return false;
  for (std::size_t i = 0; i < got.size(); ++i) {
    const auto& a = got[i];
    const auto& b = expected[i];
    const bool sameTime =
        (a.start_s == b.start_s || (a.start_s != a.start_s && b.start_s != b.start_s));
    if (a.severity != b.severity || a.code != b.code || a.message != b.message ||
        a.device != b.device || a.channel != b.channel || !sameTime)
      return false;
  }
  return true;
}

bool hasCode(const std::vector<Finding>& findings, const std::string& code) {
  for (const auto& f : findings)
    if (f.code == code) return true;
  return false;
}

// The sample session with acc_x held flat for 5 s from 20 s: validation must report it.
QString writeFlatChannelSession(const QTemporaryDir& dir) {
  Session session = loadSession(kSession.toStdString());
  auto& device = session.devices.front();
  const auto first = static_cast<std::size_t>(20 * session.sampleRateHz);
  const auto last = static_cast<std::size_t>(25 * session.sampleRateHz);
  for (std::size_t row = first; row < last; ++row)
    device.samples[row * kChannelCount] = device.samples[first * kChannelCount];
  const QString path = dir.filePath("flat_acc_x.h5");
  saveSession(session, path.toStdString());
  return path;
}

// The sample CSV with one second of rows (3000-3099) cut out: a time gap validation reports.
QString writeGappedCsv(const QTemporaryDir& dir) {
  QFile source(kCsv);
  if (!source.open(QIODevice::ReadOnly)) return {};
  const QList<QByteArray> lines = source.readAll().split('\n');
  const QString path = dir.filePath("harness_gap.csv");
  QFile out(path);
  if (!out.open(QIODevice::WriteOnly)) return {};
  for (qsizetype i = 0; i < lines.size(); ++i) {
    if (i >= 3001 && i < 3101) continue;  // line 0 is the header: rows 3000..3099
    if (i + 1 == lines.size() && lines[i].isEmpty()) break;
    out.write(lines[i]);
    out.write("\n");
  }
  return path;
}
}  // namespace

class DeferredValidationTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() {
    testing::isolateSettings();
    if (!QFileInfo::exists(kSession) || !QFileInfo::exists(kCsv))
      QFAIL("sample sessions missing from samples/sessions (part of the repository)");
  }

  void sessionIsShownWhileItsValidationRuns() {
    QTemporaryDir dir;
    const QString path = writeFlatChannelSession(dir);
    MainWindow window;
    window.resize(1200, 800);
    window.show();
    HeldValidation held;
    window.validationQueue()->setValidationFunction(held.function());

    window.openPaths({path});
    QStringList errors;
    QVERIFY2(window.waitForOpens(kWaitMs, &errors), qPrintable(errors.join("; ")));
    QVERIFY(held.entered.tryAcquire(1, kWaitMs));
    QVERIFY(held.thread.load() != QThread::currentThread());
    // Validation is held, yet the session is open and drawn.
    QVERIFY(window.validationPending());
    QCOMPARE(window.sessionCount(), 1);
    auto* browser = window.sessionBrowser();
    QCOMPARE(browser->sessionCount(), 1);
    QCOMPARE(window.timeline()->charts().size(), std::size_t(3));
    QVERIFY(browser->isValidating(0));
    QCOMPARE(browser->findingsSummary(0), QStringLiteral("validating…"));
    QCOMPARE(browser->findingsList()->count(), 0);  // an .h5 has no import report
    auto* status = validationStatus(window);
    QVERIFY(status && status->isVisible());
    QVERIFY2(status->text().contains("Validating flat_acc_x.h5"), qPrintable(status->text()));

    held.release.release();
    QVERIFY(window.waitForValidation(kWaitMs));
    const auto expected = validateSession(*window.currentSession());
    QVERIFY(hasCode(expected, "flat_channel"));  // the planted defect
    QVERIFY(sameFindings(window.sessionFindings(0), expected));
    QVERIFY(!browser->isValidating(0));
    QCOMPARE(browser->findingsSummary(0), countsText(expected));
    QCOMPARE(browser->findingsList()->count(), static_cast<int>(expected.size()));
    QVERIFY(!status->isVisible());
  }

  void csvImportReportShowsAtOnceAndValidationFindingsFollow() {
    QTemporaryDir dir;
    const QString path = writeGappedCsv(dir);
    QVERIFY(!path.isEmpty());
    // References: core's importer and validator, called directly.
    const auto imported = importCsv(path.toStdString());
    const auto& report = imported.report;
    QVERIFY(!report.empty());
    const auto validation = validateSession(imported.session);
    QVERIFY(hasCode(validation, "time_gap"));  // the cut second

    MainWindow window;
    window.show();
    HeldValidation held;
    window.validationQueue()->setValidationFunction(held.function());
    QVERIFY(window.openPath(path));
    QVERIFY(held.entered.tryAcquire(1, kWaitMs));
    auto* browser = window.sessionBrowser();
    // The import report (units converted) is there before validation ends.
    QVERIFY(sameFindings(window.sessionFindings(0), report));
    QCOMPARE(browser->findingsList()->count(), static_cast<int>(report.size()));
    QVERIFY(browser->findingsSummary(0).startsWith("validating…"));
    QVERIFY(!hasCode(window.sessionFindings(0), "time_gap"));

    held.release.release();
    QVERIFY(window.waitForValidation(kWaitMs));
    auto expected = report;
    expected.insert(expected.end(), validation.begin(), validation.end());
    QVERIFY(sameFindings(window.sessionFindings(0), expected));
    QCOMPARE(browser->findingsList()->count(), static_cast<int>(expected.size()));
    QCOMPARE(browser->findingsSummary(0), countsText(expected));
  }

  void twoSessionsOpenedBackToBackEachGetTheirOwnFindings() {
    QTemporaryDir dir;
    const QString first = writeFlatChannelSession(dir);
    const QString second = writeGappedCsv(dir);
    MainWindow window;
    window.show();
    HeldValidation held;
    // Each result names the file it was computed from, so a misplaced one shows.
    held.then = [](const Session& session, const JobControl&) {
      Finding tag;
      tag.severity = Severity::Warning;
      tag.code = "tag";
      tag.message = session.sourcePath.filename().string();
      std::vector<Finding> out{tag};
      for (auto& f : validateSession(session)) out.push_back(std::move(f));
      return out;
    };
    window.validationQueue()->setValidationFunction(held.function());

    window.openPaths({first, second});
    QVERIFY(window.waitForOpens(kWaitMs));
    QVERIFY(held.entered.tryAcquire(1, kWaitMs));
    // Both are shown while the first one's validation is held; the second waits its turn.
    QCOMPARE(window.sessionCount(), 2);
    auto* browser = window.sessionBrowser();
    QVERIFY(browser->isValidating(0) && browser->isValidating(1));
    QCOMPARE(browser->currentIndex(), 1);
    const auto s1 = window.currentSession();  // the last one opened is selected
    browser->setCurrentIndex(0);
    const auto s0 = window.currentSession();
    QVERIFY(s0 && s1 && s0 != s1);

    held.release.release();  // only the first validation
    QTRY_VERIFY_WITH_TIMEOUT(!browser->isValidating(0), kWaitMs);
    QVERIFY(held.entered.tryAcquire(1, kWaitMs));  // the second starts after the first settled
    QVERIFY(browser->isValidating(1));
    {
      const std::lock_guard lock(held.mutex);
      QCOMPARE(held.order.size(), std::size_t(2));
      QCOMPARE(held.order[0], s0.get());
      QCOMPARE(held.order[1], s1.get());
    }
    auto expected0 = held.then(*s0, {});
    QVERIFY(sameFindings(window.sessionFindings(0), expected0));
    QCOMPARE(window.sessionFindings(0).front().message, std::string("flat_acc_x.h5"));
    // The second (CSV) still shows only its import report, with the row still validating.
    for (const auto& f : window.sessionFindings(1)) QVERIFY(f.code != "tag");

    held.release.release();
    QVERIFY(window.waitForValidation(kWaitMs));
    auto expected1 = importCsv(second.toStdString()).report;
    for (auto& f : held.then(*s1, {})) expected1.push_back(std::move(f));
    QVERIFY(sameFindings(window.sessionFindings(1), expected1));
    QVERIFY(sameFindings(window.sessionFindings(0), expected0));  // untouched by the second
    int tags = 0;
    for (const auto& f : window.sessionFindings(1))
      if (f.code == "tag") {
        ++tags;
        QCOMPARE(f.message, std::string("harness_gap.csv"));
      }
    QCOMPARE(tags, 1);
    // The list shows the selected session's findings, updated in place.
    browser->setCurrentIndex(0);
    QCOMPARE(browser->findingsList()->count(), static_cast<int>(expected0.size()));
    QCOMPARE(browser->findingsSummary(0), countsText(expected0));
    QCOMPARE(browser->findingsSummary(1), countsText(expected1));
  }

  void closingTheWindowStopsAValidationInFlight() {
    HeldValidation held;
    {
      MainWindow window;
      window.show();
      window.validationQueue()->setValidationFunction(held.function());
      QVERIFY(window.openPath(kSession));
      QVERIFY(held.entered.tryAcquire(1, kWaitMs));
      QVERIFY(window.validationPending());
      window.close();
    }  // the destructor cancels the held validation and waits for it; without the cancel it
       // would wait forever (nothing releases it) and the test would time out
    QCOMPARE(held.release.available(), 0);
  }

  void aValidationThatFailsIsShownAsAnErrorFinding() {
    MainWindow window;
    window.show();
    window.validationQueue()->setValidationFunction(
        [](const Session&, const JobControl&) -> std::vector<Finding> {
          throw Error("validator", "ran out of patience", "try again");
        });
    QVERIFY(window.openPath(kSession));
    QVERIFY(window.waitForValidation(kWaitMs));
    QCOMPARE(window.sessionFindings(0).size(), std::size_t(1));
    const auto& finding = window.sessionFindings(0).front();
    QCOMPARE(finding.severity, Severity::Error);
    QCOMPARE(finding.code, std::string("validation_failed"));
    QVERIFY(finding.message.find("ran out of patience") != std::string::npos);
    QCOMPARE(window.sessionBrowser()->findingsSummary(0),
             QStringLiteral("1 errors, 0 warnings, 1 total"));
  }

  void queueDropsResultsAfterCancelAll() {
    SessionValidationQueue queue;
    HeldValidation held;
    queue.setValidationFunction(held.function());
    int results = 0;
    connect(&queue, &SessionValidationQueue::finished, this, [&] { ++results; });
    auto a = testing::syntheticSession(1000, 1);
    auto b = testing::syntheticSession(1000, 2);
    queue.enqueue(a, "a");
    queue.enqueue(b, "b");
    QVERIFY(queue.isQueuedOrRunning(a) && queue.isQueuedOrRunning(b));
    QVERIFY(held.entered.tryAcquire(1, kWaitMs));
    queue.cancelAll();
    QTRY_VERIFY_WITH_TIMEOUT(!queue.pending(), kWaitMs);
    QCOMPARE(results, 0);
    QCOMPARE(held.entered.available(), 0);  // b never started
  }
};

QTEST_MAIN(DeferredValidationTest)
#include "DeferredValidationTest.moc"

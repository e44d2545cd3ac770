// Dropping the sample files on the window opens them: sessions appear in the browser, the model
// in the run panel, and the timeline shows the last session.
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QMimeData>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include "MainWindow.hpp"
#include "SessionBrowser.hpp"
#include "SignalGroupChart.hpp"
#include "TimelineView.hpp"
#include "WidgetTestSupport.hpp"

using namespace imuwb;
using namespace imuwb::widgets;

class DropFilesTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() { testing::isolateSettings(); }

  void droppingSamplesOpensThem() {
    const QString dir = testing::sourceDir() + "/samples";
    const QStringList files = {dir + "/sessions/dog_10min_collar_harness.h5",
                               dir + "/sessions/dog_2min_collar.h5",
                               dir + "/models/dog_behavior_conv2d"};
    for (const auto& f : files)
      if (!QFileInfo::exists(f))
        QFAIL("sample files missing from samples/ (part of the repository)");
    MainWindow window;
    window.show();
    QMimeData mime;
    QList<QUrl> urls;
    for (const auto& f : files) urls << QUrl::fromLocalFile(f);
    mime.setUrls(urls);
    const QPoint at(window.width() / 2, window.height() / 2);
    QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&window, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&window, &drop);
    QVERIFY(window.waitForOpens());  // sessions load in the background, in the dropped order
    QCOMPARE(window.sessionCount(), 2);
    QCOMPARE(window.modelCount(), 1);
    QCOMPARE(window.sessionBrowser()->sessionCount(), 2);
    QVERIFY(window.canRun());
    // The last session (one device) is shown: three sensor-group charts, a 2 minute axis.
    QCOMPARE(window.timeline()->charts().size(), std::size_t(3));
    QCOMPARE_LT(std::abs(window.timeAxis()->extent().length() - 120.0), 0.02);
    // Selecting the first session in the browser switches the timeline to its two devices.
    window.sessionBrowser()->setCurrentIndex(0);
    QCOMPARE(window.timeline()->charts().size(), std::size_t(6));
  }

  void droppingABadFileIsReportedNotFatal() {
    MainWindow window;
    window.show();
    QTemporaryDir dir;
    const QString bad = dir.filePath("broken.h5");
    QFile file(bad);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("this is not HDF5");
    file.close();
    QString error;
    QVERIFY(!window.openPath(bad, &error));
    QVERIFY(error.contains("broken.h5"));
    QCOMPARE(window.sessionCount(), 0);
  }
};

QTEST_MAIN(DropFilesTest)
#include "DropFilesTest.moc"

// Runs are cached per (session, model, backend, stride): the same four give the stored result
// without running again; changing any one of them runs again.
#include <QSignalSpy>
#include <QTest>
#include <atomic>

#include "RunController.hpp"
#include "RunResultCache.hpp"
#include "WidgetTestSupport.hpp"
#include "model/ModelBundle.hpp"

using namespace imuwb;
using namespace imuwb::widgets;

class RunCacheTest : public QObject {
  Q_OBJECT
 private slots:
  void keysSeparateEveryPart() {
    auto a = testing::syntheticSession(1000);
    a->sourcePath = "/data/a.h5";
    auto b = testing::syntheticSession(1000);
    b->sourcePath = "/data/b.h5";
    auto model1 = std::make_shared<ModelBundle>();
    model1->onnxPath = "/models/one.onnx";
    auto model2 = std::make_shared<ModelBundle>();
    model2->onnxPath = "/models/two.onnx";
    RunRequest base{a, model1, "cpu", 50};
    const RunKey key = base.key();
    QCOMPARE(key.session, std::string("/data/a.h5"));
    QCOMPARE(key.model, std::string("/models/one.onnx"));
    QCOMPARE(RunRequest(base).key(), key);  // same inputs, same key
    RunRequest other = base;
    other.session = b;
    QVERIFY(!(other.key() == key));
    other = base;
    other.bundle = model2;
    QVERIFY(!(other.key() == key));
    other = base;
    other.backend = "int8";
    QVERIFY(!(other.key() == key));
    other = base;
    other.strideSamples = 25;
    QVERIFY(!(other.key() == key));
    // In-memory sessions have no path: two different ones must not share a key.
    auto m1 = testing::syntheticSession(1000), m2 = testing::syntheticSession(1000);
    QVERIFY(!(RunRequest{m1, model1, "cpu", 50}.key() == RunRequest{m2, model1, "cpu", 50}.key()));
  }

  void cacheIsLeastRecentlyUsed() {
    RunResultCache cache(2);
    auto out = [](const char* name) {
      auto o = std::make_shared<ModelOutputs>();
      o->modelName = name;
      return std::shared_ptr<const ModelOutputs>(o);
    };
    const RunKey k1{"s", "m", "cpu", 50}, k2{"s", "m", "cpu", 25}, k3{"s", "m", "int8", 50};
    cache.insert(k1, out("1"));
    cache.insert(k2, out("2"));
    QCOMPARE(cache.find(k1)->modelName, std::string("1"));  // k1 now most recent
    cache.insert(k3, out("3"));                             // evicts k2
    QVERIFY(cache.find(k2) == nullptr);
    QVERIFY(cache.find(k1) != nullptr);
    QVERIFY(cache.find(k3) != nullptr);
    cache.insert(k1, out("1b"));  // replaces
    QCOMPARE(cache.size(), std::size_t(2));
    QCOMPARE(cache.find(k1)->modelName, std::string("1b"));
  }

  void controllerRunsOncePerKey() {
    std::atomic<int> calls = 0;
    RunController controller([&](const RunRequest& request, const JobControl& control) {
      ++calls;
      control.report(0.5, "half");
      auto out = testing::syntheticOutputs(*request.session, request.strideSamples);
      out.backendName = request.backend;
      return out;
    });
    QSignalSpy finished(&controller, &RunController::finished);
    auto session = testing::syntheticSession(6000);
    auto model = std::make_shared<ModelBundle>();
    model->onnxPath = "/models/m.onnx";
    RunRequest request{session, model, "cpu", 50};
    controller.start(request);
    QVERIFY(finished.wait(10000));
    QCOMPARE(calls.load(), 1);
    QCOMPARE(finished.last().at(1).toBool(), false);
    const auto first = finished.last().at(0).value<std::shared_ptr<const ModelOutputs>>();
    QCOMPARE(first->windowCount(), std::size_t((6000 - 100) / 50 + 1));

    controller.start(request);  // cached: answered at once, no second run
    QCOMPARE(finished.count(), 2);
    QCOMPARE(finished.last().at(1).toBool(), true);
    QCOMPARE(calls.load(), 1);
    QVERIFY(finished.last().at(0).value<std::shared_ptr<const ModelOutputs>>() == first);

    request.strideSamples = 25;  // a different key runs again
    controller.start(request);
    QVERIFY(finished.wait(10000));
    QCOMPARE(calls.load(), 2);
    QCOMPARE(finished.last().at(0).value<std::shared_ptr<const ModelOutputs>>()->windowCount(),
             std::size_t((6000 - 100) / 25 + 1));
  }

  void cancelStopsTheWorkerAndCachesNothing() {
    RunController controller([](const RunRequest&, const JobControl& control) {
      for (int i = 0; i < 1000; ++i) {
        control.throwIfCancelled();
        QThread::msleep(5);
      }
      return ModelOutputs{};
    });
    QSignalSpy cancelled(&controller, &RunController::cancelled);
    auto model = std::make_shared<ModelBundle>();
    RunRequest request{testing::syntheticSession(1000), model, "cpu", 50};
    controller.start(request);
    QVERIFY(controller.busy());
    controller.cancel();
    QVERIFY(cancelled.wait(5000));
    QVERIFY(!controller.busy());
    QCOMPARE(controller.cache().size(), std::size_t(0));
  }
};

QTEST_MAIN(RunCacheTest)
#include "RunCacheTest.moc"

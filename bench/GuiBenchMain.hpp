#pragma once
// main() for the GUI benchmarks: offscreen unless told otherwise, settings kept apart from the
// user's, and a hook that destroys benchmark-owned windows while the QApplication still exists
// (a window outliving the application crashes at exit).
#include <benchmark/benchmark.h>

#include <QApplication>
#include <functional>

namespace imuwb::bench {

inline int runGuiBenchmarks(int argc, char** argv, const std::function<void()>& beforeExit) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  QCoreApplication::setOrganizationName("imuwb-bench");  // keep the user's settings untouched
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (beforeExit) beforeExit();
  return 0;
}

}  // namespace imuwb::bench

#include "CalibCoverageRunner.hpp"

#include <algorithm>

#include "common/Error.hpp"
#include "jobs/CalibCoverageJob.hpp"

namespace imuwb::widgets {

CoverageSummary coverageOfSessions(const std::filesystem::path& calibrationSet,
                                   const std::vector<std::filesystem::path>& sessions,
                                   double maxOutside, const JobControl& control) {
  CoverageSummary summary{calibrationSet, maxOutside, {}};
  const double count = static_cast<double>(std::max<std::size_t>(sessions.size(), 1));
  for (std::size_t i = 0; i < sessions.size(); ++i) {
    control.throwIfCancelled();
    SessionCoverage one;
    one.session = sessions[i];
    jobs::CalibCoverageJobOptions options;
    options.calibrationSet = calibrationSet;
    options.sessions = {sessions[i]};
    options.maxOutside = maxOutside;
    const JobControl part{[&](double fraction, std::string_view stage) {
                            control.report((static_cast<double>(i) + fraction) / count, stage);
                          },
                          control.stop};
    try {
      const auto result = jobs::runCalibCoverageJob(options, part);
      for (const auto& channel : result.channels)
        if (one.worstChannel.empty() || channel.fraction > one.fraction) {
          one.worstChannel = channel.name;
          one.fraction = channel.fraction;
          one.warned = channel.warned;
        }
    } catch (const Cancelled&) {
      throw;
    } catch (const std::exception& error) {
      one.error = error.what();
    }
    summary.sessions.push_back(std::move(one));
  }
  control.report(1.0, "done");
  return summary;
}

CalibCoverageRunner::CalibCoverageRunner(QObject* parent)
    : QObject(parent),
      runner_(this,
              {[this](double fraction, const QString& stage) { emit progress(fraction, stage); },
               [this](std::shared_ptr<const CoverageSummary> summary) {
                 emit finished(std::move(summary));
               },
               [this](const QString& message) { emit failed(message); },
               [this] { emit cancelled(); }}) {
  qRegisterMetaType<std::shared_ptr<const CoverageSummary>>();
}

bool CalibCoverageRunner::start(std::filesystem::path calibrationSet,
                                std::vector<std::filesystem::path> sessions, double maxOutside) {
  return runner_.run([set = std::move(calibrationSet), sessions = std::move(sessions),
                      maxOutside](const JobControl& control) {
    return coverageOfSessions(set, sessions, maxOutside, control);
  });
}

}  // namespace imuwb::widgets

// One decision, for both shells, of which reader a recording goes through: by extension, case
// insensitive, and a clear error naming the file and the accepted kinds for anything else.
#include <gtest/gtest.h>

#include <fstream>

#include "common/Error.hpp"
#include "jobs/ImportJob.hpp"
#include "jobs/RecordingImport.hpp"
#include "session/SessionIo.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb::jobs {
namespace {

TEST(RecordingKind, ChosenByExtensionWhateverTheCase) {
  EXPECT_EQ(recordingKindOf("a/rec.csv"), RecordingKind::Csv);
  EXPECT_EQ(recordingKindOf("rec.TSV"), RecordingKind::Csv);
  EXPECT_EQ(recordingKindOf("rec.txt"), RecordingKind::Csv);
  EXPECT_EQ(recordingKindOf("request.json"), RecordingKind::JsonWindow);
  EXPECT_EQ(recordingKindOf("s.h5"), RecordingKind::Session);
  EXPECT_EQ(recordingKindOf("s.HDF5"), RecordingKind::Session);
}

TEST(RecordingKind, UnknownExtensionNamesFileAndAcceptedKinds) {
  try {
    recordingKindOf("/data/recording.parquet");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_NE(error.where().find("recording.parquet"), std::string::npos);
    EXPECT_NE(error.problem().find(".parquet"), std::string::npos);
    EXPECT_NE(error.fix().find(".csv"), std::string::npos);
    EXPECT_NE(error.fix().find(".h5"), std::string::npos);
  }
}

// Counted from the file's text here, independently of the importer.
std::size_t dataRows(const std::filesystem::path& csv) {
  std::ifstream in(csv);
  std::string line;
  std::size_t rows = 0;
  std::getline(in, line);  // header
  while (std::getline(in, line))
    if (!line.empty()) ++rows;
  return rows;
}

TEST(ImportJob, CsvWithLabelsBecomesASessionFile) {
  const auto samples = test::sourceDir() / "samples" / "sessions";
  test::TempDir dir;
  ImportJobOptions options;
  options.input = samples / "harness_90s_g_dps.csv";
  options.labels = samples / "harness_90s_labels.csv";
  options.output = dir / "out.h5";
  const auto result = runImportJob(options);
  EXPECT_EQ(result.kind, RecordingKind::Csv);
  const Session written = loadSession(options.output);
  EXPECT_EQ(written.sampleCount(), dataRows(options.input));
  EXPECT_EQ(written.sampleCount(), result.sampleCount);
  EXPECT_DOUBLE_EQ(written.sampleRateHz, 100.0);  // timestamps 10 ms apart
  EXPECT_EQ(written.labels.size(), dataRows(options.labels));
  ASSERT_FALSE(result.report.empty());
  EXPECT_EQ(result.report.back().code, "labels_imported");
  // The written session re-imports through the same decision as a session file.
  ImportJobOptions again;
  again.input = options.output;
  again.output = dir / "copy.h5";
  EXPECT_EQ(runImportJob(again).kind, RecordingKind::Session);
  EXPECT_EQ(loadSession(again.output).sampleCount(), written.sampleCount());
}

TEST(ImportJob, NeverWritesOverItsInputNorAnExistingFileUnasked) {
  const auto samples = test::sourceDir() / "samples" / "sessions";
  test::TempDir dir;
  std::filesystem::copy_file(samples / "harness_90s_g_dps.csv", dir / "rec.csv");
  ImportJobOptions options;
  options.input = dir / "rec.csv";
  options.output = dir / "rec.csv";
  options.force = true;
  EXPECT_THROW(runImportJob(options), Error);
  EXPECT_EQ(dataRows(dir / "rec.csv"), dataRows(samples / "harness_90s_g_dps.csv"));
  options.output = dir / "existing.h5";
  options.force = false;
  std::ofstream(dir / "existing.h5") << "keep me";
  EXPECT_THROW(runImportJob(options), Error);
  std::ifstream kept(dir / "existing.h5");
  std::string text;
  std::getline(kept, text);
  EXPECT_EQ(text, "keep me");
}

}  // namespace
}  // namespace imuwb::jobs

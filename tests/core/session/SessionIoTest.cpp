#include <gtest/gtest.h>

#include <fstream>

#include "SessionTestData.hpp"
#include "common/Error.hpp"
#include "session/SessionIo.hpp"
#include "session/SessionReader.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

TEST(SessionIo, RoundTripKeepsEverything) {
  test::TempDir dir;
  Session original = test::restingSession(1234);
  original.devices[1].samples[5 * 9 + 4] = 1.25f;  // something distinct per device
  saveSession(original, dir / "s.h5");
  const Session loaded = loadSession(dir / "s.h5");
  ASSERT_EQ(loaded.devices.size(), 2u);
  EXPECT_EQ(loaded.devices[0].name, "collar");
  EXPECT_EQ(loaded.devices[1].name, "harness");
  for (std::size_t d = 0; d < 2; ++d)
    EXPECT_EQ(loaded.devices[d].samples, original.devices[d].samples) << d;
  EXPECT_DOUBLE_EQ(loaded.sampleRateHz, 100.0);
  EXPECT_EQ(loaded.startTime, original.startTime);
  EXPECT_EQ(loaded.classes, original.classes);
  ASSERT_EQ(loaded.labels.size(), 2u);
  EXPECT_EQ(loaded.labels[1].label, "sit");
  EXPECT_DOUBLE_EQ(loaded.labels[1].start_s, original.labels[1].start_s);
  EXPECT_EQ(loaded.metadata, original.metadata);
  EXPECT_TRUE(loaded.time_s.empty());
  EXPECT_EQ(loaded.sourcePath, dir / "s.h5");
}

TEST(SessionIo, ExplicitTimeRoundTrips) {
  test::TempDir dir;
  Session original = test::restingSession(300, {"phone"});
  for (std::size_t i = 0; i < 300; ++i) original.time_s.push_back(0.01 * i + (i > 200 ? 0.5 : 0));
  saveSession(original, dir / "t.h5");
  const SessionReader reader = SessionReader::open(dir / "t.h5");
  EXPECT_TRUE(reader.header().hasExplicitTime);
  // Duration covers the timestamps (with the 0.5 s gap), not N / rate.
  EXPECT_NEAR(reader.header().durationSeconds(), original.time_s.back() + 0.01, 1e-12);
  EXPECT_NEAR(reader.header().durationSeconds(), original.durationSeconds(), 1e-12);
  EXPECT_EQ(reader.readTime(195, 10),
            std::vector<double>(original.time_s.begin() + 195, original.time_s.begin() + 205));
}

TEST(SessionIo, ReaderReadsArbitraryBlocksAcrossChunks) {
  test::TempDir dir;
  const Session original = test::restingSession(200000, {"collar"});
  saveSession(original, dir / "big.h5");
  const SessionReader reader = SessionReader::open(dir / "big.h5");
  EXPECT_EQ(reader.header().sampleCount, 200000u);
  const auto rows = reader.readRows(0, 65000, 1000);  // straddles the 65536 chunk boundary
  EXPECT_TRUE(
      std::equal(rows.begin(), rows.end(), original.devices[0].samples.begin() + 65000 * 9));
  const auto time = reader.readTime(199990, 10);
  EXPECT_DOUBLE_EQ(time.back(), 199999 / 100.0);
  EXPECT_THROW(reader.readRows(0, 199990, 11), Error);
  EXPECT_THROW(reader.readRows(2, 0, 1), Error);
}

TEST(SessionIo, MultiChunkReadsEqualChunkByChunkReads) {
  // Reads spanning several whole chunks decode them on worker threads; single-chunk reads go
  // through HDF5's own filter pipeline. Both must give the same rows, for any alignment.
  test::TempDir dir;
  const Session original = test::restingSession(300000, {"collar"});
  saveSession(original, dir / "m.h5");
  const SessionReader reader = SessionReader::open(dir / "m.h5");
  ASSERT_EQ(reader.chunkRows(), 65536u);
  const auto whole = reader.readRows(0, 0, 300000);
  EXPECT_TRUE(std::equal(whole.begin(), whole.end(), original.devices[0].samples.begin()));
  const auto unaligned = reader.readRows(0, 1234, 250000);
  EXPECT_TRUE(std::equal(unaligned.begin(), unaligned.end(),
                         original.devices[0].samples.begin() + 1234 * 9));
  for (std::size_t first = 0; first < 300000; first += 65536) {
    const auto block = reader.readRows(0, first, std::min<std::size_t>(65536, 300000 - first));
    EXPECT_TRUE(std::equal(block.begin(), block.end(), whole.begin() + first * 9)) << first;
  }
}

TEST(SessionIo, RefusesToOverwriteTheSourceRecording) {
  test::TempDir dir;
  saveSession(test::restingSession(100), dir / "rec.h5");
  Session loaded = loadSession(dir / "rec.h5");
  try {
    saveSession(loaded, dir / "rec.h5");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_NE(error.fix().find("new file"), std::string::npos);
  }
  saveSession(loaded, dir / "copy.h5");  // a new file is fine
  EXPECT_EQ(loadSession(dir / "copy.h5").devices[0].samples, loaded.devices[0].samples);
}

TEST(SessionIo, RejectsInconsistentSessionsBeforeWriting) {
  test::TempDir dir;
  Session session = test::restingSession(100);
  session.devices[1].samples.resize(99 * 9);
  EXPECT_THROW(saveSession(session, dir / "x.h5"), Error);
  session = test::restingSession(100);
  session.time_s = {0.0, 0.01};
  EXPECT_THROW(saveSession(session, dir / "x.h5"), Error);
  EXPECT_FALSE(std::filesystem::exists(dir / "x.h5"));
}

TEST(SessionWriter, StreamsBlocksOfAnySizeAndLeavesNothingOnFailure) {
  test::TempDir dir;
  const Session original = test::restingSession(70000, {"a", "b"});
  {
    SessionWriterOptions options;
    options.deviceNames = {"a", "b"};
    options.chunkRows = 4096;
    auto writer = SessionWriter::create(dir / "w.h5", options);
    std::size_t first = 0;
    for (std::size_t step : {1u, 7u, 4095u, 4097u, 20000u}) {
      for (std::size_t d = 0; d < 2; ++d)
        writer.appendRows(d, original.devices[d].samples.data() + first * 9, step);
      first += step;
    }
    for (std::size_t d = 0; d < 2; ++d)
      writer.appendRows(d, original.devices[d].samples.data() + first * 9, 70000 - first);
    writer.setLabels({"x"}, {{0, 1, "x"}});
    writer.finish();
  }
  const Session loaded = loadSession(dir / "w.h5");
  EXPECT_EQ(loaded.devices[0].samples, original.devices[0].samples);
  EXPECT_EQ(loaded.devices[1].samples, original.devices[1].samples);
  {
    SessionWriterOptions options;
    options.deviceNames = {"a", "b"};
    auto writer = SessionWriter::create(dir / "bad.h5", options);
    writer.appendRows(0, original.devices[0].samples.data(), 10);
    EXPECT_THROW(writer.finish(), Error);  // device b got nothing
  }
  {
    SessionWriterOptions options;
    options.deviceNames = {"a"};
    auto writer = SessionWriter::create(dir / "abandoned.h5", options);
    writer.appendRows(0, original.devices[0].samples.data(), 10);
  }  // destroyed without finish
  for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
    EXPECT_EQ(entry.path().filename(), "w.h5") << "left behind: " << entry.path();
}

TEST(SessionWriter, RejectsBadDeviceNames) {
  test::TempDir dir;
  SessionWriterOptions options;
  options.deviceNames = {"a/b"};
  EXPECT_THROW(SessionWriter::create(dir / "x.h5", options), Error);
  options.deviceNames = {"a", "a"};
  EXPECT_THROW(SessionWriter::create(dir / "x.h5", options), Error);
  options.deviceNames = {};
  EXPECT_THROW(SessionWriter::create(dir / "x.h5", options), Error);
}

}  // namespace
}  // namespace imuwb

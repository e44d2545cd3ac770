// Hostile session files against SessionReader: sizes a file cannot back, huge chunks, chunks
// that inflate short (which HDF5's own pipeline would over-read), label datasets claiming 2e8
// intervals, nesting bombs in metadata, pipes. Each is an imuwb::Error naming the file, the
// dataset and the claim, raised before the claimed memory is allocated. Genuine files written
// the ways h5py writes them (deflate without shuffle, fletcher32, contiguous) still load.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <cstdlib>

#include "badinput/HostileSessions.hpp"
#include "common/Error.hpp"
#include "session/SessionIo.hpp"
#include "session/SessionReader.hpp"
#include "support/ErrorText.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

namespace fs = std::filesystem;
using badinput::craftSession;
using badinput::Filters;
using badinput::SessionCraft;

Error openError(const fs::path& path, bool readAll = true) {
  return test::errorOf([&] {
    if (readAll)
      loadSession(path);
    else
      SessionReader::open(path);
  });
}

using test::expectMentions;

TEST(SessionLimits, RowsTheFileCannotHoldAreRefusedAtOpen) {
  test::TempDir dir;
  SessionCraft c;
  c.rows = 1'000'000'000;
  c.chunkRows = 65536;
  c.writeSamples = false;
  craftSession(dir / "billion.h5", c);
  EXPECT_LT(fs::file_size(dir / "billion.h5"), 1u << 20);
  expectMentions(openError(dir / "billion.h5", false),
                 {"billion.h5:/devices/collar/imu", "declares 1000000000 rows", "stores only"});
  c = {};
  c.writeSamples = false;
  craftSession(dir / "empty.h5", c);
  expectMentions(openError(dir / "empty.h5", false), {"declares 2000 rows"});
  // Over the session_rows limit outright.
  c = {};
  c.rows = 3'000'000'000;
  c.chunkRows = 1 << 20;
  c.writeSamples = false;
  craftSession(dir / "three.h5", c);
  expectMentions(openError(dir / "three.h5", false), {"session_rows", "3000000000"});
}

TEST(SessionLimits, ChunksOverTheLimitAreRefusedAndTheLimitCanBeRaised) {
  test::TempDir dir;
  SessionCraft c;
  c.rows = 50'000'000;
  c.chunkRows = 50'000'000;
  c.writeSamples = false;
  craftSession(dir / "huge.h5", c);
  expectMentions(openError(dir / "huge.h5", false), {"huge.h5:/devices/collar/imu", "50000000 rows",
                                                     "chunk_bytes", "IMUWB_LIMIT_CHUNK_BYTES"});
  // A genuine file with 80 MB chunks opens once the limit is raised (the rows check still
  // refuses it here, since no chunk is stored: the limit only moves the first refusal).
  ::setenv("IMUWB_LIMIT_CHUNK_BYTES", "4000000000", 1);
  const Error raised = openError(dir / "huge.h5", false);
  ::unsetenv("IMUWB_LIMIT_CHUNK_BYTES");
  EXPECT_EQ(std::string(raised.what()).find("chunk_bytes"), std::string::npos) << raised.what();
  expectMentions(raised, {"declares 50000000 rows"});
}

TEST(SessionLimits, ChunksThatInflateShortAreRefusedOnEveryReadPath) {
  test::TempDir dir;
  struct Variant {
    const char* name;
    hsize_t index;
    Filters filters;
  };
  // A middle chunk (parallel decoder), the last chunk, and deflate without shuffle (HDF5's path).
  for (const Variant& v : {Variant{"middle.h5", 1, Filters::ShuffleDeflate},
                           Variant{"last.h5", 3, Filters::ShuffleDeflate},
                           Variant{"deflate.h5", 2, Filters::Deflate}}) {
    SessionCraft c;
    c.rows = 4000;
    c.chunkRows = 1000;
    c.filters = v.filters;
    c.shortChunk = v.index;
    craftSession(dir / v.name, c);
    expectMentions(openError(dir / v.name), {std::string(v.name) + ":/devices/collar/imu",
                                             "chunk at row " + std::to_string(v.index * 1000),
                                             "decodes to 18000 bytes", "36000"});
    // A read that starts and ends inside the bad chunk goes through HDF5 for the edges: it
    // must be refused the same way, not over-read.
    const auto reader = SessionReader::open(dir / v.name);
    try {
      reader.readRows(0, v.index * 1000 + 10, 20);
      ADD_FAILURE() << v.name;
    } catch (const Error& error) {
      expectMentions(error, {"decodes to 18000 bytes"});
    }
    // The good device is untouched.
    EXPECT_EQ(reader.readRows(1, 0, 4000).size(), 4000u * 9);
  }
  SessionCraft c;
  c.rows = 4000;
  c.chunkRows = 1000;
  c.explicitTime = true;
  c.shortTimeChunk = 3;  // also the last timestamp, read at open
  craftSession(dir / "time.h5", c);
  expectMentions(openError(dir / "time.h5", false), {"time.h5:/time", "decodes to 4000 bytes"});
}

TEST(SessionLimits, LabelDatasetsOverTheLimitAreRefusedBeforeAllocating) {
  test::TempDir dir;
  SessionCraft c;
  c.labelIntervals = 200'000'000;
  c.writeLabels = false;
  craftSession(dir / "labels.h5", c);
  expectMentions(openError(dir / "labels.h5", false),
                 {"labels.h5:/labels/start_s", "200000000", "label_intervals"});
}

TEST(SessionLimits, DeepMetadataIsRefusedWithTheAttributeNamed) {
  test::TempDir dir;
  SessionCraft c;
  c.metadata = "";
  for (int i = 0; i < 100; ++i) *c.metadata += "{\"a\":";
  *c.metadata += "1" + std::string(100, '}');
  craftSession(dir / "deep.h5", c);
  expectMentions(openError(dir / "deep.h5", false),
                 {"deep.h5:/ attribute 'metadata'", "deeper than 64"});
  c.metadata = std::string(200000, '[') + std::string(200000, ']');
  craftSession(dir / "bomb.h5", c);
  expectMentions(openError(dir / "bomb.h5", false), {"deeper than 64"});
  c.metadata = "{\"subject\": \"rex\", \"nested\": {\"a\": [1, 2, {\"b\": null}]}}";
  craftSession(dir / "fine.h5", c);
  EXPECT_EQ(SessionReader::open(dir / "fine.h5").header().metadata.at("subject"), "rex");
}

TEST(SessionLimits, PipesDevicesAndFoldersAreRefusedWithoutBlocking) {
  test::TempDir dir;
  ASSERT_EQ(::mkfifo((dir / "pipe.h5").c_str(), 0600), 0);
  expectMentions(openError(dir / "pipe.h5", false), {"pipe.h5", "not a regular file"});
  expectMentions(openError("/dev/zero", false), {"/dev/zero", "not a regular file"});
  fs::create_directory(dir / "folder.h5");
  expectMentions(openError(dir / "folder.h5", false), {"folder.h5", "folder"});
}

TEST(SessionLimits, GenuineLayoutsStillLoadWithTheirValues) {
  test::TempDir dir;
  // Deflate without shuffle, no compression, contiguous, chunk not dividing the rows, and
  // explicit time: all decode to the same samples.
  std::vector<float> reference;
  int variant = 0;
  for (auto [filters, chunk] :
       {std::pair{Filters::ShuffleDeflate, hsize_t{500}}, std::pair{Filters::Deflate, hsize_t{333}},
        std::pair{Filters::None, hsize_t{700}}, std::pair{Filters::None, hsize_t{0}}}) {
    SessionCraft c;
    c.rows = 2500;
    c.chunkRows = chunk;
    c.filters = filters;
    c.explicitTime = true;
    const auto path = dir / ("ok" + std::to_string(variant++) + ".h5");
    craftSession(path, c);
    const Session session = loadSession(path);
    ASSERT_EQ(session.sampleCount(), 2500u) << path;
    EXPECT_DOUBLE_EQ(session.time_s.back(), 24.99);
    if (reference.empty()) reference = session.devices[0].samples;
    EXPECT_EQ(session.devices[0].samples, reference) << path;
    EXPECT_EQ(session.labels.size(), 2u);
  }
  EXPECT_FLOAT_EQ(reference[2], 9.80665f);
}

}  // namespace
}  // namespace imuwb

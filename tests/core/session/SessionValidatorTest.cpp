// Validation findings on hand-crafted sessions: each defect planted at a known place.
#include <gtest/gtest.h>

#include <cmath>

#include "SessionTestData.hpp"
#include "session/SessionIo.hpp"
#include "session/SessionReader.hpp"
#include "session/SessionValidator.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

std::vector<const Finding*> withCode(const std::vector<Finding>& findings,
                                     const std::string& code) {
  std::vector<const Finding*> out;
  for (const auto& finding : findings)
    if (finding.code == code) out.push_back(&finding);
  return out;
}

TEST(SessionValidator, CleanSessionHasNoFindings) {
  const auto findings = validateSession(test::restingSession(3000));
  for (const auto& finding : findings) ADD_FAILURE() << finding.code << ": " << finding.message;
}

TEST(SessionValidator, NonFiniteRunsAreErrorsWithTimeRange) {
  Session session = test::restingSession(3000);
  for (std::size_t r = 1000; r < 1050; ++r) session.devices[1].samples[r * 9 + 4] = NAN;
  session.devices[0].samples[2500 * 9 + 7] = INFINITY;
  const auto findings = validateSession(session);
  const auto bad = withCode(findings, "non_finite");
  ASSERT_EQ(bad.size(), 2u);
  const Finding* nanRun = bad[0]->device == "harness" ? bad[0] : bad[1];
  EXPECT_EQ(nanRun->severity, Severity::Error);
  EXPECT_EQ(nanRun->channel, 4);
  EXPECT_DOUBLE_EQ(nanRun->start_s, 10.0);
  EXPECT_DOUBLE_EQ(nanRun->end_s, 10.49);
  EXPECT_NE(nanRun->message.find("50 row"), std::string::npos);
  EXPECT_TRUE(hasErrors(findings));
}

TEST(SessionValidator, TimestampsBackwardsDuplicatedAndGaps) {
  Session session = test::restingSession(2000, {"collar"});
  for (std::size_t i = 0; i < 2000; ++i) session.time_s.push_back(i * 0.01);
  session.time_s[500] = session.time_s[499];                           // duplicate
  session.time_s[800] = session.time_s[799] - 0.05;                    // back in time
  for (std::size_t i = 1200; i < 2000; ++i) session.time_s[i] += 2.0;  // 2 s gap
  const auto findings = validateSession(session);
  ASSERT_EQ(withCode(findings, "time_duplicate").size(), 1u);
  ASSERT_EQ(withCode(findings, "time_not_monotonic").size(), 1u);
  // The planted 2 s gap; the duplicate and the backward step also leave one-sample holes.
  const Finding* gap = nullptr;
  for (const Finding* finding : withCode(findings, "time_gap"))
    if (finding->end_s - finding->start_s > 1) gap = finding;
  ASSERT_TRUE(gap);
  EXPECT_NEAR(gap->start_s, 11.99, 1e-9);
  EXPECT_NEAR(gap->end_s, 14.0, 1e-9);
  EXPECT_EQ(gap->severity, Severity::Warning);
}

TEST(SessionValidator, SampleRateMismatch) {
  Session session = test::restingSession(2000, {"collar"});
  for (std::size_t i = 0; i < 2000; ++i) session.time_s.push_back(i * 0.02);  // really 50 Hz
  const auto findings = validateSession(session);
  const auto mismatch = withCode(findings, "rate_mismatch");
  ASSERT_EQ(mismatch.size(), 1u);
  EXPECT_NE(mismatch[0]->message.find("50 Hz"), std::string::npos) << mismatch[0]->message;
  session.sampleRateHz = 50;
  session.time_s.clear();
  const auto at50 = validateSession(session);
  EXPECT_EQ(withCode(at50, "rate_not_contract").size(), 1u);
}

TEST(SessionValidator, FlatAndSaturatedChannels) {
  Session session = test::restingSession(3000, {"collar"});
  auto& samples = session.devices[0].samples;
  for (std::size_t r = 100; r < 400; ++r)
    samples[r * 9 + 3] = 0.001f;  // gyro x stuck 3 s (not at its extreme)
  for (std::size_t r = 1000; r < 1050; ++r) samples[r * 9 + 0] = 156.9f;  // acc x clipped at +16 g
  samples[999 * 9 + 0] = 20.0f;
  const auto findings = validateSession(session);
  const auto flat = withCode(findings, "flat_channel");
  ASSERT_EQ(flat.size(), 1u);
  EXPECT_EQ(flat[0]->channel, 3);
  EXPECT_DOUBLE_EQ(flat[0]->start_s, 1.0);
  const auto saturated = withCode(findings, "saturated_channel");
  ASSERT_EQ(saturated.size(), 1u);
  EXPECT_EQ(saturated[0]->channel, 0);
  EXPECT_DOUBLE_EQ(saturated[0]->start_s, 10.0);
}

TEST(SessionValidator, GravityInGIsAUnitError) {
  Session session = test::restingSession(3000, {"collar"});
  for (std::size_t r = 0; r < 3000; ++r)
    for (int c = 0; c < 3; ++c) session.devices[0].samples[r * 9 + c] /= 9.80665f;
  const auto findings = validateSession(session);
  const auto gravity = withCode(findings, "gravity_magnitude");
  ASSERT_EQ(gravity.size(), 1u);
  EXPECT_EQ(gravity[0]->severity, Severity::Error);
  EXPECT_NE(gravity[0]->fix.find("--units acc=g"), std::string::npos);
}

TEST(SessionValidator, GyroInDegreesAndMagInMilliGaussAreHinted) {
  Session session = test::restingSession(3000, {"collar"});
  for (std::size_t r = 0; r < 3000; ++r) {
    session.devices[0].samples[r * 9 + 3] = 0.8f;  // constant-ish bias in deg/s
    session.devices[0].samples[r * 9 + 4] += 0.3f * std::sin(r * 0.1f);
    for (int c = 6; c < 9; ++c) session.devices[0].samples[r * 9 + c] *= 10;
  }
  const auto findings = validateSession(session);
  EXPECT_EQ(withCode(findings, "gyro_unit_hint").size(), 1u);
  const auto mag = withCode(findings, "mag_unit_hint");
  ASSERT_EQ(mag.size(), 1u);
  EXPECT_NE(mag[0]->fix.find("mG"), std::string::npos);
}

TEST(SessionValidator, WrongChannelCountsAndLabelProblems) {
  Session session = test::restingSession(1000);
  session.devices[0].samples.resize(1000 * 6);  // six channels per row: 6000 values
  session.devices[0].samples.push_back(1.0f);
  EXPECT_EQ(withCode(validateSession(session), "channel_count").size(), 1u);
  session = test::restingSession(1000);
  session.labels.push_back({2.0, 3.0, "gallop"});  // not a class, overlaps
  session.labels.push_back({9.0, 30.0, "stand"});  // beyond the 10 s recording
  const auto findings = validateSession(session);
  EXPECT_EQ(withCode(findings, "label_unknown_class").size(), 1u);
  EXPECT_FALSE(withCode(findings, "label_overlap").empty());
  EXPECT_EQ(withCode(findings, "label_out_of_range").size(), 1u);
  EXPECT_EQ(withCode(validateSession(Session{}), "empty_session").size(), 1u);
}

TEST(SessionValidator, FileValidationMatchesInMemoryValidation) {
  test::TempDir dir;
  Session session = test::restingSession(150000, {"collar"});
  for (std::size_t r = 70000; r < 70100; ++r) session.devices[0].samples[r * 9 + 1] = NAN;
  for (std::size_t r = 0; r < 150000; ++r) session.devices[0].samples[r * 9 + 2] /= 9.80665f;
  saveSession(session, dir / "v.h5");
  const auto inMemory = validateSession(session);
  const auto fromFile = validateSessionFile(SessionReader::open(dir / "v.h5"));
  ASSERT_EQ(fromFile.size(), inMemory.size());
  for (std::size_t i = 0; i < fromFile.size(); ++i) {
    EXPECT_EQ(fromFile[i].code, inMemory[i].code);
    if (!std::isnan(inMemory[i].start_s)) EXPECT_EQ(fromFile[i].start_s, inMemory[i].start_s);
  }
  EXPECT_FALSE(withCode(fromFile, "non_finite").empty());
}

}  // namespace
}  // namespace imuwb

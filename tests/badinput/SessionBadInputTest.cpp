// Bad-input cases for session and label loading: hostile HDF5 sessions on every command that
// reads one, hostile CSVs, label CSVs and sidecar JSON windows on import. The harness
// (BadInputHarness.hpp) asserts exit code, message, nothing written, RSS and no hang.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "BadInputHarness.hpp"
#include "HostileSessions.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb::badinput {
namespace {

namespace fs = std::filesystem;

using Args = std::vector<std::string>;

// The commands that read a session, each pointed at {dir}/<file>.
Args info(const std::string& file = "s.h5") {
  return {"info", "{dir}/" + file};
}
Args infoJson(const std::string& file = "s.h5") {
  return {"info", "--json", "{dir}/" + file};
}
Args run(const std::string& file = "s.h5") {
  return {"run", "--model", "{model}", "--session", "{dir}/" + file, "--out", "{dir}/o.h5"};
}
Args check(const std::string& file = "s.h5") {
  return {"check", "{model}", "--session", "{dir}/" + file};
}
Args calibExport(const std::string& file = "s.h5") {
  return {"calib-export",  "--model", "{model}",        "--session",
          "{dir}/" + file, "--out",   "{dir}/calib.npy"};
}
Args parity(const std::string& file = "s.h5") {
  return {"parity", "--model", "{model}", "--session", "{dir}/" + file,    "--a",
          "cpu",    "--b",     "cpu",     "--report",  "{dir}/parity.json"};
}
Args import(const std::string& file, Args extra = {}) {
  Args args{"import", "{dir}/" + file, "--out", "{dir}/imported.h5"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

auto session(SessionCraft craft) {
  return [craft](const fs::path& dir) { craftSession(dir / "s.h5", craft); };
}
SessionCraft claimsBillionRows() {
  SessionCraft c;
  c.rows = 1'000'000'000;
  c.chunkRows = 65536;
  c.writeSamples = false;
  return c;
}
SessionCraft hugeChunks() {
  SessionCraft c;
  c.rows = 50'000'000;
  c.chunkRows = 50'000'000;  // one 1.8 GB chunk
  c.writeSamples = false;
  return c;
}
SessionCraft shortChunk(hsize_t index = 1, Filters filters = Filters::ShuffleDeflate) {
  SessionCraft c;
  c.rows = 4000;
  c.chunkRows = 1000;
  c.filters = filters;
  c.shortChunk = index;
  return c;
}
SessionCraft manyLabels() {
  SessionCraft c;
  c.labelIntervals = 200'000'000;
  c.writeLabels = false;
  return c;
}
SessionCraft deepMetadata() {
  SessionCraft c;
  c.metadata = std::string(100000, '[') + std::string(100000, ']');
  return c;
}

const std::string kImu = "s.h5:/devices/collar/imu";

std::vector<Case> sessionCases() {
  std::vector<Case> cases;
  auto add = [&](std::string name, std::function<void(const fs::path&)> make, Args args,
                 std::vector<std::string> mentions, int exit = 2) {
    cases.push_back({std::move(name), std::move(make), std::move(args), exit, std::move(mentions)});
  };
  // Declared sizes that the file cannot hold.
  add("info_claims_1e9_rows", session(claimsBillionRows()), info(), {kImu, "1000000000"});
  add("run_claims_1e9_rows", session(claimsBillionRows()), run(), {kImu, "1000000000"});
  add("calib_export_claims_1e9_rows", session(claimsBillionRows()), calibExport(), {kImu});
  add("parity_claims_1e9_rows", session(claimsBillionRows()), parity(), {kImu});
  add("info_huge_chunks", session(hugeChunks()), info(), {kImu, "chunk"});
  add("run_huge_chunks", session(hugeChunks()), run(), {kImu, "chunk"});
  add("calib_export_huge_chunks", session(hugeChunks()), calibExport(), {kImu, "chunk"});
  {
    SessionCraft c;
    c.writeSamples = false;  // rows declared, no chunk stored
    add("info_declared_rows_without_data", session(c), info(), {kImu});
  }
  // A chunk whose zlib stream is valid but inflates to half the chunk.
  add("info_short_inflating_chunk", session(shortChunk()), info(), {kImu, "chunk"});
  add("run_short_inflating_chunk", session(shortChunk()), run(), {kImu, "chunk"});
  add("check_short_inflating_chunk", session(shortChunk()), check(), {kImu, "chunk"});
  add("calib_export_short_inflating_chunk", session(shortChunk()), calibExport(), {kImu, "chunk"});
  add("parity_short_inflating_chunk", session(shortChunk()), parity(), {kImu, "chunk"});
  add("run_short_inflating_last_chunk", session(shortChunk(3)), run(), {kImu, "chunk"});
  add("info_short_inflating_deflate_only", session(shortChunk(2, Filters::Deflate)), info(),
      {kImu, "chunk"});
  {
    SessionCraft c;
    c.rows = 4000;
    c.chunkRows = 1000;
    c.explicitTime = true;
    c.shortTimeChunk = 1;
    add("info_short_inflating_time_chunk", session(c), info(), {"s.h5:/time", "chunk"});
  }
  // Label datasets claiming 2e8 intervals.
  add("info_2e8_label_intervals", session(manyLabels()), info(), {"s.h5:/labels", "200000000"});
  add("run_2e8_label_intervals", session(manyLabels()), run(), {"s.h5:/labels", "200000000"});
  // Metadata nested 100000 deep.
  add("info_json_deep_metadata", session(deepMetadata()), infoJson(), {"s.h5", "metadata", "64"});
  add("run_deep_metadata", session(deepMetadata()), run(), {"s.h5", "metadata", "64"});
  add("calib_export_deep_metadata", session(deepMetadata()), calibExport(), {"s.h5", "metadata"});
  // A NaN is a validation finding (exit 1), not a refusal; info names it.
  {
    SessionCraft c;
    c.nanSample = true;
    add("info_nan_sample_is_a_finding", session(c), info(), {"non_finite", "collar"}, 1);
  }
  // Wrong dtypes and missing datasets.
  {
    SessionCraft c;
    c.explicitTime = true;
    c.integerTime = true;
    add("run_integer_time", session(c), run(), {"s.h5:/time", "int64", "float64"});
  }
  {
    SessionCraft c;
    c.sampleRateAsString = true;
    add("calib_export_sample_rate_string", session(c), calibExport(), {"s.h5:/", "sample_rate_hz"});
  }
  {
    SessionCraft c;
    c.integerSamples = true;
    add("info_integer_samples", session(c), info(), {kImu, "int32", "float32"});
  }
  add("info_label_times_are_strings",
      [](const fs::path& dir) {
        craftSession(dir / "s.h5");
        replaceWithStrings(dir / "s.h5", "/labels/start_s");
      },
      info(), {"s.h5:/labels/start_s", "string"});
  add("run_missing_imu",
      [](const fs::path& dir) {
        craftSession(dir / "s.h5");
        unlinkObject(dir / "s.h5", "/devices/harness/imu");
      },
      run(), {"s.h5:/devices/harness/imu", "missing"});
  add("info_missing_label_classes",
      [](const fs::path& dir) {
        craftSession(dir / "s.h5");
        unlinkObject(dir / "s.h5", "/labels/classes");
      },
      info(), {"s.h5:/labels/classes", "missing"});
  // Not a whole file, or not a file at all.
  add("info_truncated_file",
      [](const fs::path& dir) {
        SessionCraft c;
        c.rows = 50000;
        craftSession(dir / "s.h5", c);
        truncateFile(dir / "s.h5", 0.5);
      },
      info(), {"s.h5"});
  add("calib_export_truncated_file",
      [](const fs::path& dir) {
        SessionCraft c;
        c.rows = 50000;
        craftSession(dir / "s.h5", c);
        truncateFile(dir / "s.h5", 0.5);
      },
      calibExport(), {"s.h5"});
  add("info_zero_length_file", [](const fs::path& dir) { writeText(dir / "s.h5", ""); }, info(),
      {"s.h5", "not an HDF5 file"});
  add("info_fifo", [](const fs::path& dir) { ::mkfifo((dir / "s.h5").c_str(), 0600); }, info(),
      {"s.h5", "not a regular file"});
  add("run_fifo", [](const fs::path& dir) { ::mkfifo((dir / "s.h5").c_str(), 0600); }, run(),
      {"s.h5", "not a regular file"});
  add("run_dev_zero", nullptr,
      {"run", "--model", "{model}", "--session", "/dev/zero", "--out", "{dir}/o.h5"},
      {"/dev/zero", "not a regular file"});
  add("info_directory", [](const fs::path& dir) { fs::create_directory(dir / "s.h5"); }, info(),
      {"s.h5", "folder"});
  add("info_json_non_utf8_name_truncated",
      [](const fs::path& dir) {
        craftSession(dir / "s\xff\xfe.h5");
        truncateFile(dir / "s\xff\xfe.h5", 0.3);
      },
      infoJson("s\xff\xfe.h5"), {"s\xff\xfe.h5"});
  add("check_non_utf8_name_missing", nullptr, check("gone\xff.h5"), {"gone\xff.h5"});

  // CSV recordings.
  add("import_csv_huge_line",
      [](const fs::path& dir) {
        writeText(dir / "r.csv", restingCsv(10) + std::string(3 << 20, '7') + "\n");
      },
      import("r.csv"), {"r.csv:12", "line"});
  add("import_csv_not_a_number",
      [](const fs::path& dir) {
        auto text = restingCsv(5);
        text.replace(text.find("\n0.02,") + 1, 4, "0.0x");
        writeText(dir / "r.csv", text);
      },
      import("r.csv"), {"r.csv:4", "column 'time_s'", "'0.0x'"});
  add("import_csv_integer_overflow",
      [](const fs::path& dir) {
        writeText(dir / "r.csv", restingCsv(5) +
                                     "99999999999999999999999999,1e999999,0,0,0,0,0,"
                                     "0,0,0\n");
      },
      import("r.csv"), {"r.csv:7", "column 'ax'", "1e999999"});
  add("import_csv_nul_bytes",
      [](const fs::path& dir) {
        auto text = restingCsv(5);
        text[text.find("\n0.03,") + 3] = '\0';
        writeText(dir / "r.csv", text);
      },
      import("r.csv"), {"r.csv:5", "column 'time_s'"});
  add("import_csv_missing_columns",
      [](const fs::path& dir) { writeText(dir / "r.csv", "time_s,ax,ay,az\n0,1,2,3\n"); },
      import("r.csv"), {"r.csv:1", "missing", "gx"});
  add("import_csv_header_only",
      [](const fs::path& dir) { writeText(dir / "r.csv", restingCsv(0)); }, import("r.csv"),
      {"r.csv", "no data rows"});
  add("import_csv_empty", [](const fs::path& dir) { writeText(dir / "r.csv", ""); },
      import("r.csv"), {"r.csv", "empty"});
  add("import_csv_fifo", [](const fs::path& dir) { ::mkfifo((dir / "r.csv").c_str(), 0600); },
      import("r.csv"), {"r.csv", "not a regular file"});
  add("import_csv_directory", [](const fs::path& dir) { fs::create_directory(dir / "r.csv"); },
      import("r.csv"), {"r.csv", "folder"});

  // Label CSVs.
  auto withLabels = [](std::string labels) {
    return [labels](const fs::path& dir) {
      writeText(dir / "r.csv", restingCsv(200));
      writeText(dir / "l.csv", labels);
    };
  };
  add("import_labels_not_a_number", withLabels("start,end,label\n0,1,sit\n1,2x,stand\n"),
      import("r.csv", {"--labels", "{dir}/l.csv"}), {"l.csv:3", "end", "'2x'"});
  add("import_labels_huge_line",
      withLabels("start,end,label\n0,1,sit\n1,2," + std::string(2 << 20, 'a') + "\n"),
      import("r.csv", {"--labels", "{dir}/l.csv"}), {"l.csv:3", "line"});
  add("import_labels_end_before_start", withLabels("start,end,label\n0,1,sit\n5,2,stand\n"),
      import("r.csv", {"--labels", "{dir}/l.csv"}), {"l.csv:3", "not after start"});
  add("import_labels_no_header", withLabels("0,1,sit\n"),
      import("r.csv", {"--labels", "{dir}/l.csv"}), {"l.csv:1", "header"});
  add("import_labels_fifo",
      [](const fs::path& dir) {
        writeText(dir / "r.csv", restingCsv(200));
        ::mkfifo((dir / "l.csv").c_str(), 0600);
      },
      import("r.csv", {"--labels", "{dir}/l.csv"}), {"l.csv", "not a regular file"});
  add("import_labels_dev_zero",
      [](const fs::path& dir) { writeText(dir / "r.csv", restingCsv(200)); },
      import("r.csv", {"--labels", "/dev/zero"}), {"/dev/zero", "not a regular file"});

  // Sidecar JSON windows.
  add("import_json_deep",
      [](const fs::path& dir) {
        writeText(dir / "w.json",
                  "{\"x\": " + std::string(100000, '[') + std::string(100000, ']') + "}");
      },
      import("w.json"), {"w.json", "deeper than 64"});
  add("import_json_string_in_row",
      [](const fs::path& dir) {
        writeText(dir / "w.json", "{\"x\": [[1,2,3,4,5,6,7,8,9],[1,2,\"three\",4,5,6,7,8,9]]}");
      },
      import("w.json"), {"w.json", "/x/1/2"});
  add("import_json_short_row",
      [](const fs::path& dir) { writeText(dir / "w.json", "{\"x\": [[1,2,3]]}"); },
      import("w.json"), {"w.json", "/x/0"});
  add("import_json_cut_short",
      [](const fs::path& dir) { writeText(dir / "w.json", "{\"x\": [[1,2,3,4,5,"); },
      import("w.json"), {"w.json", "byte"});
  add("import_json_fifo", [](const fs::path& dir) { ::mkfifo((dir / "w.json").c_str(), 0600); },
      import("w.json"), {"w.json", "not a regular file"});
  add("check_json_window_deep",
      [](const fs::path& dir) {
        writeText(dir / "w.json",
                  "{\"x\": " + std::string(100000, '[') + std::string(100000, ']') + "}");
      },
      check("w.json"), {"w.json", "deeper than 64"});
  return cases;
}

class SessionBadInput : public ::testing::TestWithParam<Case> {};

TEST_P(SessionBadInput, IsRefusedClearlyWithinBounds) {
  expectRejected(GetParam());
}

INSTANTIATE_TEST_SUITE_P(Hostile, SessionBadInput, ::testing::ValuesIn(sessionCases()), caseName);

// Not refusals, but the same hostile shapes of input handled rather than refused.
TEST(SessionOddInput, InfoJsonOnANonUtf8FileNameIsValidJson) {
  test::TempDir dir;
  const auto path = dir / "rex\xff\xfe.h5";
  craftSession(path);
  const Outcome outcome = runImuwb({"info", "--json", path.string()});
  ASSERT_EQ(outcome.signal, 0) << outcome.errors;
  ASSERT_EQ(outcome.exitCode, 0) << outcome.errors;
  const auto document = nlohmann::json::parse(outcome.output);
  EXPECT_NE(document.at("file").get<std::string>().find("rex\xEF\xBF\xBD\xEF\xBF\xBD.h5"),
            std::string::npos);
  EXPECT_EQ(document.at("sample_count"), 2000);
  EXPECT_LT(outcome.maxRssKiB, kMaxRssKiB);
}

// File names that are not UTF-8 go through every command that writes JSON (reports, the
// calibration manifest, outputs provenance): replaced bytes, never a json.exception.
TEST(SessionOddInput, NonUtf8NamesFlowThroughCommandsThatWriteJson) {
  test::TempDir dir;
  const std::string odd = "\xff\xfe";
  const auto session = dir / ("s" + odd + ".h5");
  craftSession(session);
  const std::string model = sampleModelDir().string();
  const std::vector<std::vector<std::string>> commands = {
      {"run", "--model", model, "--session", session.string(), "--out",
       (dir / ("o" + odd + ".h5")).string()},
      {"calib-export", "--model", model, "--session", session.string(), "--out",
       (dir / ("c" + odd + ".npy")).string(), "--force"},
      {"parity", "--model", model, "--session", session.string(), "--a", "cpu", "--b", "cpu",
       "--report", (dir / ("r" + odd + ".json")).string(), "--no-layers"},
      {"check", model, "--session", session.string(), "--json"}};
  for (const auto& args : commands) {
    const Outcome outcome = runImuwb(args);
    EXPECT_EQ(outcome.signal, 0) << args[0] << ": " << outcome.errors;
    EXPECT_EQ(outcome.exitCode, 0) << args[0] << ": " << outcome.errors;
    EXPECT_EQ(outcome.errors.find("json.exception"), std::string::npos) << outcome.errors;
    EXPECT_LT(outcome.maxRssKiB, kMaxRssKiB) << args[0];
  }
  EXPECT_TRUE(fs::exists(dir / ("o" + odd + ".h5")));
  EXPECT_TRUE(fs::exists(dir / ("c" + odd + ".npy.json")));
  std::ifstream reportFile(dir / ("r" + odd + ".json"));
  EXPECT_TRUE(nlohmann::json::parse(reportFile).is_object());
}

TEST(SessionOddInput, CrOnlyCsvImportsAndMixedUnitsAreWarned) {
  test::TempDir dir;
  writeText(dir / "cr.csv", restingCsv(1000, "\r"));
  Outcome outcome =
      runImuwb({"import", (dir / "cr.csv").string(), "--out", (dir / "cr.h5").string()});
  ASSERT_EQ(outcome.exitCode, 0) << outcome.errors;
  outcome = runImuwb({"info", "--json", "--no-validate", (dir / "cr.h5").string()});
  ASSERT_EQ(outcome.exitCode, 0) << outcome.errors;
  EXPECT_EQ(nlohmann::json::parse(outcome.output).at("sample_count"), 1000);
  // The first half in g, the second in m/s^2: imported (units are decided once) but warned.
  const std::string inG = restingCsv(3000, "\n", 1 / 9.80665);
  const std::string inSi = restingCsv(6000);
  writeText(dir / "mixed.csv", inG + inSi.substr(inSi.find("\n30.00,") + 1));
  outcome =
      runImuwb({"import", (dir / "mixed.csv").string(), "--out", (dir / "mixed.h5").string()});
  EXPECT_LT(outcome.maxRssKiB, kMaxRssKiB);
  EXPECT_NE(outcome.errors.find("units probably change mid-file"), std::string::npos)
      << outcome.errors;
}

}  // namespace
}  // namespace imuwb::badinput

#include "batch/ResultFiles.hpp"

#include <fstream>
#include <iterator>

#include "common/AtomicFile.hpp"
#include "common/BuildInfo.hpp"
#include "eval/FitDataFile.hpp"

namespace imuwb::batch {

namespace fs = std::filesystem;
using nlohmann::json;

json RecordingIdentity::toJson() const {
  return {{"kind", kind},
          {"imuwb_version", build_info::kVersion},
          {"model_sha256", modelSha256},
          {"session_sha256", sessionSha256},
          {"options", options}};
}

fs::path resultPath(const fs::path& outDir, const std::string& key, const std::string& kind) {
  return outDir / (key + "." + kind + ".json");
}

fs::path artefactBase(const fs::path& outDir, const std::string& key) {
  return outDir / key;
}

std::optional<json> readResult(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  // Read whole, then parse: several times faster than parsing from the stream (report merge
  // reads thousands of these).
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  try {
    auto j = json::parse(text);
    if (!j.is_object() || j.value("format", "") != kResultFormat) return std::nullopt;
    return j;
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

fs::path fitDataOf(const fs::path& resultPath, const json& record) {
  const auto& result = record.at("result");
  if (!result.contains("fit"))
    throw Error(resultPath.string(), "names no evaluation fit data (an older imuwb wrote it)",
                "re-run its shard with --resume");
  return resultPath.parent_path() / result["fit"].at("file").get<std::string>();
}

bool resultIsCurrent(const fs::path& path, const RecordingIdentity& identity) {
  const auto record = readResult(path);
  if (!record || record->value("status", "") != "ok" ||
      record->value("identity", json()) != identity.toJson())
    return false;
  if (identity.kind != "evaluate") return true;
  try {  // an evaluate result is current only with its fit data intact
    eval::FitDataDigest digest;
    eval::readFitData(fitDataOf(path, *record), &digest);
    return digest.sha256 == record->at("result").at("fit").at("sha256").get<std::string>();
  } catch (const Error&) {
    return false;
  } catch (const json::exception&) {
    return false;
  }
}

namespace {

void writeRecord(const fs::path& path, json record) {
  fs::create_directories(path.parent_path());
  writeTextAtomically(path, record.dump() + "\n", "batch result");
}

json header(const std::string& key, const fs::path& session, const RecordingIdentity& identity,
            const std::string& status, double seconds) {
  return {{"format", kResultFormat},     {"version", 1},     {"key", key},
          {"session", session.string()}, {"status", status}, {"identity", identity.toJson()},
          {"seconds", seconds}};
}

}  // namespace

void writeOkResult(const fs::path& path, const std::string& key, const fs::path& session,
                   const RecordingIdentity& identity, const json& result, double seconds) {
  auto record = header(key, session, identity, "ok", seconds);
  record["result"] = result;
  writeRecord(path, std::move(record));
}

void writeFailedResult(const fs::path& path, const std::string& key, const fs::path& session,
                       const RecordingIdentity& identity, const Error& error, double seconds) {
  auto record = header(key, session, identity, "failed", seconds);
  record["error"] = {{"where", error.where()}, {"problem", error.problem()}, {"fix", error.fix()}};
  writeRecord(path, std::move(record));
}

}  // namespace imuwb::batch

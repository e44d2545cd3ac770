#include "common/SafeRead.hpp"

#include <fstream>
#include <iterator>
#include <system_error>

#include "common/Error.hpp"

namespace imuwb {
namespace fs = std::filesystem;

namespace {
std::string raiseHint(const limits::Limit& limit) {
  std::string variable = "IMUWB_LIMIT_";
  for (char c : limit.name) variable += static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  return "if the file is genuine, raise the limit with " + variable + "=N";
}
}  // namespace

void requireRegularFile(const fs::path& path, std::string_view what) {
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status))
    throw Error(path.string(), "the " + std::string(what) + " file does not exist",
                "check the path");
  if (fs::is_directory(status))
    throw Error(path.string(), "is a folder, not a " + std::string(what) + " file",
                "name the file inside it");
  if (!fs::is_regular_file(status))
    throw Error(path.string(),
                "is not a regular file (a pipe, device or socket), so it cannot be read as a " +
                    std::string(what),
                "save the data to a regular file first and pass that file");
}

std::string readFileBounded(const fs::path& path, std::string_view what,
                            const limits::Limit& limit) {
  requireRegularFile(path, what);
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) throw Error(path.string(), "cannot read its size: " + ec.message(), "check permissions");
  const auto maxBytes = limits::value(limit);
  if (size > maxBytes)
    throw Error(path.string(),
                "the " + std::string(what) + " file is " + std::to_string(size) +
                    " bytes, over the limit of " + std::to_string(maxBytes),
                raiseHint(limit));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string(), "cannot open the " + std::string(what), "check permissions");
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  if (static_cast<std::uintmax_t>(in.gcount()) != size)
    throw Error(path.string(), "the file changed size while it was read", "read it again");
  return text;
}

nlohmann::json parseJsonBounded(std::string_view text, const std::string& where) {
  const auto maxBytes = limits::value(limits::kJsonBytes);
  if (text.size() > maxBytes)
    throw Error(where,
                "JSON text of " + std::to_string(text.size()) + " bytes is over the limit of " +
                    std::to_string(maxBytes),
                raiseHint(limits::kJsonBytes));
  const auto maxDepth = limits::value(limits::kJsonDepth);
  bool tooDeep = false;
  // The callback sees the depth of every value as it is parsed; stopping at the first one too
  // deep means no deep structure is ever built, so nothing downstream can recurse into it.
  auto guard = [&](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
    if (static_cast<std::uint64_t>(depth) > maxDepth) {
      tooDeep = true;
      throw std::length_error("depth");
    }
    return true;
  };
  try {
    return nlohmann::json::parse(text.begin(), text.end(), guard);
  } catch (const nlohmann::json::parse_error& error) {
    // nlohmann's text starts "[json.exception.parse_error.101] parse error at ...": keep the
    // plain part for users.
    std::string detail = error.what();
    if (const auto bracket = detail.find("] ");
        detail.rfind("[json.exception", 0) == 0 && bracket != std::string::npos)
      detail.erase(0, bracket + 2);
    throw Error(where + ": byte " + std::to_string(error.byte), "not valid JSON: " + detail,
                "fix the JSON syntax");
  } catch (const nlohmann::json::out_of_range& error) {
    // 406: a number such as 1e400 that no double holds (found by fuzz_json_window).
    std::string detail = error.what();
    if (const auto bracket = detail.find("] "); bracket != std::string::npos)
      detail.erase(0, bracket + 2);
    throw Error(where, "a value is out of range: " + detail,
                "write numbers a 64-bit float can hold (|x| < 1.8e308)");
  } catch (const std::length_error&) {
    if (!tooDeep) throw;
    throw Error(where, "JSON nested deeper than " + std::to_string(maxDepth) + " levels",
                "flatten the document; " + raiseHint(limits::kJsonDepth));
  }
}

nlohmann::json loadJsonFile(const fs::path& path, std::string_view what) {
  return parseJsonBounded(readFileBounded(path, what, limits::kJsonBytes), path.string());
}

std::uint64_t checkedProduct(std::uint64_t a, std::uint64_t b, const std::string& where,
                             std::string_view field, std::uint64_t limit) {
  std::uint64_t product = 0;
  if (__builtin_mul_overflow(a, b, &product) || product > limit)
    throw Error(where,
                std::string(field) + " claims " + std::to_string(a) + " x " + std::to_string(b) +
                    (product > limit && product != 0 ? " = " + std::to_string(product) : "") +
                    " elements, over the limit of " + std::to_string(limit),
                "the file is corrupt or hostile; if it is genuine, raise the limit");
  return product;
}

}  // namespace imuwb

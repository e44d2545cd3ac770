#include "common/Error.hpp"

namespace imuwb {
namespace {
std::string compose(const std::string& where, const std::string& problem, const std::string& fix) {
  std::string text = where.empty() ? problem : where + ": " + problem;
  if (!fix.empty()) text += "\n  fix: " + fix;
  return text;
}
}  // namespace

Error::Error(std::string where, std::string problem, std::string fix)
    : std::runtime_error(compose(where, problem, fix)),
      where_(std::move(where)),
      problem_(std::move(problem)),
      fix_(std::move(fix)) {}

}  // namespace imuwb

#include "common/InputLimits.hpp"

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <string>

#include "common/Error.hpp"

namespace imuwb::limits {

std::uint64_t value(const Limit& limit) {
  std::string variable = "IMUWB_LIMIT_";
  for (char c : limit.name)
    variable += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const char* text = std::getenv(variable.c_str());
  if (text == nullptr || *text == '\0') return limit.defaultValue;
  std::uint64_t parsed = 0;
  const std::string_view view(text);
  auto [end, ec] = std::from_chars(view.data(), view.data() + view.size(), parsed);
  if (ec != std::errc() || end != view.data() + view.size() || parsed == 0)
    throw Error(variable, "'" + std::string(view) + "' is not a positive whole number",
                "unset it to use the default limit of " + std::to_string(limit.defaultValue));
  return parsed;
}

}  // namespace imuwb::limits

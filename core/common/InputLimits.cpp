#include "common/InputLimits.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <string>

#include "common/Error.hpp"

namespace imuwb::limits {

std::uint64_t value(const Limit& limit) {
  // Built on the stack: the engine asks on every shape it sizes, and runInto must not allocate.
  constexpr std::string_view prefix = "IMUWB_LIMIT_";
  std::array<char, 96> variable{};
  const std::size_t length = std::min(limit.name.size(), variable.size() - prefix.size() - 1);
  std::copy(prefix.begin(), prefix.end(), variable.begin());
  for (std::size_t i = 0; i < length; ++i)
    variable[prefix.size() + i] =
        static_cast<char>(std::toupper(static_cast<unsigned char>(limit.name[i])));
  const char* text = std::getenv(variable.data());
  if (text == nullptr || *text == '\0') return limit.defaultValue;
  std::uint64_t parsed = 0;
  const std::string_view view(text);
  auto [end, ec] = std::from_chars(view.data(), view.data() + view.size(), parsed);
  if (ec != std::errc() || end != view.data() + view.size() || parsed == 0)
    throw Error(std::string(variable.data()),
                "'" + std::string(view) + "' is not a positive whole number",
                "unset it to use the default limit of " + std::to_string(limit.defaultValue));
  return parsed;
}

}  // namespace imuwb::limits

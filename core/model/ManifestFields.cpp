// Typed manifest field reads: each names the file and the field when the value is missing, of
// the wrong type, not finite or out of its bounds.
#include <cmath>
#include <cstdio>

#include "common/InputLimits.hpp"
#include "model/ManifestParsing.hpp"

namespace imuwb::manifest_parsing {

// Users get the file and the field from us, the library's words only as detail.
std::string plainJsonMessage(const nlohmann::json::exception& error) {
  std::string text = error.what();
  if (!text.empty() && text.front() == '[') {
    const auto end = text.find("] ");
    if (end != std::string::npos) text.erase(0, end + 2);
  }
  return text;
}

std::string numberText(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

std::string typeName(const nlohmann::json& value) {
  return value.type_name();
}

const nlohmann::json& require(const Context& context, const nlohmann::json& object,
                              const std::string& key, const std::string& path) {
  if (!object.is_object())
    throw context.fail(path, "expected an object, found " + typeName(object));
  auto found = object.find(key);
  if (found == object.end() || found->is_null())
    throw context.fail(path + "." + key, "required field is missing");
  return *found;
}

std::string requireString(const Context& context, const nlohmann::json& object,
                          const std::string& key, const std::string& path) {
  const auto& value = require(context, object, key, path);
  if (!value.is_string())
    throw context.fail(path + "." + key, "expected a string, found " + typeName(value));
  return value.get<std::string>();
}

std::string optionalString(const Context& context, const nlohmann::json& object,
                           const std::string& key, const std::string& path, std::string fallback) {
  auto found = object.find(key);
  if (found == object.end() || found->is_null()) return fallback;
  if (found->is_string()) return found->get<std::string>();
  if (found->is_number()) return found->dump();
  throw context.fail(path + "." + key, "expected a string, found " + typeName(*found));
}

double numberAt(const Context& context, const nlohmann::json& value, const std::string& path) {
  if (!value.is_number()) {
    // JSON has no NaN; exporters write "NaN" or null. Name it plainly.
    if (value.is_null() || (value.is_string() && (value == "NaN" || value == "nan")))
      throw context.fail(path, "value is NaN/null", "write the finite value from training");
    throw context.fail(path, "expected a number, found " + typeName(value));
  }
  const double number = value.get<double>();
  if (!std::isfinite(number))
    throw context.fail(path, "value is not finite", "write the finite value from training");
  return number;
}

double optionalNumber(const Context& context, const nlohmann::json& object, const std::string& key,
                      const std::string& path, double fallback) {
  auto found = object.find(key);
  if (found == object.end() || found->is_null()) return fallback;
  return numberAt(context, *found, path + "." + key);
}

std::vector<double> numberArray(const Context& context, const nlohmann::json& value,
                                const std::string& path, std::size_t expectedSize) {
  if (!value.is_array()) throw context.fail(path, "expected an array, found " + typeName(value));
  if (expectedSize && value.size() != expectedSize)
    throw context.fail(path, "has " + std::to_string(value.size()) + " values, expected " +
                                 std::to_string(expectedSize) + " (one per channel)");
  std::vector<double> numbers;
  for (std::size_t i = 0; i < value.size(); ++i)
    numbers.push_back(numberAt(context, value[i], path + "[" + std::to_string(i) + "]"));
  return numbers;
}

std::vector<std::string> stringArray(const Context& context, const nlohmann::json& value,
                                     const std::string& path) {
  if (!value.is_array()) throw context.fail(path, "expected an array, found " + typeName(value));
  std::vector<std::string> strings;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (!value[i].is_string())
      throw context.fail(path + "[" + std::to_string(i) + "]",
                         "expected a string, found " + typeName(value[i]));
    strings.push_back(value[i].get<std::string>());
  }
  return strings;
}

std::vector<std::int64_t> shapeArray(const Context& context, const nlohmann::json& value,
                                     const std::string& path) {
  std::vector<std::int64_t> shape;
  const auto limit = limits::value(limits::kTensorElements);
  std::uint64_t extent = 1;
  for (double dim : numberArray(context, value, path, 0)) {
    if (dim != std::floor(dim) || dim < 1)
      throw context.fail(path, "dimensions must be positive integers (static shapes)");
    // Compared as doubles first: a cast of 1e30 to an integer is undefined.
    if (dim > static_cast<double>(limit) ||
        __builtin_mul_overflow(extent, static_cast<std::uint64_t>(dim), &extent) || extent > limit)
      throw context.fail(path,
                         "the shape claims more than the tensor_elements limit of " +
                             std::to_string(limit) + " values",
                         "write the model's real (static) shape");
    shape.push_back(static_cast<std::int64_t>(dim));
  }
  if (shape.empty())
    throw context.fail(path, "the shape is empty", "write the full static shape, e.g. [1,64]");
  return shape;
}

}  // namespace imuwb::manifest_parsing

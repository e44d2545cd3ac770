#pragma once
// The one check every --threads flag runs at parse time: a whole number from 0 (all cores) to
// the `threads` limit, so `--threads 100000` is a usage error before any thread starts.
#include <CLI/CLI.hpp>
#include <string>

#include "common/Error.hpp"
#include "engine/ThreadPool.hpp"

namespace imuwb::cli {

inline CLI::Validator threadCountCheck() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        long long value = 0;
        std::size_t used = 0;
        try {
          value = std::stoll(text, &used);
        } catch (const std::exception&) {
          used = 0;
        }
        if (used == 0 || used != text.size())
          return "error: '" + text + "' is not a whole number of threads";
        try {
          engine::validateThreadCount(value, "--threads");
        } catch (const Error& error) {
          // CLI11 prints "--threads: <this>"; the "error:" matches every other imuwb refusal.
          return "error: " + error.problem() + "; " + error.fix();
        }
        return {};
      },
      "THREADS", "thread count");
}

}  // namespace imuwb::cli

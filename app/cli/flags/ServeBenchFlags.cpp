#include "CliSupport.hpp"
#include "common/Error.hpp"
#include "flags/JobFlags.hpp"

namespace imuwb::cli {

std::map<std::string, std::string> parseBackendSettings(const std::vector<std::string>& settings,
                                                        const std::string& flag) {
  std::map<std::string, std::string> parsed;
  for (const auto& setting : settings) {
    const auto equals = setting.find('=');
    if (equals == std::string::npos || equals == 0)
      throw Error(flag + " " + setting, "expected KEY=VALUE",
                  "e.g. " + flag + " url=http://127.0.0.1:9000/infer");
    parsed[setting.substr(0, equals)] = setting.substr(equals + 1);
  }
  return parsed;
}

void addServeFlags(CLI::App& command, ServeFlags& flags) {
  auto& o = flags.options;
  addModelFlag(command, flags.model);
  command.add_option("--backend", o.backend, "Backend that runs the windows: cpu, int8, hailort")
      ->capture_default_str();
  command.add_option("--backend-option", flags.backendOptions,
                     "KEY=VALUE setting for the backend (repeatable)");
  command.add_option("--host", o.host, "Address to bind (loopback unless told otherwise)")
      ->capture_default_str();
  command.add_option("--port", o.port, "Port to bind (0 = a free port, printed)")
      ->capture_default_str();
  command.add_option("--max-body", o.maxBodyBytes, "Largest request body in bytes (413 above)")
      ->capture_default_str();
  command.add_option("--read-timeout-ms", o.readTimeout_ms, "Drop a client slower than this")
      ->capture_default_str();
  command.add_option("--max-batch", o.maxBatch, "Most windows per engine call")
      ->capture_default_str();
  addThreadsFlag(command, o.threads, "Engine threads");
}

jobs::ServeJobOptions toServeOptions(const ServeFlags& flags) {
  auto options = flags.options;
  options.backendSettings = parseBackendSettings(flags.backendOptions);
  return options;
}

void addBenchFlags(CLI::App& command, BenchFlags& flags) {
  auto& o = flags.options;
  addModelFlag(command, flags.model);
  command.add_option("--backend", o.backend, "Backend to measure: cpu, int8, edgeinfer, hailort")
      ->capture_default_str();
  command.add_option(
      "--backend-option", flags.backendOptions,
      "KEY=VALUE setting for the backend (repeatable), e.g. url=http://pi:9000/infer");
  command.add_option("--windows", o.windows, "Windows to run")->capture_default_str();
  command
      .add_option("--concurrency", o.concurrency,
                  "Windows per backend call (edgeinfer: requests in flight)")
      ->capture_default_str();
  addThreadsFlag(command, o.threads, "Engine threads");
}

jobs::BenchJobOptions toBenchOptions(const BenchFlags& flags) {
  auto options = flags.options;
  options.backendSettings = parseBackendSettings(flags.backendOptions);
  return options;
}

}  // namespace imuwb::cli

#include "CliSupport.hpp"

#include <pthread.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>

#include "common/Error.hpp"
#include "common/LiveTemporaries.hpp"
#include "model/ModelBundle.hpp"

namespace imuwb::cli {

namespace {

// A signal the parent set to SIG_IGN (a background job of a script, nohup) stays ignored:
// blocking it for sigwait would otherwise make it count again.
sigset_t stopSignalSet() {
  sigset_t set;
  sigemptyset(&set);
  for (const int signal : {SIGINT, SIGTERM}) {
    struct sigaction current {};
    if (sigaction(signal, nullptr, &current) == 0 && current.sa_handler == SIG_IGN) continue;
    sigaddset(&set, signal);
  }
  return set;
}

std::string describeSignal(int signal) {
  if (signal == SIGINT) return "Ctrl-C (SIGINT)";
  if (signal == SIGTERM) return "SIGTERM";
  return "a stop request";
}

}  // namespace

StopSignals::StopSignals() : stopOn_(stopSignalSet()), waitedOn_(stopOn_) {
  sigaddset(&waitedOn_, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &waitedOn_, nullptr);
  waiter_ = std::thread([this] { waitForSignals(); });
}

StopSignals::~StopSignals() {
  closing_.store(true);
  // Aimed at the waiter thread only (it has the signal blocked, so sigwait takes it there);
  // closing_ tells it this is the wake-up to return, not a user's signal.
  pthread_kill(waiter_.native_handle(), SIGTERM);
  waiter_.join();
}

void StopSignals::waitForSignals() {
  for (;;) {
    int signal = 0;
    if (sigwait(&waitedOn_, &signal) != 0) continue;
    if (closing_.load()) return;
    if (!sigismember(&stopOn_, signal)) continue;  // ignored by the parent: stays ignored
    int none = 0;
    if (signal_.compare_exchange_strong(none, signal)) {
      source_.request_stop();  // the job throws Cancelled at its next check
      if (::isatty(STDERR_FILENO)) {
        constexpr char kNotice[] = "\nimuwb: stopping... (press Ctrl-C again to quit at once)\n";
        [[maybe_unused]] auto written = ::write(STDERR_FILENO, kNotice, sizeof kNotice - 1);
      }
      continue;
    }
    // Second signal while stopping: the user wants out now. No unwinding, but the temporary
    // files being written are unlinked on the way out (only atomics and unlink(2), so this
    // stays safe even while other threads are mid-write).
    const int removed = unlinkLiveTemporaries();
    char notice[128] = "\nimuwb: second interrupt, quitting at once; temporary files removed: ";
    std::size_t length = std::strlen(notice);
    char digits[12];
    int count = 0;
    for (int value = removed; count == 0 || value > 0; value /= 10)
      digits[count++] = char('0' + value % 10);
    while (count > 0) notice[length++] = digits[--count];
    notice[length++] = '\n';
    [[maybe_unused]] auto written = ::write(STDERR_FILENO, notice, length);
    ::_exit(128 + signal);
  }
}

void runGuarded(CliState& state, const std::function<int()>& body) {
  try {
    state.exitCode = body();
  } catch (const Error& error) {
    if (state.json) {
      printJson({{"error",
                  {{"where", error.where()}, {"problem", error.problem()}, {"fix", error.fix()}}}});
    }
    std::cerr << "error: " << error.what() << "\n";
    state.exitCode = kUsageOrIo;
  } catch (const Cancelled&) {
    const int signal = state.signals ? state.signals->signalNumber() : 0;
    const std::string message =
        "imuwb" + (state.command.empty() ? "" : " " + state.command) + ": interrupted by " +
        describeSignal(signal) + "; " +
        (state.output.empty() ? "stopped cleanly" : state.output + " was not written") +
        ", no half-written files left behind";
    if (state.json) {
      printJson({{"cancelled",
                  {{"command", state.command},
                   {"signal", signal == SIGTERM  ? "SIGTERM"
                              : signal == SIGINT ? "SIGINT"
                                                 : ""},
                   {"output", state.output},
                   {"message", message}}}});
    }
    std::cerr << message << "\n";
    state.exitCode = signal ? 128 + signal : kInterrupted;
  } catch (const nlohmann::json::exception& error) {
    // A loader or writer that let nlohmann's own text through: say what it means instead of
    // "[json.exception.type_error.316] ...". Invalid UTF-8 almost always comes from a name.
    std::string detail = error.what();
    if (const auto bracket = detail.find("] "); bracket != std::string::npos)
      detail.erase(0, bracket + 2);
    std::cerr << "error: a JSON document could not be read or written: " << detail << "\n"
              << (detail.find("UTF-8") != std::string::npos
                      ? "  fix: a file or folder name (or a name inside a file) is not valid "
                        "UTF-8; rename it\n"
                      : "");
    state.exitCode = kUsageOrIo;
  } catch (const std::exception& error) {
    std::cerr << "error: " << error.what() << "\n";
    state.exitCode = kUsageOrIo;
  }
}

void printJson(const nlohmann::json& document) {
  // Paths and names may hold bytes that are not UTF-8: replace them rather than throw.
  std::cout << document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

JobControl terminalProgress(std::string label) {
  JobControl control;
  if (!::isatty(STDERR_FILENO)) return control;
  struct BarState {
    std::string label;
    std::chrono::steady_clock::time_point lastDraw{};
    int lastPercent = -1;
  };
  auto bar = std::make_shared<BarState>();
  bar->label = std::move(label);
  control.onProgress = [bar](double fraction, std::string_view stage) {
    const int percent = static_cast<int>(fraction * 100.0 + 0.5);
    const auto now = std::chrono::steady_clock::now();
    // Redraw at most ~20 times a second, and always at 100 %.
    if (percent == bar->lastPercent && percent != 100) return;
    if (now - bar->lastDraw < std::chrono::milliseconds(50) && percent != 100) return;
    bar->lastDraw = now;
    bar->lastPercent = percent;
    constexpr int kWidth = 30;
    const int filled = percent * kWidth / 100;
    std::fprintf(stderr, "\r%s [%.*s%*s] %3d%% %.*s\x1b[K", bar->label.c_str(), filled,
                 "##############################", kWidth - filled, "", percent,
                 static_cast<int>(stage.size()), stage.data());
    if (percent >= 100) std::fprintf(stderr, "\n");
    std::fflush(stderr);
  };
  return control;
}

JobControl jobControl(const CliState& state, std::string label) {
  JobControl control = state.json ? JobControl{} : terminalProgress(std::move(label));
  if (state.signals) control.stop = state.signals->token();
  return control;
}

JobControl jobControl(CliState& state, std::string label, const std::filesystem::path& output) {
  state.output = output.string();
  return jobControl(state, std::move(label));
}

ModelBundle loadBundleAllowingBareOnnx(const std::string& model) {
  BundleLoadOptions load;
  load.allowMissingManifest = true;
  return loadModelBundle(model, load);
}

double parseDurationSeconds(const std::string& text) {
  std::size_t consumed = 0;
  double value = 0;
  try {
    value = std::stod(text, &consumed);
  } catch (const std::exception&) {
    consumed = 0;
  }
  const std::string unit = consumed ? text.substr(consumed) : "";
  double scale = -1;
  if (unit.empty() || unit == "s")
    scale = 1;
  else if (unit == "ms")
    scale = 1e-3;
  else if (unit == "m" || unit == "min")
    scale = 60;
  else if (unit == "h")
    scale = 3600;
  if (consumed == 0 || scale < 0 || !(value > 0))
    throw Error("duration '" + text + "'", "not a positive duration",
                "write a number with an optional unit: 90s, 10m, 1.5h, 24h");
  return value * scale;
}

std::vector<std::string> splitCommaList(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t begin = 0;
  while (!text.empty()) {
    const auto end = text.find(',', begin);
    parts.push_back(text.substr(begin, end == std::string::npos ? std::string::npos : end - begin));
    if (end == std::string::npos) break;
    begin = end + 1;
  }
  return parts;
}

void printFindingLines(const std::vector<Finding>& findings) {
  for (const auto& f : findings)
    std::printf("  [%s] %s%s%s\n", std::string(severityName(f.severity)).c_str(), f.message.c_str(),
                f.fix.empty() ? "" : "\n      fix: ", f.fix.c_str());
}

}  // namespace imuwb::cli

#include "support/ChildProcess.hpp"

#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <system_error>

extern char** environ;

namespace imuwb::test {

namespace fs = std::filesystem;

namespace {
std::string readFile(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
}  // namespace

ChildProcess::ChildProcess(const fs::path& program, const std::vector<std::string>& arguments) {
  std::string pattern = (fs::temp_directory_path() / "imuwb-child-XXXXXX").string();
  if (!::mkdtemp(pattern.data()))
    throw std::system_error(errno, std::generic_category(), "mkdtemp");
  logDir_ = pattern;

  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&files, STDOUT_FILENO, (logDir_ / "stdout").c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&files, STDERR_FILENO, (logDir_ / "stderr").c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGTERM);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<std::string> argv{program.string()};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  std::vector<char*> pointers;
  for (auto& argument : argv) pointers.push_back(argument.data());
  pointers.push_back(nullptr);
  started_ = std::chrono::steady_clock::now();
  const int error =
      ::posix_spawn(&pid_, argv[0].c_str(), &files, &attributes, pointers.data(), environ);
  posix_spawn_file_actions_destroy(&files);
  posix_spawnattr_destroy(&attributes);
  if (error != 0) {
    pid_ = -1;
    throw std::system_error(error, std::generic_category(), "posix_spawn " + argv[0]);
  }
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && running()) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  std::error_code ignored;
  fs::remove_all(logDir_, ignored);
}

bool ChildProcess::running() {
  if (status_) return false;
  int status = 0;
  // wait4 rather than waitpid: it also hands back the child's own peak RSS, which is what the
  // bad-input suite bounds (the test runner's memory is not the child's).
  const pid_t done = ::wait4(pid_, &status, WNOHANG, &usage_);
  if (done == pid_) {
    ended_ = std::chrono::steady_clock::now();
    status_ = status;
    return false;
  }
  return done == 0;
}

void ChildProcess::sendSignal(int signal) const {
  if (!status_) ::kill(pid_, signal);
}

std::optional<int> ChildProcess::waitForExit(std::chrono::milliseconds timeout) {
  waitUntil([this] { return !running(); }, timeout);
  return status_;
}

std::optional<long> ChildProcess::maxRssKiB() const {
  if (!status_) return std::nullopt;
  return usage_.ru_maxrss;  // Linux reports KiB
}

std::optional<std::chrono::milliseconds> ChildProcess::wallTime() const {
  if (!status_) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::milliseconds>(ended_ - started_);
}

std::string ChildProcess::output() const {
  return readFile(logDir_ / "stdout");
}
std::string ChildProcess::errors() const {
  return readFile(logDir_ / "stderr");
}

}  // namespace imuwb::test

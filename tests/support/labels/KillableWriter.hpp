#pragma once
// Starts the kill-test writer (LabelsWriter.cpp) as a child process, waits for its "ready" line,
// and SIGKILLs it after a delay: the harness of the kill-during-save tests.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace imuwb::test {

inline const char* labelsWriterPath() {
  return IMUWB_LABELS_WRITER;
}

// Runs the writer with args, waits until it printed "ready", sleeps delay, then kills it with
// SIGKILL and reaps it. Returns false when the writer died before saying ready.
inline bool runAndKill(const std::vector<std::string>& args, std::chrono::microseconds delay) {
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  std::vector<std::string> all{labelsWriterPath()};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (spawned != 0) {
    ::close(fds[0]);
    throw std::runtime_error("cannot start " + all[0]);
  }
  std::string seen;
  char c;
  while (seen.find("ready\n") == std::string::npos && ::read(fds[0], &c, 1) == 1) seen += c;
  ::close(fds[0]);
  const bool ready = seen.find("ready\n") != std::string::npos;
  if (ready) std::this_thread::sleep_for(delay);
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return ready;
}

}  // namespace imuwb::test

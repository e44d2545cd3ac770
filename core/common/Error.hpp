#pragma once
// The one error type of imuwb. Everything that can go wrong for a user (a bad file, a wrong
// shape, an unsupported op) throws imuwb::Error, which carries what went wrong, where, and how
// to fix it. Jobs and the CLI catch it at their boundary; nothing returns error codes.
#include <stdexcept>
#include <string>

namespace imuwb {

class Error : public std::runtime_error {
 public:
  // where: the file and the place in it ("s.h5:/devices/collar/imu", "model.onnx: node 'conv3'").
  // problem: what is wrong, in plain words. fix: what the user can do about it (may be empty).
  Error(std::string where, std::string problem, std::string fix = {});

  const std::string& where() const { return where_; }
  const std::string& problem() const { return problem_; }
  const std::string& fix() const { return fix_; }

 private:
  std::string where_;
  std::string problem_;
  std::string fix_;
};

// Thrown when a job sees its stop token set. Not a failure: the user asked for it.
class Cancelled : public std::runtime_error {
 public:
  Cancelled() : std::runtime_error("cancelled") {}
};

}  // namespace imuwb

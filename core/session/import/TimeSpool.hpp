#pragma once
// A long series of doubles (one timestamp per row of a text recording) kept in an anonymous
// temporary file instead of memory, so an import's memory does not grow with the recording's
// length. Appended once, then read back in order by any number of independent readers.
#include <cstddef>
#include <memory>
#include <vector>

namespace imuwb {

class TimeSpool {
 public:
  TimeSpool();  // an empty spool; its file is created by the first push

  void push(double value);
  std::size_t size() const { return size_; }
  double front() const { return front_; }  // first and last value pushed (size() > 0)
  double back() const { return back_; }

  // Reads the values in order from the first, each reader at its own position.
  class Reader {
   public:
    explicit Reader(const TimeSpool& spool);
    bool next(double& value) {
      if (pos_ == buffer_.size() && !refill()) return false;
      value = buffer_[pos_++];
      return true;
    }
    std::size_t index() const { return read_ - (buffer_.size() - pos_); }  // values taken

   private:
    bool refill();
    const TimeSpool& spool_;
    std::vector<double> buffer_;
    std::size_t pos_ = 0, read_ = 0;
  };

 private:
  void flush() const;
  struct File;
  mutable std::shared_ptr<File> file_;
  mutable std::vector<double> pending_;
  mutable std::size_t flushed_ = 0;
  std::size_t size_ = 0;
  double front_ = 0, back_ = 0;
};

}  // namespace imuwb

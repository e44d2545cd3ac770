#include "session/import/CoarseClock.hpp"

#include <algorithm>
#include <deque>

#include "session/TextFormat.hpp"

namespace imuwb {

using session_text::formatSignificant;

namespace {

struct Tick {
  double start = 0;       // the timestamp its rows share
  std::size_t first = 0;  // its first row
  std::size_t rows = 0;   // known once the next tick starts (or at the end)
  double spacing = 0;     // min(next start - start, tick) / rows, once the next tick starts
  bool complete = false;
};

class Spreader {
 public:
  Spreader(TimeSpool& out, double tick) : out_(out), tick_(tick) {}

  void row(double value, std::size_t index) {
    if (index > 0 && value == ticks_.back().start) return;
    if (!ticks_.empty()) {
      Tick& last = ticks_.back();
      last.rows = index - last.first;
      last.spacing = std::min(value - last.start, tick_) / static_cast<double>(last.rows);
      last.complete = true;
      if (count_ > 1)
        minRows_ = std::min(minRows_, last.rows), maxRows_ = std::max(maxRows_, last.rows);
    }
    ticks_.push_back({value, index});
    ++count_;
    emitReady();
  }

  void finish(std::size_t rows) {
    Tick& last = ticks_.back();
    last.rows = rows - last.first;
    const std::size_t total = count_;
    // The last tick takes its neighbour's spacing (or, alone, the tick over its rows).
    last.spacing = total >= 2 ? previousSpacing_ : tick_ / static_cast<double>(last.rows);
    if (total >= 2 && ticks_.size() >= 2) last.spacing = ticks_[ticks_.size() - 2].spacing;
    while (!ticks_.empty()) emit(total);
    if (maxRows_ == 0) minRows_ = maxRows_ = rows;
  }

  std::size_t ticks() const { return count_; }
  std::size_t minRows() const { return minRows_; }
  std::size_t maxRows() const { return maxRows_; }

 private:
  // A tick is written once its spacing is final: the first waits for the second's spacing
  // (when a third tick exists), the others for their own.
  void emitReady() {
    while (ticks_.size() >= 2 && ticks_.front().complete) {
      if (emitted_ == 0 && !ticks_[1].complete) return;
      emit(0);
    }
  }

  void emit(std::size_t total) {
    Tick tick = ticks_.front();
    ticks_.pop_front();
    double base = tick.start;
    if (emitted_ == 0 && (total == 0 || total >= 3)) {
      // ticks >= 3: the first tick ends one spacing before the second starts.
      tick.spacing = ticks_.front().spacing;
      base = ticks_.front().start - static_cast<double>(tick.rows) * tick.spacing;
    }
    for (std::size_t i = 0; i < tick.rows; ++i)
      out_.push(base + static_cast<double>(i) * tick.spacing);
    previousSpacing_ = tick.spacing;
    ++emitted_;
  }

  TimeSpool& out_;
  double tick_;
  std::deque<Tick> ticks_;
  std::size_t count_ = 0, emitted_ = 0;
  std::size_t minRows_ = static_cast<std::size_t>(-1), maxRows_ = 0;
  double previousSpacing_ = 0;
};

}  // namespace

Finding spreadCoarseClock(const TimeSpool& t, TimeSpool& out, const RowLines& lines, double tick) {
  Spreader spreader(out, tick);
  TimeSpool::Reader reader(t);
  double value = 0;
  std::size_t index = 0;
  while (reader.next(value)) spreader.row(value, index++);
  spreader.finish(index);
  Finding finding;
  finding.severity = Severity::Warning;
  finding.code = "time_coarse_clock";
  finding.subject = "time";
  finding.message = "the clock ticks every " + formatSignificant(tick, 4) + " s with " +
                    std::to_string(spreader.minRows()) + "-" + std::to_string(spreader.maxRows()) +
                    " rows per full tick (" + std::to_string(spreader.ticks()) +
                    " ticks from line " + std::to_string(lines.lineOf(0)) +
                    "); rows are spread evenly within each tick";
  finding.fix = "log finer timestamps if the logger can; within a tick the rate is assumed even";
  return finding;
}

}  // namespace imuwb

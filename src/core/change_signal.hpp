#pragma once
// A hint that the stored state changed, sent by the process that changed it to every other
// process sharing the store (PostgreSQL's LISTEN/NOTIFY). Only a hint: one can be lost
// (a reconnect, a server restart), so whoever waits on it still polls, and a hint only
// shortens the wait. A store without hints (SQLite, shared through a file) never wakes
// anyone: polling alone.
#include <functional>
#include <memory>

namespace kompo {

enum class Change {
    events,  // an event was appended to the log (the live feeds read it)
    steps,   // a step became ready to claim (idle workers look for work)
};

class ChangeSignal {
  public:
    virtual ~ChangeSignal() = default;

    // Ends the watch when destroyed: `wake` is not called any more once its destructor
    // has returned.
    class Watch {
      public:
        virtual ~Watch() = default;
    };

    // Calls `wake` after a transaction (of any process) committed a change of `what`,
    // and whenever such changes may have gone unannounced (the signal lost its connection
    // and made a new one). `wake` runs on the signal's own thread: it must return at once
    // and must not start or end a watch.
    virtual std::unique_ptr<Watch> watch(Change what, std::function<void()> wake) = 0;
};

// The signal of a store that sends none: watches that never wake.
class NoChangeSignal : public ChangeSignal {
  public:
    std::unique_ptr<Watch> watch(Change, std::function<void()>) override {
        return std::make_unique<Watch>();
    }
};

}  // namespace kompo

#pragma once
// Placeholder until the live event feed lands: constructed and started by the server.
#include "server/log.hpp"
#include "store/store.hpp"

namespace kompo::server {

class EventHub {
  public:
    EventHub(store::Store& store, Log& log) : store_(store), log_(log) {}
    void start() {}
    void stop() {}

  private:
    [[maybe_unused]] store::Store& store_;
    [[maybe_unused]] Log& log_;
};

}  // namespace kompo::server

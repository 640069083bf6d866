#pragma once
// Placeholder until /metrics lands: observes every answered request.
#include "platform/platform.hpp"
#include "server/http_session.hpp"

namespace kompo::server {

class Metrics : public RequestObserver {
  public:
    explicit Metrics(platform::Platform& platform) : platform_(platform) {}
    void observe(const std::string&, const std::string&, unsigned, double) override {}

  private:
    [[maybe_unused]] platform::Platform& platform_;
};

}  // namespace kompo::server

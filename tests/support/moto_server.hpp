#pragma once
// A real S3-API server for the test run: moto's `moto_server` (Debian 13's python3-moto),
// on a free 127.0.0.1 port, its log in a temporary folder, stopped by the destructor.
// It keeps objects in memory and accepts any credentials (it does not check signatures).
#include <filesystem>
#include <memory>
#include <string>

#include "support/child_process.hpp"

namespace kompo::test {

class MotoServer {
  public:
    // Returns once it accepts connections; throws std::runtime_error with its log when it
    // does not within 60 s (python starting on a busy machine takes seconds).
    MotoServer();
    ~MotoServer();
    MotoServer(const MotoServer&) = delete;
    MotoServer& operator=(const MotoServer&) = delete;

    int port() const { return port_; }
    // "http://127.0.0.1:PORT"
    std::string endpoint() const;
    // Creates an empty bucket (CreateBucket, unsigned: moto accepts it).
    void create_bucket(const std::string& name);

  private:
    std::filesystem::path folder_;
    int port_ = 0;
    std::unique_ptr<ChildProcess> process_;
};

}  // namespace kompo::test

#pragma once
// Where a key set comes from: a file, or the provider's https `jwks_uri`.
#include <filesystem>
#include <memory>
#include <string>

namespace kompo::auth {

class JwksSource {
  public:
    virtual ~JwksSource() = default;
    // The key set's JSON text. Throws Error(io) "jwks: ..." naming the file or url when it
    // cannot be read or fetched. Called again whenever the verifier reloads.
    virtual std::string load() = 0;
};

class FileJwks : public JwksSource {
  public:
    explicit FileJwks(std::filesystem::path path) : path_(std::move(path)) {}
    std::string load() override;

  private:
    std::filesystem::path path_;
};

// GET over https only (redirects too), with certificate checks, 10 s at most, 1 MiB at most.
class HttpsJwks : public JwksSource {
  public:
    explicit HttpsJwks(std::string url) : url_(std::move(url)) {}
    std::string load() override;

  private:
    std::string url_;
};

// `https://...` → HttpsJwks; anything else but `http://` → FileJwks. Throws
// Error(invalid_input) naming `oidc.jwks` when empty or plain http (keys must not be
// swappable in transit).
std::unique_ptr<JwksSource> jwks_source(const std::string& location);

}  // namespace kompo::auth

#pragma once
// Renders of stored kompositions, as the server starts and shows them: each one an
// execution of the workflow engine, owned by a tenant, reading the tenant's media.
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "platform/platform.hpp"
#include "platform/render_status_cache.hpp"
#include "workflow/engine.hpp"

namespace kompo::platform {

struct RenderStart {
    std::string komposition_id;
    komp::RenderRange range;      // beats, as the body gave them
    std::string idempotency_key;  // the same key again returns the same render
    // Bytes the tenant's storage quota has left: remote sources fetched for this render
    // may take no more (they count towards the quota; Quotas::usage). nullopt: no cap.
    std::optional<std::int64_t> storage_left;
};

class Renders {
  public:
    explicit Renders(Platform& platform) : platform_(platform) {}

    // Queues a render of the tenant's komposition; nullopt when it has no such komposition.
    // Throws Error(invalid_input) naming the field when the document does not validate.
    std::optional<std::string> start(const std::string& tenant, const RenderStart& start);
    // The render, when it exists and is the tenant's.
    std::optional<workflow::Snapshot> get(const std::string& tenant, const std::string& id);
    // The render's status as `show` writes it, when it exists and is the tenant's (null
    // otherwise; checked on every call, cached or not). From `cache` when the render has had
    // no event since it was shown there (one read: the execution row and its newest event's
    // seq), else shown from a snapshot read with that seq in one transaction, and kept.
    std::shared_ptr<const std::string> status(
        const std::string& tenant, const std::string& id, RenderStatusCache& cache,
        const std::function<std::string(const workflow::Snapshot&)>& show);
    // Whether the render exists and is the tenant's, from its execution row alone (not a
    // snapshot of every step).
    bool owned(const std::string& tenant, const std::string& id);
    // The tenant's renders only: the query's own tenant is replaced by `tenant`.
    std::vector<workflow::Execution> list(const std::string& tenant,
                                          workflow::ExecutionQuery query);
    // The render's events after `after` (its seq), at most `limit`; nullopt when it is not
    // the tenant's.
    std::optional<std::vector<workflow::Event>> history(const std::string& tenant,
                                                        const std::string& id, std::int64_t after,
                                                        std::size_t limit = 1'000'000);
    // Cancels the tenant's render: whether it was still running; nullopt when not theirs.
    std::optional<bool> cancel(const std::string& tenant, const std::string& id);
    // The finished video; nullopt when not succeeded (or evicted from the cache since).
    std::optional<std::filesystem::path> output(const workflow::Snapshot& render);

    // The feed of every render's events, by global id: ids after `after_id`, at most
    // `limit`. Of every tenant: for the server's event hub, which hands each subscriber
    // only what `owned` allows.
    std::vector<workflow::Event> feed(std::int64_t after_id, std::size_t limit);
    // The tenant's part of the feed.
    std::vector<workflow::Event> tenant_feed(const std::string& tenant, std::int64_t after_id,
                                             std::size_t limit);
    // Where the feed is now: the newest event's id, 0 when there is none.
    std::int64_t feed_position();

  private:
    Platform& platform_;
};

// Whether `execution` belongs to `tenant`: the one rule by which every route that touches
// a render (status, history, cancel, events, output) decides; a request always has a
// tenant, and CLI renders (no tenant) are nobody's.
bool owned_by(const workflow::Execution& execution, const std::string& tenant);

// Where relative and file://NAME source urls of the tenant's kompositions resolve.
std::filesystem::path media_folder(const Platform& platform, const std::string& tenant);

}  // namespace kompo::platform

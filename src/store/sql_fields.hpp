#pragma once
// The column lists every backend writes and reads its rows by, in the order of their
// parameters and of the columns read back, and the text form of what has no column type
// of its own: one schema, spelt once.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace kompo::store {

// Executions and steps: after the id.
inline const std::string kExecutionFields =
    "state, idempotency_key, request, result, error, error_kind, created_at, started_at, "
    "finished_at, tenant, komposition_id";
inline const std::string kStepFields =
    "execution_id, name, kind, state, needs, params, artifact_key, result, attempts, "
    "failures, worker_id, lease_token, lease_expires_at, not_before, started_at, finished_at, "
    "frames_done, frames_total, checkpoint, checkpoint_at, error, worker_class, regular_ms, "
    "preemptible_ms, lost_ms, saved_ms";
inline const std::string kUserFields =
    "id, name, password_hash, disabled, external_subject, failed_logins, locked_until, "
    "created_at, updated_at";
inline const std::string kCredentialFields =
    "id, secret_hash, kind, user_id, tenant, label, created_at, expires_at, revoked_at, "
    "last_used_at";
inline const std::string kDocumentFields =
    "tenant, id, type, name, rev, revision, body, deleted, created_at, updated_at";
inline const std::string kEventFields = "execution_id, seq, at, type, step, detail, id";
inline const std::string kArtifactFields = "key, path, size, created_at, last_used_at, cost_ms";
inline const std::string kWorkerFields = "id, worker_class, host, pid, started_at, seen_at, state";
inline const std::string kAuditFields =
    "id, at, actor, tenant, action, target, outcome, remote, detail";
inline const std::string kQuotaFields =
    "tenant, storage_bytes, concurrent_renders, renders_per_day, upload_bytes";

// A step's `needs` as stored: a JSON array of names.
std::string needs_to_json(const std::vector<std::string>& needs);

// A LIMIT for SQL, which counts in signed 64 bits.
std::int64_t as_limit(std::size_t limit);

}  // namespace kompo::store

// Each store backend (store_suite.hpp): every field survives a round trip, the queries
// that drive the workflow (claiming, eviction, event numbering) pick the right rows, and
// transactions stay atomic and serialised across connections.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <future>
#include <ostream>
#include <thread>
#include <tuple>

#include "core/error.hpp"
#include "store/migrations.hpp"
#include "store/row_names.hpp"
#include "store_rows_support.hpp"
#include "store_suite.hpp"
#include "support/support.hpp"

namespace kompo::workflow {

// Found by argument-dependent lookup: failures print state names, not bytes.
[[maybe_unused]] static void PrintTo(ExecutionState state, std::ostream* out) {
    *out << state_name(state);
}
[[maybe_unused]] static void PrintTo(StepState state, std::ostream* out) {
    *out << state_name(state);
}
[[maybe_unused]] static void PrintTo(EventType type, std::ostream* out) {
    *out << event_type_name(type);
}

}  // namespace kompo::workflow

namespace kompo::store {

namespace {

using namespace std::chrono_literals;
using namespace rows_test;

auto fields(const Execution& e) {
    return std::tie(e.id, e.state, e.idempotency_key, e.request, e.result, e.error, e.error_kind,
                    e.created_at, e.started_at, e.finished_at, e.tenant, e.komposition_id);
}

auto fields(const Step& s) {
    return std::tie(s.id, s.execution_id, s.name, s.kind, s.state, s.needs, s.params,
                    s.artifact_key, s.result, s.attempts, s.failures, s.worker_id, s.lease_token,
                    s.lease_expires_at, s.not_before, s.started_at, s.finished_at, s.frames_done,
                    s.frames_total, s.checkpoint, s.checkpoint_at, s.error, s.worker_class,
                    s.regular_ms, s.preemptible_ms, s.lost_ms, s.saved_ms);
}

auto fields(const Event& e) {
    return std::tie(e.execution_id, e.seq, e.at, e.type, e.step, e.detail);
}

auto fields(const Artifact& a) {
    return std::tie(a.key, a.path, a.size, a.created_at, a.last_used_at, a.cost_ms);
}

auto fields(const WorkerRecord& w) {
    return std::tie(w.id, w.worker_class, w.host, w.pid, w.started_at, w.seen_at, w.state);
}

Step step(const std::string& execution_id, const std::string& name, StepState state) {
    Step s;
    s.execution_id = execution_id;
    s.name = name;
    s.kind = StepKind::segment;
    s.state = state;
    return s;
}

Execution full_execution() {
    return Execution{"exec-1",
                     ExecutionState::running,
                     "key-1",
                     R"({"komposition":"Zürich ♪.json"})",
                     R"({"artifact":"abc"})",
                     "segment-3 failed",
                     "media",
                     kNow + 1,
                     kNow + 2,
                     kNow + 3,
                     "tenant-a",
                     "komp-1"};
}

Execution changed(const Execution& before) {
    return Execution{before.id,    ExecutionState::failed,
                     "key-2",      "{}",
                     R"({"n":1})", "other error",
                     "io",         kNow + 11,
                     kNow + 12,    kNow + 13,
                     "tenant-b",   "komp-2"};
}

Step full_step(const std::string& execution_id) {
    return Step{0,
                execution_id,
                "segment-3.2",
                StepKind::segment,
                StepState::retrying,
                {"probe", "plan", "quote \" backslash \\ tab \t newline \n"},
                R"({"from":1.5,"to":3})",
                "sha256:0123",
                R"({"frames":480})",
                3,
                2,
                "worker-7",
                std::int64_t{1} << 40,
                kNow + 30'000,
                kNow + 5'000,
                kNow - 1'000,
                kNow - 500,
                120,
                480,
                R"({"frame":120})",
                kNow - 100,
                "lease expired",
                "preemptible",
                1'500,
                (std::int64_t{1} << 35) + 7,
                900,
                42};
}

Step changed(const Step& before) {
    return Step{before.id,
                before.execution_id,
                "join",
                StepKind::join,
                StepState::succeeded,
                {"segment-1"},
                "{}",
                "sha256:4567",
                "{}",
                4,
                0,
                "worker-8",
                (std::int64_t{1} << 40) + 1,
                kNow + 60'000,
                0,
                kNow,
                kNow + 10,
                480,
                480,
                "",
                0,
                "",
                "regular",
                2'500,
                0,
                0,
                0};
}

class StoreTest : public test::StoreSuite {
  protected:
    std::string url = backend->fresh_url("kompost");
    std::unique_ptr<Store> store = open_store(url);

    void write(const std::function<void(Transaction&)>& body) { store->write(body); }

    template <typename Result>
    Result read(const std::function<Result(Transaction&)>& query) {
        Result result{};
        store->read([&](Transaction& t) { result = query(t); });
        return result;
    }

    std::int64_t add_step(const Step& s) {
        std::int64_t id = 0;
        write([&](Transaction& t) { id = t.insert_step(s); });
        return id;
    }

    std::optional<Step> claimable(Millis now, const std::string& only_execution = "") {
        return read<std::optional<Step>>([&](Transaction& t) {
            return t.next_claimable(workflow::claim_rule(), now, only_execution, {});
        });
    }

    std::optional<std::int64_t> claimable_id(Millis now, const std::string& only_execution = "") {
        const auto found = claimable(now, only_execution);
        if (!found) return std::nullopt;
        return found->id;
    }

    void set_state(std::int64_t step_id, StepState state) {
        write([&](Transaction& t) {
            auto s = *t.step(step_id);
            s.state = state;
            t.update_step(s);
        });
    }
};

TEST_P(StoreTest, ExecutionRoundTripsEveryField) {
    const auto original = full_execution();
    write([&](Transaction& t) { t.insert_execution(original); });
    EXPECT_EQ(fields(*read<std::optional<Execution>>(
                  [](Transaction& t) { return t.execution("exec-1"); })),
              fields(original));

    const auto updated = changed(original);
    write([&](Transaction& t) { t.update_execution(updated); });
    EXPECT_EQ(fields(*read<std::optional<Execution>>(
                  [](Transaction& t) { return t.execution("exec-1"); })),
              fields(updated));
}

TEST_P(StoreTest, StepRoundTripsEveryField) {
    write([](Transaction& t) { t.insert_execution(execution("e", kNow)); });
    auto original = full_step("e");
    original.id = add_step(original);
    EXPECT_GT(original.id, 0);
    const auto id = original.id;
    EXPECT_EQ(fields(*read<std::optional<Step>>([&](Transaction& t) { return t.step(id); })),
              fields(original));

    const auto updated = changed(original);
    write([&](Transaction& t) { t.update_step(updated); });
    EXPECT_EQ(fields(*read<std::optional<Step>>([&](Transaction& t) { return t.step(id); })),
              fields(updated));
}

TEST_P(StoreTest, EmptyTextRoundTripsAsEmpty) {
    Execution bare;
    bare.id = "bare";
    Step blank;
    blank.execution_id = "bare";
    write([&](Transaction& t) {
        t.insert_execution(bare);
        blank.id = t.insert_step(blank);
    });
    store->read([&](Transaction& t) {
        EXPECT_EQ(fields(*t.execution("bare")), fields(bare));
        EXPECT_EQ(fields(*t.step(blank.id)), fields(blank));
        EXPECT_FALSE(t.execution_by_idempotency_key("").has_value());
    });
}

TEST_P(StoreTest, MissingRowsReadAsNothing) {
    store->read([](Transaction& t) {
        EXPECT_FALSE(t.execution("nope").has_value());
        EXPECT_FALSE(t.step(42).has_value());
        EXPECT_FALSE(t.artifact("nope").has_value());
        EXPECT_TRUE(t.steps_of("nope").empty());
        EXPECT_TRUE(t.events("nope", 0, 10).empty());
    });
}

TEST_P(StoreTest, UpdatingAMissingRowThrows) {
    EXPECT_THROW(write([](Transaction& t) { t.update_execution(execution("nope", kNow)); }), Error);
    Step ghost = step("nope", "ghost", StepState::ready);
    ghost.id = 42;
    EXPECT_THROW(write([&](Transaction& t) { t.update_step(ghost); }), Error);
}

TEST_P(StoreTest, IdempotencyKeysAreUniqueButOptional) {
    auto first = execution("first", kNow);
    first.idempotency_key = "render-42";
    auto second = execution("second", kNow + 1);
    second.idempotency_key = "render-42";
    write([&](Transaction& t) { t.insert_execution(first); });
    EXPECT_THROW(write([&](Transaction& t) { t.insert_execution(second); }), Error);

    write([](Transaction& t) {
        t.insert_execution(execution("no-key-1", kNow));
        t.insert_execution(execution("no-key-2", kNow));
    });
    store->read([](Transaction& t) {
        EXPECT_EQ(t.execution_by_idempotency_key("render-42")->id, "first");
        EXPECT_FALSE(t.execution("second").has_value());
        EXPECT_FALSE(t.execution_by_idempotency_key("render-43").has_value());
        EXPECT_EQ(t.executions({.limit = 10}).size(), 3u);
    });
}

TEST_P(StoreTest, ExecutionsListNewestFirstUpToTheLimit) {
    write([](Transaction& t) {
        t.insert_execution(execution("old", kNow + 100));
        t.insert_execution(execution("newest", kNow + 300));
        t.insert_execution(execution("middle", kNow + 200));
    });
    const auto listed =
        read<std::vector<Execution>>([](Transaction& t) { return t.executions({.limit = 2}); });
    ASSERT_EQ(listed.size(), 2u);
    EXPECT_EQ(listed[0].id, "newest");
    EXPECT_EQ(listed[1].id, "middle");
}

TEST_P(StoreTest, StepsNeedAnExistingExecutionAndANameUniqueWithinIt) {
    EXPECT_THROW(add_step(step("nope", "probe", StepState::ready)), Error);
    write([](Transaction& t) {
        t.insert_execution(execution("a", kNow));
        t.insert_execution(execution("b", kNow));
    });
    const auto first = add_step(step("a", "probe", StepState::ready));
    const auto second = add_step(step("b", "probe", StepState::ready));
    EXPECT_GT(second, first);
    EXPECT_THROW(add_step(step("a", "probe", StepState::waiting)), Error);

    add_step(step("a", "plan", StepState::waiting));
    const auto of_a = read<std::vector<Step>>([](Transaction& t) { return t.steps_of("a"); });
    ASSERT_EQ(of_a.size(), 2u);
    EXPECT_EQ(of_a[0].name, "probe");
    EXPECT_EQ(of_a[1].name, "plan");
}

TEST_P(StoreTest, ReadyStepIsClaimable) {
    write([](Transaction& t) { t.insert_execution(execution("e", kNow)); });
    const auto id = add_step(step("e", "probe", StepState::ready));
    const auto claimed = claimable(kNow);
    ASSERT_TRUE(claimed.has_value());
    EXPECT_EQ(claimed->id, id);
    EXPECT_EQ(claimed->name, "probe");
}

TEST_P(StoreTest, RetryingStepIsClaimableOnceItsWaitIsOver) {
    write([](Transaction& t) { t.insert_execution(execution("e", kNow)); });
    auto retrying = step("e", "segment-1", StepState::retrying);
    retrying.not_before = kNow + 1'000;
    const auto id = add_step(retrying);
    EXPECT_EQ(claimable_id(kNow + 999), std::nullopt);
    EXPECT_EQ(claimable_id(kNow + 1'000), id);
}

TEST_P(StoreTest, RunningStepIsClaimableOnceItsLeaseExpired) {
    write([](Transaction& t) { t.insert_execution(execution("e", kNow)); });
    auto running = step("e", "segment-1", StepState::running);
    running.lease_expires_at = kNow + 1'000;
    const auto id = add_step(running);
    EXPECT_EQ(claimable_id(kNow + 1'000), std::nullopt);
    EXPECT_EQ(claimable_id(kNow + 1'001), id);
}

TEST_P(StoreTest, StepsInOtherStatesAreNeverClaimable) {
    write([](Transaction& t) { t.insert_execution(execution("e", kNow)); });
    for (const auto state : {StepState::waiting, StepState::cached, StepState::succeeded,
                             StepState::failed, StepState::cancelled}) {
        add_step(step("e", state_name(state), state));  // not_before and lease: 0
    }
    EXPECT_EQ(claimable_id(kNow + 1'000'000), std::nullopt);
}

TEST_P(StoreTest, StepsOfFinishedExecutionsAreNotClaimable) {
    for (const auto state :
         {ExecutionState::cancelled, ExecutionState::succeeded, ExecutionState::failed}) {
        const std::string id = state_name(state);
        write([&](Transaction& t) { t.insert_execution(execution(id, kNow, state)); });
        add_step(step(id, "probe", StepState::ready));
    }
    EXPECT_EQ(claimable_id(kNow), std::nullopt);

    write([](Transaction& t) {
        t.insert_execution(execution("running", kNow + 1, ExecutionState::running));
    });
    const auto id = add_step(step("running", "probe", StepState::ready));
    EXPECT_EQ(claimable_id(kNow), id);
}

TEST_P(StoreTest, OldestExecutionIsServedFirstThenLowestStepId) {
    write([](Transaction& t) {
        t.insert_execution(execution("newer", kNow + 100));
        t.insert_execution(execution("older", kNow));
    });
    const auto newer = add_step(step("newer", "probe", StepState::ready));
    auto expired = step("older", "segment-1", StepState::running);
    expired.lease_expires_at = kNow - 1;
    const auto older_first = add_step(expired);
    const auto older_second = add_step(step("older", "segment-2", StepState::ready));
    ASSERT_LT(newer, older_first);

    EXPECT_EQ(claimable_id(kNow), older_first);
    set_state(older_first, StepState::succeeded);
    EXPECT_EQ(claimable_id(kNow), older_second);
    set_state(older_second, StepState::succeeded);
    EXPECT_EQ(claimable_id(kNow), newer);
}

TEST_P(StoreTest, NamingAnExecutionClaimsOnlyItsSteps) {
    write([](Transaction& t) {
        t.insert_execution(execution("older", kNow));
        t.insert_execution(execution("newer", kNow + 1));
    });
    const auto older = add_step(step("older", "probe", StepState::ready));
    const auto newer = add_step(step("newer", "probe", StepState::ready));
    EXPECT_EQ(claimable_id(kNow), older);
    EXPECT_EQ(claimable_id(kNow, "newer"), newer);
    EXPECT_EQ(claimable_id(kNow, "older"), older);
    EXPECT_EQ(claimable_id(kNow, "nope"), std::nullopt);
}

TEST_P(StoreTest, CountsStepsByState) {
    write([](Transaction& t) { t.insert_execution(execution("e", kNow)); });
    add_step(step("e", "a", StepState::ready));
    add_step(step("e", "b", StepState::ready));
    add_step(step("e", "c", StepState::running));
    store->read([](Transaction& t) {
        EXPECT_EQ(t.count_steps(StepState::ready), 2);
        EXPECT_EQ(t.count_steps(StepState::running), 1);
        EXPECT_EQ(t.count_steps(StepState::failed), 0);
    });
}

TEST_P(StoreTest, EventsAreNumberedPerExecutionFromOne) {
    std::vector<std::int64_t> seqs;
    write([&](Transaction& t) {
        t.insert_execution(execution("a", kNow));
        t.insert_execution(execution("b", kNow));
        seqs.push_back(t.append_event("a", kNow, EventType::execution_running, "", "{}"));
        seqs.push_back(t.append_event("b", kNow, EventType::execution_running, "", "{}"));
        seqs.push_back(
            t.append_event("a", kNow + 1, EventType::step_succeeded, "probe", R"({"x":1})"));
    });
    write([&](Transaction& t) {
        seqs.push_back(t.append_event("a", kNow + 2, EventType::step_failed, "plan", R"({"y":2})"));
    });
    EXPECT_EQ(seqs, (std::vector<std::int64_t>{1, 1, 2, 3}));

    const auto after_first =
        read<std::vector<Event>>([](Transaction& t) { return t.events("a", 1, 10); });
    ASSERT_EQ(after_first.size(), 2u);
    EXPECT_EQ(fields(after_first[0]),
              fields(Event{"a", 2, kNow + 1, EventType::step_succeeded, "probe", R"({"x":1})"}));
    EXPECT_EQ(fields(after_first[1]),
              fields(Event{"a", 3, kNow + 2, EventType::step_failed, "plan", R"({"y":2})"}));
    const auto limited =
        read<std::vector<Event>>([](Transaction& t) { return t.events("a", 0, 1); });
    ASSERT_EQ(limited.size(), 1u);
    EXPECT_EQ(limited[0].seq, 1);
}

TEST_P(StoreTest, LastEventSeqIsTheExecutionsNewestOrZero) {
    write([&](Transaction& t) {
        t.insert_execution(execution("a", kNow));
        t.insert_execution(execution("b", kNow));
        t.insert_execution(execution("quiet", kNow));
        t.append_event("a", kNow, EventType::execution_running, "", "{}");
        t.append_event("b", kNow, EventType::execution_running, "", "{}");
        t.append_event("a", kNow + 1, EventType::step_progress, "probe", "{}");
    });
    const auto seqs = read<std::vector<std::int64_t>>([](Transaction& t) {
        return std::vector<std::int64_t>{t.last_event_seq("a"), t.last_event_seq("b"),
                                         t.last_event_seq("quiet"), t.last_event_seq("nope")};
    });
    EXPECT_EQ(seqs, (std::vector<std::int64_t>{2, 1, 0, 0}));
}

TEST_P(StoreTest, EventsNeedAnExistingExecution) {
    EXPECT_THROW(write([](Transaction& t) {
                     t.append_event("nope", kNow, EventType::step_progress, "", "{}");
                 }),
                 Error);
}

TEST_P(StoreTest, ThrowingBodyRollsBackEverything) {
    write([](Transaction& t) { t.insert_execution(execution("kept", kNow)); });
    EXPECT_THROW(write([](Transaction& t) {
                     t.insert_execution(execution("lost", kNow));
                     t.append_event("kept", kNow, EventType::execution_running, "", "{}");
                     t.put_artifact(Artifact{"k", "k.mp4", 10, kNow, kNow});
                     throw std::runtime_error("changed my mind");
                 }),
                 std::runtime_error);
    store->read([](Transaction& t) {
        EXPECT_FALSE(t.execution("lost").has_value());
        EXPECT_TRUE(t.events("kept", 0, 10).empty());
        EXPECT_FALSE(t.artifact("k").has_value());
    });
    write([](Transaction& t) { t.insert_execution(execution("after", kNow)); });
    EXPECT_EQ(read<std::vector<Execution>>([](Transaction& t) {
                  return t.executions({.limit = 10});
              }).size(),
              2u);
}

TEST_P(StoreTest, ReadTransactionsCannotWrite) {
    EXPECT_THROW(store->read([](Transaction& t) { t.insert_execution(execution("x", kNow)); }),
                 Error);
    write([](Transaction& t) { t.insert_execution(execution("y", kNow)); });
    store->read([](Transaction& t) {
        EXPECT_FALSE(t.execution("x").has_value());
        EXPECT_TRUE(t.execution("y").has_value());
    });
}

TEST_P(StoreTest, ArtifactsKeepTheirFirstRowAndTrackUse) {
    const Artifact first{"key-a", "a/first.mp4", 100, kNow, kNow};
    bool inserted_first = false;
    bool inserted_again = true;
    write([&](Transaction& t) {
        inserted_first = t.put_artifact(first);
        inserted_again = t.put_artifact(Artifact{"key-a", "a/second.mp4", 7, kNow + 5, kNow + 5});
        t.put_artifact(Artifact{"key-b", "b.mp4", 23, kNow, kNow});
        t.touch_artifact("key-b", kNow + 50);
    });
    EXPECT_TRUE(inserted_first);
    EXPECT_FALSE(inserted_again);
    store->read([&](Transaction& t) {
        EXPECT_EQ(fields(*t.artifact("key-a")), fields(first));
        EXPECT_EQ(t.artifact("key-b")->last_used_at, kNow + 50);
        EXPECT_EQ(t.artifacts_size(), 123);
    });
    write([](Transaction& t) { t.delete_artifact("key-a"); });
    store->read([](Transaction& t) {
        EXPECT_FALSE(t.artifact("key-a").has_value());
        EXPECT_EQ(t.artifacts_size(), 23);
    });
}

TEST_P(StoreTest, EvictableArtifactsAreLeastRecentlyUsedAndNotPinned) {
    write([](Transaction& t) {
        t.insert_execution(execution("queued", kNow));
        t.insert_execution(execution("running", kNow, ExecutionState::running));
        t.insert_execution(execution("done", kNow, ExecutionState::succeeded));
        for (const auto& [key, last_used] :
             {std::pair{"old", 100}, std::pair{"pinned-q", 50}, std::pair{"pinned-r", 60},
              std::pair{"done", 300}, std::pair{"newer", 200}}) {
            t.put_artifact(Artifact{key, std::string(key) + ".mp4", 1, 0, last_used});
        }
        auto q = step("queued", "a", StepState::succeeded);
        q.artifact_key = "pinned-q";
        t.insert_step(q);
        auto r = step("running", "a", StepState::waiting);
        r.artifact_key = "pinned-r";
        t.insert_step(r);
        auto d = step("done", "a", StepState::succeeded);
        d.artifact_key = "done";
        t.insert_step(d);
    });
    std::vector<std::string> keys;
    for (const auto& a : read<std::vector<Artifact>>([](Transaction& t) {
             return t.evictable_artifacts(workflow::unfinished_states(), 10);
         })) {
        keys.push_back(a.key);
    }
    EXPECT_EQ(keys, (std::vector<std::string>{"old", "newer", "done"}));
    EXPECT_EQ(read<std::vector<Artifact>>([](Transaction& t) {
                  return t.evictable_artifacts(workflow::unfinished_states(), 1);
              }).size(),
              1u);
}

TEST_P(StoreTest, SourceHashNeedsTheSameSizeAndModificationTime) {
    using Found = std::optional<std::string>;
    write([](Transaction& t) { t.put_source_hash("media/a.mp4", 1000, 555, "hash-1"); });
    EXPECT_EQ(read<Found>([](Transaction& t) { return t.source_hash("media/a.mp4", 1000, 555); }),
              "hash-1");
    EXPECT_EQ(read<Found>([](Transaction& t) { return t.source_hash("media/a.mp4", 1000, 556); }),
              std::nullopt);
    EXPECT_EQ(read<Found>([](Transaction& t) { return t.source_hash("media/a.mp4", 1001, 555); }),
              std::nullopt);

    write([](Transaction& t) { t.put_source_hash("media/a.mp4", 1000, 556, "hash-2"); });
    EXPECT_EQ(read<Found>([](Transaction& t) { return t.source_hash("media/a.mp4", 1000, 555); }),
              std::nullopt);
    EXPECT_EQ(read<Found>([](Transaction& t) { return t.source_hash("media/a.mp4", 1000, 556); }),
              "hash-2");
}

TEST_P(StoreTest, ProbedMediaAreFoundByContentHashAndProbe) {
    using Found = std::optional<std::string>;
    write([](Transaction& t) { t.put_probed_media("hash-1", "streams-1", R"({"w":640})"); });
    EXPECT_EQ(read<Found>([](Transaction& t) { return t.probed_media("hash-1", "streams-1"); }),
              R"({"w":640})");
    EXPECT_EQ(read<Found>([](Transaction& t) { return t.probed_media("hash-1", "keyframes-1"); }),
              std::nullopt);
    EXPECT_EQ(read<Found>([](Transaction& t) { return t.probed_media("hash-2", "streams-1"); }),
              std::nullopt);

    // A second worker that probed the same content at the same time changes nothing.
    write([](Transaction& t) { t.put_probed_media("hash-1", "streams-1", R"({"w":1})"); });
    EXPECT_EQ(read<Found>([](Transaction& t) { return t.probed_media("hash-1", "streams-1"); }),
              R"({"w":640})");
}

TEST_P(StoreTest, WorkersAreUpsertedById) {
    const WorkerRecord first{"w1", "preemptible", "host-a", 11, kNow, kNow, "running"};
    const WorkerRecord later{"w1", "regular", "host-b", 12, kNow + 1, kNow + 9, "draining"};
    const WorkerRecord other{"w2", "regular", "host-c", 13, kNow, kNow, "stopped"};
    write([&](Transaction& t) {
        t.upsert_worker(first);
        t.upsert_worker(other);
        t.upsert_worker(later);
    });
    const auto workers =
        read<std::vector<WorkerRecord>>([](Transaction& t) { return t.workers(); });
    ASSERT_EQ(workers.size(), 2u);
    EXPECT_EQ(fields(workers[0]), fields(later));
    EXPECT_EQ(fields(workers[1]), fields(other));
}

TEST_P(StoreTest, AWorkerIsFoundById) {
    const WorkerRecord w{"w1", "preemptible", "host-a", 11, kNow, kNow + 3, "running"};
    write([&](Transaction& t) { t.upsert_worker(w); });
    using Found = std::optional<WorkerRecord>;
    EXPECT_EQ(fields(*read<Found>([](Transaction& t) { return t.worker("w1"); })), fields(w));
    EXPECT_FALSE(read<Found>([](Transaction& t) { return t.worker("w2"); }).has_value());
}

// The scheduler's preference, as the engine asks for it: a worker leaves the kinds of
// the other class to it while a worker of that class is alive (running, seen lately).
TEST_P(StoreTest, AClaimLeavesTheOtherClassItsStepsOnlyWhileOneOfItIsAlive) {
    write([](Transaction& t) { t.insert_execution(execution("e", kNow)); });
    Step join = step("e", "join", StepState::ready);
    join.kind = StepKind::join;
    const auto join_id = add_step(join);
    const auto segment_id = add_step(step("e", "segment-0", StepState::ready));
    // A preemptible worker's preference: joins are for regular workers seen in the last 2 s.
    const workflow::ClaimPreference preemptible{
        {StepKind::join, StepKind::publish}, "regular", kNow - 2'000};
    const workflow::ClaimPreference regular{{StepKind::segment}, "preemptible", kNow - 2'000};
    auto next_id = [&](const workflow::ClaimPreference& preference) {
        return read<std::int64_t>([&](Transaction& t) {
            const auto next = t.next_claimable(workflow::claim_rule(), kNow, "", preference);
            return next ? next->id : 0;
        });
    };
    auto set_worker = [&](const std::string& worker_class, Millis seen_at, const char* state) {
        write([&](Transaction& t) {
            t.upsert_worker({worker_class + "-1", worker_class, "h", 1, kNow, seen_at, state});
        });
    };
    // Nobody else: every worker takes the oldest step.
    EXPECT_EQ(next_id(preemptible), join_id);
    EXPECT_EQ(next_id(regular), join_id);

    set_worker("regular", kNow - 1'000, "running");
    EXPECT_EQ(next_id(preemptible), segment_id);
    set_worker("regular", kNow - 3'000, "running");  // silent for longer than a lease
    EXPECT_EQ(next_id(preemptible), join_id);
    set_worker("regular", kNow, "draining");  // being preempted, or stopping
    EXPECT_EQ(next_id(preemptible), join_id);

    set_state(join_id, StepState::succeeded);
    set_worker("preemptible", kNow, "running");
    EXPECT_EQ(next_id(regular), 0);  // the segment waits for the preemptible worker
    EXPECT_EQ(next_id(preemptible), segment_id);
    EXPECT_EQ(next_id({}), segment_id);  // a worker of no class takes anything
}

TEST_P(StoreTest, WorkerTimeTotalsSumEveryStep) {
    write([](Transaction& t) { t.insert_execution(execution("e", kNow)); });
    Step a = step("e", "a", StepState::succeeded);
    a.regular_ms = 1'000;
    a.preemptible_ms = 20'000;
    a.lost_ms = 300;
    Step b = step("e", "b", StepState::cached);
    b.saved_ms = 4'000;
    b.preemptible_ms = 5;
    add_step(a);
    add_step(b);
    const auto totals =
        read<workflow::WorkerTimeTotals>([](Transaction& t) { return t.worker_time_totals(); });
    EXPECT_EQ(totals.regular_ms, 1'000);
    EXPECT_EQ(totals.preemptible_ms, 20'005);
    EXPECT_EQ(totals.lost_ms, 300);
    EXPECT_EQ(totals.saved_ms, 4'000);
}

std::vector<std::pair<std::int64_t, std::int64_t>> schema_versions(test::StoreBackend& backend,
                                                                   const std::string& url) {
    std::vector<std::pair<std::int64_t, std::int64_t>> versions;
    for (const auto& row :
         backend.query(url, "SELECT version, applied_at FROM schema_version ORDER BY version")) {
        versions.emplace_back(std::stoll(row.at(0)), std::stoll(row.at(1)));
    }
    return versions;
}

TEST_P(StoreTest, ReopeningKeepsDataAndDoesNotMigrateAgain) {
    write([](Transaction& t) { t.insert_execution(execution("kept", kNow)); });
    const auto versions = schema_versions(*backend, url);
    ASSERT_EQ(versions.size(), sqlite_migrations().size());
    EXPECT_EQ(versions.back().first, static_cast<std::int64_t>(sqlite_migrations().size()));

    store.reset();
    store = open_store(url);
    store = open_store(url);
    EXPECT_TRUE(read<std::optional<Execution>>([](Transaction& t) {
                    return t.execution("kept");
                }).has_value());
    EXPECT_EQ(schema_versions(*backend, url), versions);
}

// A database as a release with only version 1 left it: two executions whose events were
// written in an order unlike their times.
TEST_P(StoreTest, VersionOneDatabaseKeepsItsEventsAndGetsIdsInTimeOrder) {
    const auto old = backend->fresh_url("version1");
    backend->execute(old, backend->migrations()[0] + R"sql(;
        CREATE TABLE schema_version (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL);
        INSERT INTO schema_version VALUES (1, 0);
        INSERT INTO executions VALUES
            ('old-a', 'succeeded', NULL, '{}', '{}', '', '', 100, 101, 150),
            ('old-b', 'failed', 'key-b', '{}', '', 'boom', 'media', 110, 111, 140);
        INSERT INTO events VALUES
            ('old-a', 1, 101, 'execution.running', '', '{}'),
            ('old-a', 2, 150, 'execution.succeeded', '', '{"n":2}'),
            ('old-b', 1, 111, 'execution.running', '', '{}'),
            ('old-b', 2, 140, 'execution.failed', '', '{"error":"boom"}');
    )sql");
    ASSERT_EQ(schema_versions(*backend, old).size(), 1u);

    const auto upgraded = open_store(old);
    EXPECT_EQ(schema_versions(*backend, old).size(), sqlite_migrations().size());
    upgraded->read([](Transaction& t) {
        const auto of_a = t.events("old-a", 0, 10);
        ASSERT_EQ(of_a.size(), 2u);
        EXPECT_EQ(of_a[1].seq, 2);
        EXPECT_EQ(of_a[1].type, EventType::execution_succeeded);
        EXPECT_EQ(of_a[1].detail, R"({"n":2})");

        std::vector<Millis> times;
        for (const auto& e : t.events_after(0, 10)) times.push_back(e.at);
        EXPECT_EQ(times, (std::vector<Millis>{101, 111, 140, 150}));
        EXPECT_EQ(t.last_event_id(), 4);

        const auto old_b = t.execution("old-b");
        ASSERT_TRUE(old_b.has_value());
        EXPECT_EQ(old_b->error, "boom");
        EXPECT_EQ(old_b->tenant, "");
        EXPECT_EQ(old_b->komposition_id, "");
        const auto newest_first = t.executions(ExecutionQuery{});
        ASSERT_EQ(newest_first.size(), 2u);
        EXPECT_EQ(newest_first[0].id, "old-b");
        EXPECT_EQ(newest_first[1].id, "old-a");
    });

    // Appending continues both numberings where the old log left them.
    upgraded->write([](Transaction& t) {
        EXPECT_EQ(t.append_event("old-a", 200, EventType::step_progress, "", "{}"), 3);
    });
    upgraded->read([](Transaction& t) {
        const auto newest = t.events_after(4, 10);
        ASSERT_EQ(newest.size(), 1u);
        EXPECT_EQ(newest[0].id, 5);
        EXPECT_EQ(newest[0].execution_id, "old-a");
        EXPECT_EQ(newest[0].seq, 3);
    });
}

TEST_P(StoreTest, ProcessesOpeningANewDatabaseTogetherMigrateItOnce) {
    const auto fresh = backend->fresh_url("fresh");
    std::vector<std::future<std::unique_ptr<Store>>> openings;
    for (int i = 0; i < 4; ++i) {
        openings.push_back(std::async(std::launch::async, [&] { return open_store(fresh); }));
    }
    for (auto& opening : openings) EXPECT_NE(opening.get(), nullptr);
    EXPECT_EQ(schema_versions(*backend, fresh).size(), sqlite_migrations().size());
}

// Read-modify-write of one counter: a lost update shows as a total below the expected one.
void count_up(Store& store, int times) {
    for (int i = 0; i < times; ++i) {
        store.write([](Transaction& t) {
            auto counter = *t.execution("counter");
            counter.result = std::to_string(std::stoll(counter.result) + 1);
            t.update_execution(counter);
            t.append_event("counter", kNow, EventType::step_progress, "", counter.result);
        });
    }
}

void expect_counted(Store& store, std::size_t total) {
    store.read([&](Transaction& t) {
        EXPECT_EQ(t.execution("counter")->result, std::to_string(total));
        const auto events = t.events("counter", 0, total + 10);
        ASSERT_EQ(events.size(), total);
        for (std::size_t i = 0; i < total; ++i) {
            EXPECT_EQ(events[i].seq, static_cast<std::int64_t>(i + 1));
            EXPECT_EQ(events[i].detail, std::to_string(i + 1));
        }
    });
}

TEST_P(StoreTest, WritersOnSeparateConnectionsNeverLoseAnUpdate) {
    auto counter = execution("counter", kNow);
    counter.result = "0";
    write([&](Transaction& t) { t.insert_execution(counter); });
    auto first = open_store(url);
    auto second = open_store(url);
    auto a = std::async(std::launch::async, [&] { count_up(*first, 200); });
    auto b = std::async(std::launch::async, [&] { count_up(*second, 200); });
    a.get();
    b.get();
    expect_counted(*store, 400);
}

// Claims as the engine makes them (find the next claimable step, mark it running, in one
// write) by workers on stores of their own: every step is claimed, none twice.
std::vector<std::int64_t> claim_until_none(Store& store) {
    std::vector<std::int64_t> claimed;
    for (;;) {
        std::optional<std::int64_t> id;
        store.write([&](Transaction& t) {
            id.reset();  // a rerun body starts over
            auto next = t.next_claimable(workflow::claim_rule(), kNow, "", {});
            if (!next) return;
            next->state = StepState::running;
            next->lease_token += 1;
            next->lease_expires_at = kNow + 60'000;
            t.update_step(*next);
            id = next->id;
        });
        if (!id) return claimed;
        claimed.push_back(*id);
    }
}

TEST_P(StoreTest, WorkersClaimingAtOnceTakeEveryStepOnce) {
    write([](Transaction& t) { t.insert_execution(execution("e", kNow)); });
    std::vector<std::int64_t> expected;
    for (int i = 0; i < 40; ++i) {
        expected.push_back(add_step(step("e", "segment-" + std::to_string(i), StepState::ready)));
    }
    std::vector<std::unique_ptr<Store>> workers;
    std::vector<std::future<std::vector<std::int64_t>>> claiming;
    for (int w = 0; w < 4; ++w) workers.push_back(open_store(url));
    for (auto& worker : workers) {
        claiming.push_back(
            std::async(std::launch::async, [&] { return claim_until_none(*worker); }));
    }
    std::vector<std::int64_t> claimed;
    for (auto& claims : claiming) {
        const auto of_one = claims.get();
        claimed.insert(claimed.end(), of_one.begin(), of_one.end());
    }
    std::sort(claimed.begin(), claimed.end());
    EXPECT_EQ(claimed, expected);
    store->read([](Transaction& t) {
        EXPECT_EQ(t.count_steps(StepState::running), 40);
        for (const auto& s : t.steps_of("e")) EXPECT_EQ(s.lease_token, 1) << s.name;
    });
}

TEST_P(StoreTest, ThreadsSharingOneStoreTakeTurns) {
    auto counter = execution("counter", kNow);
    counter.result = "0";
    write([&](Transaction& t) { t.insert_execution(counter); });
    std::vector<std::future<void>> threads;
    for (int i = 0; i < 4; ++i) {
        threads.push_back(std::async(std::launch::async, [&] { count_up(*store, 50); }));
    }
    for (auto& thread : threads) thread.get();
    expect_counted(*store, 200);
}

// Reads have connections of their own: one does not queue behind a write of the same
// store (an in-process worker's, say), and sees the last commit before it began.
TEST_P(StoreTest, AReadDoesNotWaitForAWriteOfTheSameStore) {
    write([](Transaction& t) { t.insert_execution(execution("before", kNow)); });
    std::promise<void> locked;
    std::promise<void> release;
    auto released = release.get_future();
    auto holder = hold_write_lock(*store, locked, released);

    std::future<std::vector<Execution>> reading;  // outlives on_exit: it may need the writer
    std::vector<Execution> seen;
    {
        Release on_exit{release};
        locked.get_future().get();
        reading = std::async(std::launch::async, [&] {
            return read<std::vector<Execution>>(
                [](Transaction& t) { return t.executions({.limit = 10}); });
        });
        // A bound, not a measurement: a read that waits for this writer never returns.
        ASSERT_EQ(reading.wait_for(60s), std::future_status::ready)
            << "the read waited for the write in progress";
        seen = reading.get();
    }
    holder.get();
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].id, "before");
}

// Reads on several threads at once use several connections, each reused afterwards; every
// one of them sees every write that returned before the read began (none is left on an
// old snapshot).
TEST_P(StoreTest, EveryReadSeesTheWritesThatReturnedBeforeIt) {
    auto counter = execution("counter", kNow);
    counter.result = "0";
    write([&](Transaction& t) { t.insert_execution(counter); });
    for (int i = 1; i <= 50; ++i) {
        count_up(*store, 1);
        std::vector<std::future<std::string>> readers;
        for (int r = 0; r < 4; ++r) {
            readers.push_back(std::async(std::launch::async, [&] {
                return read<std::string>(
                    [](Transaction& t) { return t.execution("counter")->result; });
            }));
        }
        for (auto& reader : readers) EXPECT_EQ(reader.get(), std::to_string(i));
    }
    expect_counted(*store, 50);
}

KOMPO_ON_EVERY_STORE(StoreTest);

}  // namespace
}  // namespace kompo::store

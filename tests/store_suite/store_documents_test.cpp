// What the platform server reads from the store, on each backend (store_suite.hpp):
// tenants' documents, pages of executions, one event feed across executions.
#include <gtest/gtest.h>

#include <functional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "store/row_names.hpp"
#include "store_suite.hpp"

namespace kompo::workflow {

// Found by argument-dependent lookup: failures print state names, not bytes.
[[maybe_unused]] static void PrintTo(ExecutionState state, std::ostream* out) {
    *out << state_name(state);
}
[[maybe_unused]] static void PrintTo(EventType type, std::ostream* out) {
    *out << event_type_name(type);
}

}  // namespace kompo::workflow

namespace kompo::store {

using Transaction = StoreRows;

namespace {

constexpr Millis kNow = 1'700'000'000'000;
constexpr int kMaxPages = 20;  // more than any paging test needs

using Ids = std::vector<std::string>;
using Counts = std::vector<std::pair<ExecutionState, std::int64_t>>;
using EventKeys = std::vector<std::pair<std::string, std::int64_t>>;  // execution, seq

auto fields(const Document& d) {
    return std::tie(d.tenant, d.id, d.type, d.name, d.rev, d.revision, d.body, d.deleted,
                    d.created_at, d.updated_at);
}

auto fields(const Event& e) {
    return std::tie(e.id, e.execution_id, e.seq, e.at, e.type, e.step, e.detail);
}

Document document(const std::string& tenant, const std::string& id,
                  const std::string& type = "Video", const std::string& name = "") {
    Document d;
    d.tenant = tenant;
    d.id = id;
    d.type = type;
    d.name = name.empty() ? id : name;
    d.rev = "1-abc";
    d.revision = 1;
    d.body = R"({"_id":")" + id + R"("})";
    d.created_at = kNow;
    d.updated_at = kNow;
    return d;
}

Execution execution(const std::string& id, Millis created_at, const std::string& tenant = "",
                    const std::string& komposition_id = "",
                    ExecutionState state = ExecutionState::queued) {
    Execution e;
    e.id = id;
    e.state = state;
    e.created_at = created_at;
    e.tenant = tenant;
    e.komposition_id = komposition_id;
    return e;
}

template <typename Row>
Ids ids_of(const std::vector<Row>& rows) {
    Ids ids;
    for (const auto& row : rows) ids.push_back(row.id);
    return ids;
}

class StoreDocumentsTest : public test::StoreSuite {
  protected:
    std::unique_ptr<Store> store = open_store(backend->fresh_url("kompost"));

    void write(const std::function<void(Transaction&)>& body) { store->write_all(body); }

    template <typename Result>
    Result read(const std::function<Result(Transaction&)>& query) {
        Result result{};
        store->read_all([&](Transaction& t) { result = query(t); });
        return result;
    }

    void put(const std::vector<Document>& documents) {
        write([&](Transaction& t) {
            for (const auto& d : documents) t.put_document(d);
        });
    }

    void insert(const std::vector<Execution>& executions) {
        write([&](Transaction& t) {
            for (const auto& e : executions) t.insert_execution(e);
        });
    }

    Ids document_ids(const DocumentQuery& query) {
        return ids_of(
            read<std::vector<Document>>([&](Transaction& t) { return t.documents(query); }));
    }

    Ids execution_ids(const ExecutionQuery& query) {
        return ids_of(
            read<std::vector<Execution>>([&](Transaction& t) { return t.executions(query); }));
    }

    // Pages of `query.limit` until an empty one; each continues from the last row of the
    // one before, as the server's cursor does. A cursor that does not advance would page
    // forever: after kMaxPages the rows so far are returned, and the test fails on them.
    Ids execution_pages(ExecutionQuery query) {
        Ids seen;
        for (int pages = 0; pages < kMaxPages; ++pages) {
            const auto page =
                read<std::vector<Execution>>([&](Transaction& t) { return t.executions(query); });
            if (page.empty()) break;
            for (const auto& e : page) seen.push_back(e.id);
            query.before_created_at = page.back().created_at;
            query.before_id = page.back().id;
        }
        return seen;
    }

    std::vector<Event> feed(std::int64_t after_id, std::size_t limit = 100) {
        return read<std::vector<Event>>(
            [&](Transaction& t) { return t.events_after(after_id, limit); });
    }

    std::int64_t last_event_id() {
        return read<std::int64_t>([](Transaction& t) { return t.last_event_id(); });
    }
};

// Documents.

TEST_P(StoreDocumentsTest, DocumentRoundTripsEveryFieldAndIsReplacedByItsNextRevision) {
    const Document first{"tenant-a",
                         "komp-1",
                         "Komposition",
                         "Sommer ♪ cut",
                         "1-aaa",
                         1,
                         R"({"_id":"komp-1","bpm":120})",
                         false,
                         kNow,
                         kNow};
    put({first});
    using Found = std::optional<Document>;
    EXPECT_EQ(fields(*read<Found>([](Transaction& t) { return t.document("tenant-a", "komp-1"); })),
              fields(first));

    const Document second{"tenant-a",
                          "komp-1",
                          "Komposition",
                          "Winter cut",
                          "2-bbb",
                          2,
                          R"({"_id":"komp-1","bpm":90})",
                          false,
                          kNow,
                          kNow + 5};
    put({second});
    EXPECT_EQ(fields(*read<Found>([](Transaction& t) { return t.document("tenant-a", "komp-1"); })),
              fields(second));
    EXPECT_EQ(document_ids({.tenant = "tenant-a"}), Ids{"komp-1"});
}

TEST_P(StoreDocumentsTest, MissingDocumentReadsAsNothing) {
    put({document("tenant-a", "video-1")});
    store->read_all([](Transaction& t) {
        EXPECT_FALSE(t.document("tenant-a", "nope").has_value());
        EXPECT_FALSE(t.document("tenant-b", "video-1").has_value());
        EXPECT_TRUE(t.documents({.tenant = "tenant-b"}).empty());
    });
}

TEST_P(StoreDocumentsTest, DeletedDocumentIsATombstoneKeepingItsLastBody) {
    auto gone = document("tenant-a", "video-2");
    gone.rev = "2-ccc";
    gone.revision = 2;
    gone.deleted = true;
    put({document("tenant-a", "video-1"), gone});

    const auto tombstone = read<std::optional<Document>>(
        [](Transaction& t) { return t.document("tenant-a", "video-2"); });
    ASSERT_TRUE(tombstone.has_value());
    EXPECT_TRUE(tombstone->deleted);
    EXPECT_EQ(tombstone->rev, "2-ccc");
    EXPECT_EQ(tombstone->body, R"({"_id":"video-2"})");

    EXPECT_EQ(document_ids({.tenant = "tenant-a"}), Ids{"video-1"});
    EXPECT_EQ(document_ids({.tenant = "tenant-a", .include_deleted = true}),
              (Ids{"video-1", "video-2"}));
}

TEST_P(StoreDocumentsTest, SameIdInTwoTenantsIsTwoDocuments) {
    auto of_a = document("tenant-a", "komp-1", "Komposition");
    of_a.body = R"({"owner":"a"})";
    auto of_b = document("tenant-b", "komp-1", "Komposition");
    of_b.body = R"({"owner":"b"})";
    put({of_a, of_b, document("tenant-b", "komp-2", "Komposition")});

    of_a.rev = "2-ddd";
    of_a.deleted = true;
    put({of_a});  // deleting A's leaves B's alone

    store->read_all([](Transaction& t) {
        EXPECT_EQ(t.document("tenant-a", "komp-1")->body, R"({"owner":"a"})");
        EXPECT_TRUE(t.document("tenant-a", "komp-1")->deleted);
        EXPECT_EQ(t.document("tenant-b", "komp-1")->body, R"({"owner":"b"})");
        EXPECT_FALSE(t.document("tenant-b", "komp-1")->deleted);
        for (const auto& d : t.documents({.tenant = "tenant-a", .include_deleted = true})) {
            EXPECT_EQ(d.tenant, "tenant-a");
        }
    });
    EXPECT_EQ(document_ids({.tenant = "tenant-a", .include_deleted = true}), Ids{"komp-1"});
    EXPECT_EQ(document_ids({.tenant = "tenant-b"}), (Ids{"komp-1", "komp-2"}));
}

TEST_P(StoreDocumentsTest, PagingByAfterIdReturnsEveryDocumentExactlyOnce) {
    const Ids all{"a", "b", "b-1", "c", "d", "e", "f"};
    for (const auto& id : {"e", "b-1", "a", "f", "c", "b", "d"}) put({document("tenant-a", id)});
    put({document("tenant-b", "b-0")});  // between a and b, in another tenant

    Ids seen;
    std::vector<std::size_t> page_sizes;
    DocumentQuery query{.tenant = "tenant-a", .limit = 3};
    for (int pages = 0; pages < kMaxPages; ++pages) {
        const auto page = document_ids(query);
        if (page.empty()) break;
        page_sizes.push_back(page.size());
        seen.insert(seen.end(), page.begin(), page.end());
        query.after_id = page.back();
    }
    EXPECT_EQ(seen, all);
    EXPECT_EQ(page_sizes, (std::vector<std::size_t>{3, 3, 1}));
}

TEST_P(StoreDocumentsTest, FiltersByTypeAndByNameOrIdIgnoringCase) {
    put({document("tenant-a", "komp-summer", "Komposition", "Summer Mix"),
         document("tenant-a", "komp-winter", "Komposition", "Winter mix"),
         document("tenant-a", "video-beach", "Video", "summer beach"),
         document("tenant-a", "audio-1", "Audio", "100% SUMMER"),
         document("tenant-a", "image-1", "Image", "1000 done"),
         document("tenant-b", "komp-b", "Komposition", "Summer in B")});

    EXPECT_EQ(document_ids({.tenant = "tenant-a", .type = "Komposition"}),
              (Ids{"komp-summer", "komp-winter"}));
    EXPECT_EQ(document_ids({.tenant = "tenant-a", .type = "Image"}), Ids{"image-1"});
    EXPECT_EQ(document_ids({.tenant = "tenant-a", .name_contains = "SUMMER"}),
              (Ids{"audio-1", "komp-summer", "video-beach"}));
    EXPECT_EQ(document_ids({.tenant = "tenant-a", .name_contains = "BEACH"}), Ids{"video-beach"});
    EXPECT_EQ(document_ids({.tenant = "tenant-a", .name_contains = "Mix", .limit = 1}),
              Ids{"komp-summer"});
    EXPECT_EQ(
        document_ids({.tenant = "tenant-a", .type = "Komposition", .name_contains = "winter"}),
        Ids{"komp-winter"});
    // Taken literally, not as a LIKE pattern.
    EXPECT_EQ(document_ids({.tenant = "tenant-a", .name_contains = "0%"}), Ids{"audio-1"});
    EXPECT_TRUE(document_ids({.tenant = "tenant-a", .name_contains = "_"}).empty());
}

// Executions.

TEST_P(StoreDocumentsTest, ExecutionsQueryFiltersByTenantStateAndKomposition) {
    insert({execution("a-1", kNow + 1, "tenant-a", "komp-1"),
            execution("a-2", kNow + 2, "tenant-a", "komp-2", ExecutionState::running),
            execution("a-3", kNow + 3, "tenant-a", "komp-1", ExecutionState::succeeded),
            execution("b-1", kNow + 4, "tenant-b", "komp-1", ExecutionState::running),
            execution("cli", kNow + 5)});

    EXPECT_EQ(execution_ids({}), (Ids{"cli", "b-1", "a-3", "a-2", "a-1"}));
    EXPECT_EQ(execution_ids({.tenant = "tenant-a"}), (Ids{"a-3", "a-2", "a-1"}));
    EXPECT_EQ(execution_ids({.tenant = "tenant-a", .komposition_id = "komp-1"}),
              (Ids{"a-3", "a-1"}));
    EXPECT_EQ(execution_ids({.state = ExecutionState::running}), (Ids{"b-1", "a-2"}));
    EXPECT_EQ(execution_ids({.tenant = "tenant-b", .state = ExecutionState::running}), Ids{"b-1"});
    EXPECT_EQ(execution_ids({.komposition_id = "komp-1"}), (Ids{"b-1", "a-3", "a-1"}));
    EXPECT_TRUE(execution_ids({.tenant = "tenant-c"}).empty());

    const auto read_back =
        read<std::vector<Execution>>([](Transaction& t) { return t.executions({.limit = 1}); });
    ASSERT_EQ(read_back.size(), 1u);
    EXPECT_EQ(read_back[0].tenant, "");
    EXPECT_EQ(
        read<std::optional<Execution>>([](Transaction& t) { return t.execution("b-1"); })->tenant,
        "tenant-b");
}

TEST_P(StoreDocumentsTest, ExecutionsPagesAreNewestFirstWithEveryRowExactlyOnce) {
    // Three share a creation time: the id breaks the tie, so no page boundary drops one.
    insert({execution("e1", kNow + 1, "tenant-a", "komp-1"),
            execution("e2", kNow + 2, "tenant-a", "komp-2"),
            execution("e3a", kNow + 3, "tenant-a", "komp-1"),
            execution("e3b", kNow + 3, "tenant-a", "komp-1"),
            execution("e3c", kNow + 3, "tenant-a", "komp-2"),
            execution("e4", kNow + 4, "tenant-b", "komp-1"),
            execution("e5", kNow + 5, "tenant-a", "komp-1"),
            execution("zero", 0, "tenant-a", "komp-1")});

    for (const std::size_t limit : {1u, 2u, 3u, 100u}) {
        EXPECT_EQ(execution_pages({.limit = limit}),
                  (Ids{"e5", "e4", "e3c", "e3b", "e3a", "e2", "e1", "zero"}))
            << "limit " << limit;
        EXPECT_EQ(
            execution_pages({.tenant = "tenant-a", .komposition_id = "komp-1", .limit = limit}),
            (Ids{"e5", "e3b", "e3a", "e1", "zero"}))
            << "limit " << limit;
    }
    EXPECT_EQ(execution_ids({.before_created_at = kNow + 3, .limit = 10}),
              (Ids{"e2", "e1", "zero"}));
    EXPECT_EQ(execution_ids({.before_created_at = kNow + 3, .before_id = "e3b", .limit = 10}),
              (Ids{"e3a", "e2", "e1", "zero"}));
}

TEST_P(StoreDocumentsTest, CountsExecutionsByStateOnlyForStatesPresent) {
    EXPECT_TRUE(read<Counts>([](Transaction& t) { return t.count_executions_by_state(); }).empty());
    insert({execution("q1", kNow), execution("q2", kNow),
            execution("r1", kNow, "", "", ExecutionState::running),
            execution("f1", kNow, "tenant-a", "", ExecutionState::failed),
            execution("q3", kNow, "tenant-b")});
    EXPECT_EQ(read<Counts>([](Transaction& t) { return t.count_executions_by_state(); }),
              (Counts{{ExecutionState::failed, 1},
                      {ExecutionState::queued, 3},
                      {ExecutionState::running, 1}}));
}

// The event feed.

TEST_P(StoreDocumentsTest, EventsAfterFollowsAllExecutionsInAppendOrder) {
    insert({execution("a", kNow), execution("b", kNow)});
    write([](Transaction& t) {
        t.append_event("a", kNow + 10, EventType::execution_running, "", "{}");
        t.append_event("b", kNow + 5, EventType::execution_running, "", "{}");  // an earlier clock
        t.append_event("a", kNow + 11, EventType::step_succeeded, "probe", R"({"x":1})");
    });
    write([](Transaction& t) {
        t.append_event("b", kNow + 12, EventType::step_failed, "plan", "{}");
    });

    const auto all = feed(0);
    ASSERT_EQ(all.size(), 4u);
    EventKeys order;
    for (const auto& e : all) order.emplace_back(e.execution_id, e.seq);
    EXPECT_EQ(order, (EventKeys{{"a", 1}, {"b", 1}, {"a", 2}, {"b", 2}}));
    for (std::size_t i = 1; i < all.size(); ++i) EXPECT_GT(all[i].id, all[i - 1].id);
    EXPECT_EQ(all[2].type, EventType::step_succeeded);
    EXPECT_EQ(all[2].step, "probe");
    EXPECT_EQ(all[2].detail, R"({"x":1})");
    EXPECT_EQ(all[2].at, kNow + 11);

    // The per-execution log carries the same global ids.
    const auto of_b = read<std::vector<Event>>([](Transaction& t) { return t.events("b", 0, 10); });
    ASSERT_EQ(of_b.size(), 2u);
    EXPECT_EQ(fields(of_b[0]), fields(all[1]));
    EXPECT_EQ(fields(of_b[1]), fields(all[3]));
}

TEST_P(StoreDocumentsTest, EventFeedResumesFromACursorWithoutGapsOrRepeats) {
    insert({execution("a", kNow), execution("b", kNow)});
    write([](Transaction& t) {
        for (int i = 0; i < 3; ++i) {
            t.append_event("a", kNow + i, EventType::step_progress, "", "{}");
            t.append_event("b", kNow + i, EventType::step_progress, "", "{}");
        }
    });

    const auto first_page = feed(0, 4);
    ASSERT_EQ(first_page.size(), 4u);
    const auto cursor = first_page.back().id;
    write([](Transaction& t) {
        t.append_event("a", kNow + 9, EventType::execution_succeeded, "", "{}");
    });

    const auto rest = feed(cursor);
    ASSERT_EQ(rest.size(), 3u);
    for (const auto& e : rest) EXPECT_GT(e.id, cursor);
    EXPECT_EQ(rest.back().type, EventType::execution_succeeded);
    EXPECT_EQ(rest.back().seq, 4);
    EXPECT_TRUE(feed(rest.back().id).empty());

    auto whole = first_page;
    whole.insert(whole.end(), rest.begin(), rest.end());
    const auto again = feed(0);
    ASSERT_EQ(again.size(), whole.size());
    for (std::size_t i = 0; i < whole.size(); ++i) EXPECT_EQ(fields(again[i]), fields(whole[i]));
}

TEST_P(StoreDocumentsTest, LastEventIdIsZeroUntilAnEventThenTheNewest) {
    EXPECT_EQ(last_event_id(), 0);
    EXPECT_TRUE(feed(0).empty());
    insert({execution("a", kNow), execution("b", kNow)});
    write([](Transaction& t) {
        t.append_event("a", kNow, EventType::execution_running, "", "{}");
        t.append_event("b", kNow, EventType::execution_running, "", "{}");
    });
    const auto all = feed(0);
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(last_event_id(), all.back().id);
    EXPECT_TRUE(feed(last_event_id()).empty());
}

TEST_P(StoreDocumentsTest, EventIdsOfARolledBackWriteAreNotSeen) {
    insert({execution("a", kNow)});
    EXPECT_THROW(write([](Transaction& t) {
                     t.append_event("a", kNow, EventType::step_failed, "", "{}");
                     throw std::runtime_error("changed my mind");
                 }),
                 std::runtime_error);
    EXPECT_EQ(last_event_id(), 0);
    write([](Transaction& t) { t.append_event("a", kNow, EventType::step_succeeded, "", "{}"); });
    const auto all = feed(0);
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].type, EventType::step_succeeded);
    EXPECT_EQ(all[0].seq, 1);
}

KOMPO_ON_EVERY_STORE(StoreDocumentsTest);

}  // namespace
}  // namespace kompo::store

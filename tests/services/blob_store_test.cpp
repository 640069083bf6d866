// The shared artifact storage's contract (src/blob/blob_store.hpp), one suite run on both
// backends: a folder (file://) and a real S3-API server (moto_server, s3://).
#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <memory>
#include <random>

#include <gtest/gtest.h>

#include "blob/blob_store.hpp"
#include "core/error.hpp"
#include "support/moto_server.hpp"
#include "support/support.hpp"

namespace kompo::test {
namespace {

constexpr const char* kBucket = "kompo-artifacts";

// `bytes` of seeded noise, written in pieces (the test holds no copy of it in memory).
void write_noise(const fs::path& path, std::size_t bytes, unsigned seed) {
    std::mt19937 noise(seed);
    std::ofstream out(path, std::ios::binary);
    std::array<std::uint32_t, 16384> chunk;
    for (std::size_t written = 0; written < bytes; written += sizeof chunk) {
        std::generate(chunk.begin(), chunk.end(), noise);
        out.write(reinterpret_cast<const char*>(chunk.data()),
                  static_cast<std::streamsize>(std::min(sizeof chunk, bytes - written)));
    }
}

void write_text(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool same_bytes(const fs::path& a, const fs::path& b) {
    std::ifstream x(a, std::ios::binary), y(b, std::ios::binary);
    std::array<char, 1 << 16> p, q;
    while (x && y) {
        x.read(p.data(), p.size());
        y.read(q.data(), q.size());
        if (x.gcount() != y.gcount() || !std::equal(p.begin(), p.begin() + x.gcount(), q.begin())) {
            return false;
        }
    }
    return x.eof() && y.eof();
}

long peak_memory_kib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

std::vector<std::string> files_in(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        if (entry.is_regular_file()) names.push_back(fs::relative(entry.path(), dir).string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

class BlobStoreContract : public ::testing::TestWithParam<std::string> {
  protected:
    void SetUp() override {
        dir_ = scratch_dir();
        if (GetParam() == "file") {
            store_ = blob::open_blob_store("file://" + (dir_ / "shared").string());
            return;
        }
        moto_ = std::make_unique<MotoServer>();
        moto_->create_bucket(kBucket);
        store_ = blob::open_blob_store(std::string("s3://") + kBucket + "/renders/v1", settings());
    }

    blob::S3Settings settings() const {
        blob::S3Settings s3;
        s3.endpoint = moto_->endpoint();
        s3.access_key_id = "kompo-test";
        s3.secret_access_key = "kompo-test-secret";
        return s3;
    }

    fs::path dir_;
    std::unique_ptr<MotoServer> moto_;
    std::unique_ptr<blob::BlobStore> store_;
};

TEST_P(BlobStoreContract, RoundTripsAnObjectStreamedFromAndToFiles) {
    constexpr std::size_t kBytes = 24 << 20;
    const auto source = dir_ / "segment.mp4";
    write_noise(source, kBytes, 7);
    const auto memory_before = peak_memory_kib();

    store_->put("ab/ab12ef.mp4", source);
    EXPECT_TRUE(store_->exists("ab/ab12ef.mp4"));
    EXPECT_EQ(store_->size("ab/ab12ef.mp4"), kBytes);
    const auto copy = dir_ / "cache" / "ab12ef.mp4";
    ASSERT_TRUE(store_->get("ab/ab12ef.mp4", copy));

    EXPECT_TRUE(same_bytes(source, copy));
    EXPECT_EQ(files_in(dir_ / "cache"), std::vector<std::string>{"ab12ef.mp4"});
    // Streamed: the 24 MiB went through a small buffer, never whole into memory.
    EXPECT_LT(peak_memory_kib() - memory_before, 12 * 1024);

    store_->remove("ab/ab12ef.mp4");
    EXPECT_FALSE(store_->exists("ab/ab12ef.mp4"));
    EXPECT_EQ(store_->size("ab/ab12ef.mp4"), std::nullopt);
}

TEST_P(BlobStoreContract, AMissingObjectLeavesTheDestinationAlone) {
    const auto destination = dir_ / "cache" / "kept.mp4";
    fs::create_directories(destination.parent_path());
    write_text(destination, "what was there");

    EXPECT_FALSE(store_->get("cd/cd34.mp4", destination));
    EXPECT_FALSE(store_->exists("cd/cd34.mp4"));
    EXPECT_EQ(store_->size("cd/cd34.mp4"), std::nullopt);
    store_->remove("cd/cd34.mp4");  // no error

    EXPECT_EQ(read_text(destination), "what was there");
    EXPECT_EQ(files_in(destination.parent_path()), std::vector<std::string>{"kept.mp4"});
}

TEST_P(BlobStoreContract, AFailedPutLeavesWhatWasThere) {
    const auto first = dir_ / "first.aac";
    write_text(first, "first version");
    store_->put("ef/ef56.aac", first);

    const auto missing = dir_ / "never-written.aac";
    try {
        store_->put("ef/ef56.aac", missing);
        FAIL() << "a put from a missing file succeeded";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::io);
        EXPECT_NE(std::string(e.what()).find(missing.string()), std::string::npos) << e.what();
    }
    EXPECT_THROW(store_->put("../escape.aac", first), Error);

    const auto got = dir_ / "got.aac";
    ASSERT_TRUE(store_->get("ef/ef56.aac", got));
    EXPECT_EQ(read_text(got), "first version");
    EXPECT_EQ(store_->size("ef/ef56.aac"), std::string("first version").size());

    // A second put replaces the object whole.
    write_text(first, "second, longer version");
    store_->put("ef/ef56.aac", first);
    ASSERT_TRUE(store_->get("ef/ef56.aac", got));
    EXPECT_EQ(read_text(got), "second, longer version");
    if (GetParam() == "file") {
        // No temporary file is left beside the object.
        EXPECT_EQ(files_in(dir_ / "shared"), std::vector<std::string>{"ef/ef56.aac"});
    }
}

INSTANTIATE_TEST_SUITE_P(Backends, BlobStoreContract, ::testing::Values("file", "s3"),
                         [](const auto& info) { return info.param; });

// What a user sees when the bucket or the server is wrong: one line naming the url.
TEST(S3BlobStore, NamesTheUrlAndS3sCodeWhenItRefuses) {
    const auto dir = scratch_dir();
    MotoServer moto;
    blob::S3Settings s3;
    s3.endpoint = moto.endpoint();
    s3.access_key_id = "kompo-test";
    s3.secret_access_key = "kompo-test-secret";
    const auto source = dir / "piece.mp4";
    write_text(source, "bytes");

    const auto store = blob::open_blob_store("s3://no-such-bucket/p", s3);
    try {
        store->put("ab/ab.mp4", source);
        FAIL() << "a put into a missing bucket succeeded";
    } catch (const Error& e) {
        const std::string message = e.what();
        EXPECT_EQ(message, "s3://no-such-bucket/p: PUT ab/ab.mp4: answered HTTP 404 NoSuchBucket");
    }

    s3.endpoint = "http://127.0.0.1:" + std::to_string(free_loopback_port());
    const auto unreachable = blob::open_blob_store("s3://no-such-bucket/p", s3);
    try {
        unreachable->exists("ab/ab.mp4");
        FAIL() << "a server that is not there answered";
    } catch (const Error& e) {
        const std::string message = e.what();
        EXPECT_EQ(e.kind(), ErrorKind::io);
        EXPECT_EQ(message.rfind("s3://no-such-bucket/p: HEAD ab/ab.mp4: ", 0), 0u) << message;
        EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    }
}

}  // namespace
}  // namespace kompo::test

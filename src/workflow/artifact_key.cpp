#include "workflow/artifact_key.hpp"

#include <sodium.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <memory>
#include <system_error>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "workflow/piece_json.hpp"

namespace kompo::workflow {
namespace {

using nlohmann::json;

constexpr std::size_t file_chunk_bytes = 1 << 20;

struct CloseFile {
    void operator()(std::FILE* file) const { std::fclose(file); }
};

void ensure_sodium() {
    // sodium_init is idempotent and thread-safe; the static runs it once per process.
    static const bool ready = sodium_init() >= 0;
    if (!ready) throw Error::internal("libsodium failed to initialise");
}

std::string hex_of(const std::array<unsigned char, crypto_generichash_BYTES>& digest) {
    std::array<char, crypto_generichash_BYTES * 2 + 1> hex{};
    sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
    return std::string(hex.data(), crypto_generichash_BYTES * 2);
}

[[noreturn]] void fail_reading(const std::filesystem::path& path, int error_number) {
    throw Error::io(path.string() +
                    ": cannot read: " + std::generic_category().message(error_number));
}

// nlohmann::json (not ordered_json) keeps object members sorted, so dump() is canonical.
std::string key_of(const char* op, json params, json inputs) {
    const json document{{"engine", engine_version()},
                        {"op", op},
                        {"params", std::move(params)},
                        {"inputs", std::move(inputs)}};
    try {
        return hash_hex(document.dump());
    } catch (const json::exception& error) {
        throw Error::internal(std::string(op) + " key: " + error.what());
    }
}

// A source's content is the input; no source, no input.
json source_inputs(const std::string& source_content_hash) {
    return source_content_hash.empty() ? json::array() : json::array({source_content_hash});
}

void check_source_hash(const char* op, bool has_source, const std::string& source_content_hash) {
    if (has_source == !source_content_hash.empty()) return;
    throw Error::internal(std::string(op) + " key: " +
                          (has_source ? "the source's content hash is missing"
                                      : "a content hash was given for a piece without a source"));
}

}  // namespace

std::string engine_version() {
    // Bump whenever a change alters the bytes of any render output (encoder settings,
    // filters, muxing, an FFmpeg upgrade): every cached artifact then becomes a miss.
    return "kompo-render-1";
}

std::string hash_hex(std::string_view bytes) {
    ensure_sodium();
    std::array<unsigned char, crypto_generichash_BYTES> digest{};
    crypto_generichash(digest.data(), digest.size(),
                       reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), nullptr,
                       0);
    return hex_of(digest);
}

std::string file_content_hash(const std::filesystem::path& path) {
    ensure_sodium();
    const std::unique_ptr<std::FILE, CloseFile> file(std::fopen(path.c_str(), "rb"));
    if (!file) fail_reading(path, errno);
    crypto_generichash_state state;
    crypto_generichash_init(&state, nullptr, 0, crypto_generichash_BYTES);
    std::vector<unsigned char> chunk(file_chunk_bytes);
    while (const std::size_t count = std::fread(chunk.data(), 1, chunk.size(), file.get())) {
        crypto_generichash_update(&state, chunk.data(), count);
    }
    if (std::ferror(file.get())) fail_reading(path, errno);
    std::array<unsigned char, crypto_generichash_BYTES> digest{};
    crypto_generichash_final(&state, digest.data(), digest.size());
    return hex_of(digest);
}

std::string segment_key(const plan::SegmentPiece& piece, const std::string& source_content_hash) {
    check_source_hash("segment", piece.kind != plan::PictureKind::black, source_content_hash);
    json params = to_json(piece);
    for (const char* ignored : {"segment_id", "where", "first_frame", "source_path"}) {
        params.erase(ignored);
    }
    return key_of("segment", std::move(params), source_inputs(source_content_hash));
}

std::string join_key(const plan::JoinPiece& piece, const std::vector<std::string>& input_keys) {
    return key_of("join", to_json(piece), json(input_keys));
}

std::string sound_key(const plan::SoundPiece& piece, const std::string& source_content_hash) {
    check_source_hash("sound", piece.source_path.has_value(), source_content_hash);
    json params = to_json(piece);
    params.erase("where");
    params.erase("source_path");
    return key_of("sound", std::move(params), source_inputs(source_content_hash));
}

std::string mux_key(const plan::MuxPiece& piece, const std::string& video_key,
                    const std::string& audio_key) {
    return key_of("mux", to_json(piece), json::array({video_key, audio_key}));
}

}  // namespace kompo::workflow

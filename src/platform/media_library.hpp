#pragma once
// The tenant's media: uploaded files kept in DATA_DIR/media/<tenant>/, each described by
// a document of type Video, Audio or Image (what kompositions' source urls name). A file
// is probed before it is kept: an undecodable one is refused and deleted.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "platform/platform.hpp"
#include "platform/rows.hpp"

namespace kompo::platform {

class MediaLibrary {
  public:
    explicit MediaLibrary(Platform& platform) : platform_(platform) {}

    // Moves `uploaded` (a finished upload) in as `name`. Throws Error(invalid_input)
    // naming `name` when it is not a plain file name, Error(media) when the file is not
    // a decodable medium, RevisionConflict when `name` exists and `replace` is false.
    // `uploaded` is gone afterwards in every case.
    Document add(const std::string& tenant, const std::filesystem::path& uploaded,
                 const std::string& name, bool replace);
    // Throws as add() would for `name` before a byte of it is sent: Error(invalid_input)
    // when it is not plain, RevisionConflict when it is taken (a komposition's id, or a
    // medium while `replace` is false). Resumable uploads ask this when announced.
    void check_can_add(const std::string& tenant, const std::string& name, bool replace);
    // The medium's document and its file, when it is the tenant's.
    std::optional<std::pair<Document, std::filesystem::path>> find(const std::string& tenant,
                                                                   const std::string& name);

    // The ids of the tenant's kompositions with a source naming the medium (url "NAME"
    // or "file://NAME"), in id order: what deleting it would break.
    std::vector<std::string> kompositions_using(const std::string& tenant, const std::string& name);
    // Deletes the medium: its document first (a tombstone; the medium is gone for every
    // reader from then on), then its file, so a crash between the two leaves an unlisted
    // file that the next upload of the name replaces, never a listed medium without its
    // file. False when the tenant has no such medium.
    bool remove(const std::string& tenant, const std::string& name);

  private:
    // The medium `name` replaces, if any; throws as check_can_add.
    std::optional<Document> admissible(const std::string& tenant, const std::string& name,
                                       bool replace);

    Platform& platform_;
};

// A plain, safe file name ("clip_1.mp4"); throws Error(invalid_input) naming it otherwise
// (quoted with control and non-ASCII bytes as \xNN, so the message is always valid JSON).
void check_media_name(const std::string& name);

}  // namespace kompo::platform

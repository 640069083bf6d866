#include "workflow/source_hash.hpp"

#include <sys/stat.h>

#include "core/error.hpp"

namespace kompo::workflow {

FileStamp stamp_of(const std::filesystem::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) throw Error::media(path.string() + ": file not found");
    return FileStamp{st.st_size, st.st_mtim.tv_sec * 1'000'000'000LL + st.st_mtim.tv_nsec};
}

std::optional<std::string> remembered_content_hash(WorkflowStore& store,
                                                   const std::filesystem::path& path,
                                                   const FileStamp& stamp) {
    std::optional<std::string> hash;
    store.read([&](WorkflowRows& tx) { hash = tx.source_hash(path, stamp.size, stamp.mtime_ns); });
    return hash;
}

void remember_content_hash(WorkflowStore& store, const std::filesystem::path& path,
                           const FileStamp& stamp, const std::string& hash) {
    store.write(
        [&](WorkflowRows& tx) { tx.put_source_hash(path, stamp.size, stamp.mtime_ns, hash); });
}

}  // namespace kompo::workflow

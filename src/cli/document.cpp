#include "cli/document.hpp"

#include <cerrno>
#include <cstring>

#include <unistd.h>

#include <fstream>
#include <sstream>

#include "core/error.hpp"

namespace kompo::cli {

namespace fs = std::filesystem;

komp::Komposition load_komposition(const std::string& path) {
    if (fs::is_directory(path))
        throw Error::invalid(path + ": is a folder, not a komposition file");
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw Error::invalid(path + ": cannot read (" +
                             (fs::exists(path) ? "permission denied" : "no such file") + ")");
    }
    std::ostringstream text;
    text << in.rdbuf();
    auto komposition = komp::parse(text.str(), fs::path(path).filename().string());
    komp::validate(komposition);
    return komposition;
}

fs::path media_root_for(const std::string& komposition, const std::string& flag) {
    if (!flag.empty()) return fs::absolute(flag);
    return fs::absolute(komposition).parent_path();
}

namespace {

// Why a file could not be written, for the one-line error: a missing folder says so.
std::string write_failure_reason(const fs::path& path, int error_number) {
    const auto folder = path.parent_path().empty() ? fs::path(".") : path.parent_path();
    std::error_code ignored;
    if (!fs::is_directory(folder, ignored))
        return ": the folder " + folder.string() + " does not exist";
    return error_number != 0 ? ": " + std::string(std::strerror(error_number)) : std::string();
}

}  // namespace

void write_file_atomically(const fs::path& path, const std::string& text) {
    const fs::path temp =
        path.parent_path() / ("." + path.filename().string() + ".tmp-" + std::to_string(getpid()));
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        out << text;
        out.close();
        if (!out) {
            const int why = errno;  // of the failed open or write, before anything else runs
            std::error_code ignored;
            fs::remove(temp, ignored);
            throw Error::io(path.string() + ": cannot write" + write_failure_reason(path, why));
        }
    }
    std::error_code ec;
    fs::rename(temp, path, ec);
    if (ec) {
        fs::remove(temp, ec);
        throw Error::io(path.string() + ": cannot write: " + ec.message());
    }
}

}  // namespace kompo::cli

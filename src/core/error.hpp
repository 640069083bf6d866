#pragma once
// Errors end the operation they occur in (DuckDB's rule: exceptions only for that).
// The kind decides the exit code of `kompo` (and later the HTTP status); the message is
// one line that names the field or file and what is wrong.
#include <stdexcept>
#include <string>

namespace kompo {

enum class ErrorKind {
    invalid_input,  // the komposition (or a flag) is wrong: fix the input
    media,          // a medium is missing, undecodable, or too short for its window
    io,             // the file system refused (permissions, disk full)
    cancelled,      // the user interrupted
    internal,       // a bug or an unexpected library failure
};

// The kind's stored and shown name: "invalid_input", "media", "io", ...
inline const char* error_kind_name(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::invalid_input:
            return "invalid_input";
        case ErrorKind::media:
            return "media";
        case ErrorKind::io:
            return "io";
        case ErrorKind::cancelled:
            return "cancelled";
        case ErrorKind::internal:
            break;
    }
    return "internal";
}

inline ErrorKind error_kind_from(const std::string& name) {
    for (auto kind :
         {ErrorKind::invalid_input, ErrorKind::media, ErrorKind::io, ErrorKind::cancelled}) {
        if (name == error_kind_name(kind)) return kind;
    }
    return ErrorKind::internal;
}

class Error : public std::runtime_error {
  public:
    Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
    ErrorKind kind() const { return kind_; }

    static Error invalid(const std::string& m) { return {ErrorKind::invalid_input, m}; }
    static Error media(const std::string& m) { return {ErrorKind::media, m}; }
    static Error io(const std::string& m) { return {ErrorKind::io, m}; }
    static Error cancelled(const std::string& m) { return {ErrorKind::cancelled, m}; }
    static Error internal(const std::string& m) { return {ErrorKind::internal, m}; }

  private:
    ErrorKind kind_;
};

}  // namespace kompo

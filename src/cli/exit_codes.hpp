#pragma once
#include "core/error.hpp"

namespace kompo::cli {

// The exit codes `kompo --help` documents.
enum ExitCode : int {
    kOk = 0,
    kInternal = 1,
    kUsage = 2,
    kInvalidInput = 3,
    kMedia = 4,
    kIo = 5,
    kInterrupted = 130,
};

inline int exit_code_for(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::invalid_input:
            return kInvalidInput;
        case ErrorKind::media:
            return kMedia;
        case ErrorKind::io:
            return kIo;
        case ErrorKind::cancelled:
            return kInterrupted;
        case ErrorKind::internal:
            return kInternal;
    }
    return kInternal;
}

inline constexpr const char* kExitCodesHelp =
    "Exit codes: 0 success; 1 internal error; 2 usage error (flags); 3 invalid komposition "
    "or input; 4 media missing, undecodable or too short; 5 file system error; "
    "130 interrupted (Ctrl-C, SIGTERM): no output file is left behind.";

}  // namespace kompo::cli

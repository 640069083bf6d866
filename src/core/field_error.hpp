#pragma once
// Invalid input about one field: its path travels as data ("segments[0].end"), so the
// server's 422 names the field without reading it back out of the message.
#include <string>
#include <utility>

#include "core/error.hpp"

namespace kompo {

class FieldError : public Error {
  public:
    // The message is "<field>: <what>", one line like every Error's.
    FieldError(std::string field, const std::string& what)
        : Error(ErrorKind::invalid_input, field + ": " + what), field_(std::move(field)) {}
    const std::string& field() const { return field_; }

  private:
    std::string field_;
};

}  // namespace kompo

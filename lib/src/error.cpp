#include "slimcap/error.hpp"

#include <cstring>

#include <fmt/format.h>

namespace slimcap {

SystemError::SystemError(const std::string& what, int error_number)
    : Error(fmt::format("{}: {}", what, std::strerror(error_number))), error_number_(error_number) {}

}  // namespace slimcap

#include "slimcap/error.hpp"

#include <cstring>

namespace slimcap {

SystemError::SystemError(const std::string& what, int error_number)
    : Error(what + ": " + std::strerror(error_number)), error_number_(error_number) {}

}  // namespace slimcap

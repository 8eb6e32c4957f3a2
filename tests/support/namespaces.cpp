#include "namespaces.hpp"

#include <doctest/doctest.h>
#include <unistd.h>

#include "capture_builder.hpp"

namespace slimcap::test {

// MESSAGE prints a char pointer as an address: the text goes in as one std::string.
bool can_create_namespaces(const std::string& name) {
  if (::geteuid() != 0) {
    const std::string why = name + ": skipped, needs root to create network namespaces";
    MESSAGE(why);
    return false;
  }
  if (!have_program("ip")) {
    const std::string why = name + ": skipped, iproute2's ip is not installed";
    MESSAGE(why);
    return false;
  }
  return true;
}

}  // namespace slimcap::test

#pragma once
// For the tests that create network namespaces and veth pairs.

#include <string>

namespace slimcap::test {

// True when this process can create network namespaces with iproute2 (root, `ip` installed);
// otherwise prints "<name>: skipped, <why>" as a doctest MESSAGE and returns false.
bool can_create_namespaces(const std::string& name);

}  // namespace slimcap::test

#pragma once
// Counts the process's operator new calls (allocation_counter.cpp replaces the global
// operator new and delete), for tests that show a path allocates nothing.

#include <cstddef>

namespace slimcap::test {
std::size_t allocation_count() noexcept;
}  // namespace slimcap::test

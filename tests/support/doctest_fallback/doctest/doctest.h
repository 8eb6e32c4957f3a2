// Only on the include path when doctest comes from subprojects/doctest.wrap: that build exports
// the directory holding doctest.h, so <doctest/doctest.h> (Debian's layout) is forwarded here.
#pragma once
#include <doctest.h>

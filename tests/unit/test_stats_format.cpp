// Human units and the quoting rules of the machine formats.

#include <doctest/doctest.h>

#include <cmath>

#include "slimcap/stats_format.hpp"

using namespace slimcap;

TEST_SUITE("stats_format") {
  TEST_CASE("prints counts with an SI prefix and three significant digits") {
    CHECK(human_units(0) == "0");
    CHECK(human_units(999) == "999");
    CHECK(human_units(1234) == "1.23 k");
    CHECK(human_units(81234) == "81.2 k");
    CHECK(human_units(812345) == "812 k");
    CHECK(human_units(1.23e6) == "1.23 M");
    CHECK(human_units(999600) == "1.00 M");
    CHECK(human_units(2.5e15) == "2.50 P");
    CHECK(human_units(0.5) == "0.50");
    CHECK(human_units(12.5) == "12.5");
  }
  TEST_CASE("appends a unit after the prefix") {
    CHECK(human_units(1.5e6, "bit/s") == "1.50 Mbit/s");
    CHECK(human_units(42, "B") == "42 B");
  }
  TEST_CASE("prints a dash for values that are no count") {
    CHECK(human_units(-1) == "-");
    CHECK(human_units(std::nan("")) == "-");
    CHECK(human_units(INFINITY) == "-");
  }
  TEST_CASE("escapes JSON strings") {
    CHECK(json_string("eth0") == "\"eth0\"");
    CHECK(json_string("a\"b\\c") == "\"a\\\"b\\\\c\"");
    CHECK(json_string("a\nb\t\x01") == "\"a\\nb\\t\\u0001\"");
    CHECK(json_string("caf\xc3\xa9") == "\"caf\xc3\xa9\"");
  }
  TEST_CASE("quotes CSV fields only when needed") {
    CHECK(csv_field("a.pcap") == "a.pcap");
    CHECK(csv_field("a,b.pcap") == "\"a,b.pcap\"");
    CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csv_field("line\nbreak") == "\"line\nbreak\"");
    CHECK(csv_field(" lead") == "\" lead\"");
    CHECK(csv_field("") == "");
  }
  TEST_CASE("escapes Prometheus label values") {
    CHECK(prometheus_label_value("eth0") == "eth0");
    CHECK(prometheus_label_value("a\\b\"c\nd") == "a\\\\b\\\"c\\nd");
  }
}

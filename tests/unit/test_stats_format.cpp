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
  TEST_CASE("measures well-formed UTF-8 sequences and refuses ill-formed ones") {
    CHECK(utf8_sequence_length("a") == 1);
    CHECK(utf8_sequence_length("\xc3\xa9") == 2);              // U+00E9
    CHECK(utf8_sequence_length("\xe2\x82\xac") == 3);          // U+20AC
    CHECK(utf8_sequence_length("\xf0\x9f\x98\x80") == 4);      // U+1F600
    CHECK(utf8_sequence_length("\xf4\x8f\xbf\xbf") == 4);      // U+10FFFF
    CHECK(utf8_sequence_length("\xef\xbf\xbd") == 3);          // U+FFFD
    CHECK(utf8_sequence_length("\xed\x9f\xbf") == 3);          // U+D7FF, below the surrogates
    CHECK(utf8_sequence_length("") == 0);
    CHECK(utf8_sequence_length("\x80") == 0);                  // a stray continuation byte
    CHECK(utf8_sequence_length("\xff") == 0);
    CHECK(utf8_sequence_length("\xc0\xaf") == 0);              // overlong '/'
    CHECK(utf8_sequence_length("\xc1\xbf") == 0);              // overlong
    CHECK(utf8_sequence_length("\xe0\x80\xaf") == 0);          // overlong '/'
    CHECK(utf8_sequence_length("\xf0\x80\x80\xaf") == 0);      // overlong '/'
    CHECK(utf8_sequence_length("\xed\xa0\x80") == 0);          // U+D800, a surrogate
    CHECK(utf8_sequence_length("\xed\xbf\xbf") == 0);          // U+DFFF
    CHECK(utf8_sequence_length("\xf4\x90\x80\x80") == 0);      // above U+10FFFF
    CHECK(utf8_sequence_length("\xf5\x80\x80\x80") == 0);
    CHECK(utf8_sequence_length("\xe2\x82") == 0);              // cut short
    CHECK(utf8_sequence_length("\xf0\x9f\x98") == 0);
    CHECK(utf8_sequence_length("\xe2\x82x") == 0);             // not followed by a continuation
  }
  TEST_CASE("escapes each byte of invalid UTF-8 in JSON as \\u00XX and keeps valid UTF-8") {
    // A Linux interface name is any bytes but '/', NUL and blanks.
    CHECK(json_string("d\xff\"x") == "\"d\\u00ff\\\"x\"");
    CHECK(json_string("caf\xe9") == "\"caf\\u00e9\"");      // latin-1
    CHECK(json_string("\xc0\xaf") == "\"\\u00c0\\u00af\"");
    CHECK(json_string("\xed\xa0\x80") == "\"\\u00ed\\u00a0\\u0080\"");
    CHECK(json_string("\xe2\x82") == "\"\\u00e2\\u0082\"");
    CHECK(json_string("a\xe2\x82\xac\xe2\x82") == "\"a\xe2\x82\xac\\u00e2\\u0082\"");
    CHECK(json_string("\xf0\x9f\x98\x80\xf4\x90\x80\x80") ==
          "\"\xf0\x9f\x98\x80\\u00f4\\u0090\\u0080\\u0080\"");
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
  TEST_CASE("replaces each invalid UTF-8 byte with U+FFFD in Prometheus label values") {
    CHECK(prometheus_label_value("d\xff\"x") == "d\xef\xbf\xbd\\\"x");
    CHECK(prometheus_label_value("caf\xc3\xa9") == "caf\xc3\xa9");
    CHECK(prometheus_label_value("\xed\xa0\x80") == "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    CHECK(prometheus_label_value("\xe0\x80\xaf") == "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    CHECK(prometheus_label_value("a\xe2\x82") == "a\xef\xbf\xbd\xef\xbf\xbd");
    CHECK(utf8_replacing_invalid("\xff") == "\xef\xbf\xbd");
  }
}

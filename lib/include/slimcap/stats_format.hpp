#pragma once
// Small output helpers shared by the `stats` outputs (file summaries and live rows): human
// units for people, and the quoting rules of the three machine formats (JSON, CSV, Prometheus
// text). None of them is on a per-packet path.

#include <string>
#include <string_view>

#include "slimcap/output_buffer.hpp"

namespace slimcap {

// A count or rate with an SI prefix (powers of 1000) and three significant digits:
// 999 -> "999", 1234 -> "1.23 k", 81234 -> "81.2 k", 812345 -> "812 k", 1.23e6 -> "1.23 M",
// up to "P". Below 1000 a whole number prints whole ("42") and a fraction with three
// significant digits ("0.500", "12.5"). Negative, NaN or infinite values print as "-".
// `unit` follows the prefix: human_units(1.5e6, "bit/s") is "1.50 Mbit/s",
// human_units(42, "B") is "42 B".
std::string human_units(double value, std::string_view unit = {});

// The length of the well-formed UTF-8 sequence at the start of `text` (RFC 3629: no overlong
// forms, no surrogates, nothing above U+10FFFF), or 0 when its first byte begins none (a
// stray continuation byte, an invalid lead byte, or a sequence cut short). Interface names and
// file names are bytes on Linux, not necessarily UTF-8.
std::size_t utf8_sequence_length(std::string_view text) noexcept;

// `text` as a JSON string, quotes included: '"', '\\' and control characters escaped
// (\n, \t, \r, \b, \f, else \u00XX); well-formed UTF-8 as it is; each byte of an invalid
// sequence as \u00XX, so that the output is always valid JSON and a reader that takes the
// name as latin-1 gets its bytes back.
void append_json_string(OutputBuffer& out, std::string_view text);
// The next member's key of an object already open: ,"key":
void append_json_key(OutputBuffer& out, std::string_view key);
std::string json_string(std::string_view text);

// One CSV field (RFC 4180): as it is, or in double quotes (inner quotes doubled) when it holds
// a comma, a quote, CR or LF, or starts or ends with a blank.
std::string csv_field(std::string_view text);

// A Prometheus text-format label value, without the quotes: '\\' -> "\\\\", '"' -> "\\\"",
// newline -> "\\n" (the exposition format's three escapes); each byte of an invalid UTF-8
// sequence becomes U+FFFD (the format requires UTF-8).
std::string prometheus_label_value(std::string_view text);

// `text` with each byte of an invalid UTF-8 sequence replaced by U+FFFD (for formats that
// require UTF-8 and have no way to carry other bytes: Prometheus labels, SVG/XML text).
std::string utf8_replacing_invalid(std::string_view text);

}  // namespace slimcap

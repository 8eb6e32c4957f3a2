#include "slimcap/stats_format.hpp"

#include <cmath>

#include <fmt/format.h>

namespace slimcap {

std::string human_units(double value, std::string_view unit) {
  if (!std::isfinite(value) || value < 0) return "-";
  static constexpr const char* kPrefixes[] = {"", "k", "M", "G", "T", "P"};
  std::size_t prefix = 0;
  // Rounding to three digits may carry into the next prefix (999.6 k -> "1.00 M").
  while (prefix + 1 < std::size(kPrefixes) && value >= 999.5) {
    value /= 1000;
    ++prefix;
  }
  std::string text;
  if (prefix == 0 && value == std::floor(value)) {
    text = fmt::format("{:.0f}", value);
  } else {
    const int decimals = value < 9.995 ? 2 : value < 99.95 ? 1 : 0;
    text = fmt::format("{:.{}f}", value, decimals);
  }
  if (prefix > 0 || !unit.empty()) text += ' ';
  text += kPrefixes[prefix];
  text += unit;
  return text;
}

std::size_t utf8_sequence_length(std::string_view text) noexcept {
  if (text.empty()) return 0;
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  // The range of the second byte narrows for E0 (overlong), ED (surrogates), F0 (overlong)
  // and F4 (above U+10FFFF); C0, C1 and F5..FF begin nothing (RFC 3629, table 3-7 of Unicode).
  std::size_t length;
  unsigned char low = 0x80, high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead == 0xe0) low = 0xa0;
    if (lead == 0xed) high = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead == 0xf0) low = 0x90;
    if (lead == 0xf4) high = 0x8f;
  } else {
    return 0;
  }
  if (text.size() < length) return 0;
  if (byte(1) < low || byte(1) > high) return 0;
  for (std::size_t i = 2; i < length; ++i)
    if (byte(i) < 0x80 || byte(i) > 0xbf) return 0;
  return length;
}

std::string utf8_replacing_invalid(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    const std::size_t n = utf8_sequence_length(text);
    if (n == 0) {
      out += "\xef\xbf\xbd";  // U+FFFD
      text.remove_prefix(1);
    } else {
      out.append(text.substr(0, n));
      text.remove_prefix(n);
    }
  }
  return out;
}

void append_json_string(OutputBuffer& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.append('"');
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) {
      const std::size_t n = utf8_sequence_length(text.substr(i));
      if (n == 0) {
        out.append("\\u00");
        out.append(kHex[u >> 4]);
        out.append(kHex[u & 15]);
      } else {
        out.append(text.substr(i, n));
        i += n - 1;
      }
      continue;
    }
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\n': out.append("\\n"); break;
      case '\t': out.append("\\t"); break;
      case '\r': out.append("\\r"); break;
      case '\b': out.append("\\b"); break;
      case '\f': out.append("\\f"); break;
      default:
        if (u < 0x20) {
          out.append("\\u00");
          out.append(kHex[u >> 4]);
          out.append(kHex[u & 15]);
        } else {
          out.append(c);
        }
    }
  }
  out.append('"');
}

std::string json_string(std::string_view text) {
  OutputBuffer out(text.size() + 16);
  append_json_string(out, text);
  return std::string(out.view());
}

std::string csv_field(std::string_view text) {
  const bool quote = text.find_first_of(",\"\r\n") != std::string_view::npos ||
                     (!text.empty() && (text.front() == ' ' || text.back() == ' '));
  if (!quote) return std::string(text);
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string prometheus_label_value(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : utf8_replacing_invalid(text)) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void append_json_key(OutputBuffer& out, std::string_view key) {
  out.append(',');
  append_json_string(out, key);
  out.append(':');
}

}  // namespace slimcap

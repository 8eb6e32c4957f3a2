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

void append_json_string(OutputBuffer& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.append('"');
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
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
  for (const char c : text) {
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

}  // namespace slimcap

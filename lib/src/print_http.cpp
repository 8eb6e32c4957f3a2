// HTTP on TCP 80 and 8080 as tcpdump 4.99 prints it (print-http.c through txtproto_print()
// of util-print.c): "HTTP" and, when the payload starts with a request or status line, that
// line (": GET / HTTP/1.1"), or with -v ", length: N" and every text line after a tab.

#include <cstdint>
#include <string_view>

#include "print_internal.hpp"

namespace slimcap::detail {

namespace {

// Longer tokens are not a method nor a status code (tcpdump's MAX_TOKEN, with the NUL).
constexpr std::uint32_t kTokenRoom = 129;

constexpr std::string_view kMethods[] = {
    "GET"sv,       "PUT"sv,        "COPY"sv,       "HEAD"sv,        "LOCK"sv,
    "MOVE"sv,      "POLL"sv,       "POST"sv,       "BCOPY"sv,       "BMOVE"sv,
    "MKCOL"sv,     "TRACE"sv,      "LABEL"sv,      "MERGE"sv,       "DELETE"sv,
    "SEARCH"sv,    "UNLOCK"sv,     "REPORT"sv,     "UPDATE"sv,      "NOTIFY"sv,
    "BDELETE"sv,   "CONNECT"sv,    "OPTIONS"sv,    "CHECKIN"sv,     "PROPFIND"sv,
    "CHECKOUT"sv,  "CCM_POST"sv,   "SUBSCRIBE"sv,  "PROPPATCH"sv,   "BPROPFIND"sv,
    "BPROPPATCH"sv, "UNCHECKOUT"sv, "MKACTIVITY"sv, "MKWORKSPACE"sv, "UNSUBSCRIBE"sv,
    "RPC_CONNECT"sv, "VERSION-CONTROL"sv, "BASELINE-CONTROL"sv};

bool printable(std::uint8_t ch) { return ch >= 0x20 && ch < 0x7f; }

bool same_ignoring_case(const std::uint8_t* token, std::uint32_t n, std::string_view word) {
  if (n != word.size()) return false;
  for (std::uint32_t i = 0; i < n; ++i) {
    std::uint8_t ch = token[i];
    if (ch >= 'a' && ch <= 'z') ch = static_cast<std::uint8_t>(ch - 'a' + 'A');
    if (ch != static_cast<std::uint8_t>(word[i])) return false;
  }
  return true;
}

struct Text {
  const Context& c;
  std::uint32_t offset;  // of the payload
  std::uint32_t length;  // on the wire
  bool have(std::uint32_t i) const { return c.captured(offset + i, 1); }
  std::uint8_t at(std::uint32_t i) const { return c.data()[offset + i]; }

  // tcpdump's fetch_token(): the token from `i` (its start and size in *start, *size) and the
  // index after it and the blanks behind it, 0 when there is none.
  std::uint32_t token(std::uint32_t i, std::uint32_t* start, std::uint32_t* size) const {
    std::uint32_t n = 0;
    *start = i;
    for (; i < length; ++i) {
      if (!have(i)) return 0;
      const std::uint8_t ch = at(i);
      if (ch >= 0x80) return 0;
      if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') break;
      if (!printable(ch)) return 0;
      if (n + 2 > kTokenRoom) return 0;
      ++n;
    }
    if (n == 0) return 0;
    *size = n;
    for (; i < length; ++i) {
      if (!have(i)) break;
      const std::uint8_t ch = at(i);
      if (ch == '\r' || ch == '\n' || !printable(ch)) break;
      if (ch != ' ') break;  // a tab is not printable: the loop ended above
    }
    return i;
  }

  // tcpdump's print_txt_line(): the line from `i` after `prefix`, without its end; returns
  // the index after the end, 0 when the line is not text (nothing printed) or the payload
  // ended (the line and " [|http]"); *cut when a read went past the capture.
  std::uint32_t line(std::string_view prefix, std::uint32_t i, bool* cut) const {
    const std::uint32_t start = i;
    std::uint32_t end = 0;
    std::uint32_t next = 0;
    for (; i < length; ++i) {
      if (!have(i)) {
        *cut = true;
        return 0;
      }
      const std::uint8_t ch = at(i);
      if (ch == '\n') {
        end = i;
        next = i + 1;
        break;
      }
      if (ch == '\r') {
        if (i + 1 >= length) return 0;
        if (!have(i + 1)) {
          *cut = true;
          return 0;
        }
        if (at(i + 1) != '\n') return 0;
        end = i;
        next = i + 2;
        break;
      }
      if (!printable(ch) && ch != '\t') return 0;
    }
    OutputBuffer& out = c.out;
    out.append(prefix);
    if (next == 0) end = i;
    out.append(std::string_view(reinterpret_cast<const char*>(c.data() + offset + start),
                                end - start));
    if (next == 0) out.append(" [|http]");
    return next;
  }
};

}  // namespace

void print_http(const Context& c, std::uint32_t offset, std::uint32_t length) {
  OutputBuffer& out = c.out;
  const Text t{c, offset, length};
  bool request_or_status = false;
  std::uint32_t start = 0, size = 0;
  std::uint32_t i = t.token(0, &start, &size);
  if (i != 0) {
    for (const std::string_view method : kMethods) {
      if (same_ignoring_case(c.data() + offset + start, size, method)) {
        request_or_status = true;
        break;
      }
    }
    // A status line's second token: three digits.
    i = t.token(i, &start, &size);
    if (i != 0 && size == 3) {
      const std::uint8_t* d = c.data() + offset + start;
      if (d[0] >= '0' && d[0] <= '9' && d[1] >= '0' && d[1] <= '9' && d[2] >= '0' &&
          d[2] <= '9')
        request_or_status = true;
    }
  }
  out.append(": HTTP");
  if (!request_or_status) return;
  bool cut = false;
  if (c.options.verbose > 0) {
    out.append(", length: ");
    out.append_uint(length);
    for (std::uint32_t at = 0; at < length;) {
      at = t.line("\n\t"sv, at, &cut);
      if (at == 0) break;
    }
  } else {
    t.line(": "sv, 0, &cut);
  }
  if (cut) {
    out.append(" [|http]");
    c.dump_whole = true;
  }
}

}  // namespace slimcap::detail

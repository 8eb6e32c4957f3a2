// 802.1X EAPOL and the EAP packets it carries (tcpdump 4.99's print-eap.c): the frame type,
// version and length; with -v the EAP code, id, length and the request/response type with
// its identity, notification, NAK list, TLS/TTLS/FAST flags or SIM/AKA subtype.

#include <cstdint>
#include <string_view>

#include "print_internal.hpp"
#include "slimcap/bytes.hpp"

namespace slimcap::detail {

namespace {

std::string_view frame_type_name(unsigned type) {
  switch (type) {
    case 0: return "EAP packet"sv;
    case 1: return "EAPOL start"sv;
    case 2: return "EAPOL logoff"sv;
    case 3: return "EAPOL key"sv;
    case 4: return "Encapsulated ASF alert"sv;
    default: return "unknown"sv;
  }
}

std::string_view code_name(unsigned code) {
  switch (code) {
    case 1: return "Request"sv;
    case 2: return "Response"sv;
    case 3: return "Success"sv;
    case 4: return "Failure"sv;
    default: return "unknown"sv;
  }
}

std::string_view eap_type_name(unsigned type) {
  switch (type) {
    case 0: return "No proposed"sv;
    case 1: return "Identity"sv;
    case 2: return "Notification"sv;
    case 3: return "Nak"sv;
    case 4: return "MD5-challenge"sv;
    case 5: return "OTP"sv;
    case 6: return "GTC"sv;
    case 13: return "TLS"sv;
    case 18: return "SIM"sv;
    case 21: return "TTLS"sv;
    case 23: return "AKA"sv;
    case 43: return "FAST"sv;
    case 254: return "Expanded types"sv;
    case 255: return "Experimental"sv;
    default: return "unknown"sv;
  }
}

std::string_view aka_subtype_name(unsigned subtype) {
  switch (subtype) {
    case 1: return "Challenge"sv;
    case 2: return "Auth reject"sv;
    case 4: return "Sync failure"sv;
    case 5: return "Identity"sv;
    case 10: return "Start"sv;
    case 11: return "Challenge"sv;
    case 12: return "Notification"sv;
    case 13: return "Reauth"sv;
    case 14: return "Client error"sv;
    default: return "unknown"sv;
  }
}

void append_tls_flags(OutputBuffer& out, std::uint8_t flags) {
  out.append(" flags [");
  bool any = false;
  const auto add = [&](std::uint8_t bit, std::string_view name) {
    if (!(flags & bit)) return;
    if (any) out.append(", ");
    out.append(name);
    any = true;
  };
  add(0x80, "L bit"sv);
  add(0x40, "More fragments bit"sv);
  add(0x20, "Start bit"sv);
  if (!any) out.append("none");
  out.append("] 0x");
  out.append_hex8(flags);
}

// The EAP packet at `at`, `length` as the EAPOL header says.
void print_eap(const Context& c, std::uint32_t at, std::uint32_t length) {
  OutputBuffer& out = c.out;
  if (!c.captured(at, 1) || !c.captured(at + 2, 2)) {  // tcpdump's getter gives up
    out.append(" [|eap]");
    c.dump_whole = true;
    return;
  }
  const std::uint8_t* p = c.data() + at;
  const unsigned code = p[0];
  const std::uint32_t len = load_be16(p + 2);
  if (len != length) {
    out.append("EAP fragment?");
    return;
  }
  out.append(code_name(code));
  out.append(" (");
  out.append_uint(code);
  out.append("), id ");
  out.append_uint(p[1]);
  out.append(", len ");
  out.append_uint(len);
  if (len < 4) {
    out.append(" (too short for EAP header)");
    return;
  }
  if (!c.captured(at, len)) {
    out.append(" [|eap]");
    return;
  }
  if (code != 1 && code != 2) return;
  if (len < 5) {
    out.append(" (too short for EAP request/response)");
    return;
  }
  const unsigned type = p[4];
  out.append("\n\t\t Type ");
  out.append(eap_type_name(type));
  out.append(" (");
  out.append_uint(type);
  out.append(')');
  const auto text = [&](std::uint32_t from) {
    for (std::uint32_t i = from; i < len && p[i] != 0; ++i) append_safe_char(out, p[i]);
  };
  switch (type) {
    case 1:
      if (len > 5) {
        out.append(", Identity: ");
        text(5);
      }
      return;
    case 2:
      if (len < 6) {
        out.append(" (too short for EAP Notification request/response)");
        return;
      }
      out.append(", Notification: ");
      text(5);
      return;
    case 3:
      if (len < 6) {
        out.append(" (too short for EAP Legacy NAK request/response)");
        return;
      }
      for (std::uint32_t i = 5; i < len; ++i) {
        out.append(i == 5 ? " "sv : ", "sv);
        out.append(eap_type_name(p[i]));
        out.append(" (");
        out.append_uint(p[i]);
        out.append(')');
      }
      return;
    case 13:
    case 21:
    case 43: {
      const bool fast = type == 43;
      if (len < 6) {
        out.append(fast ? " (too short for EAP FAST request/response)"sv
                        : " (too short for EAP TLS/TTLS request/response)"sv);
        return;
      }
      if (type == 21) {
        out.append(" TTLSv");
        out.append_uint(p[5] & 7u);
      } else if (fast) {
        out.append(" FASTv");
        out.append_uint(p[5] & 7u);
      }
      append_tls_flags(out, p[5]);
      if (p[5] & 0x80) {
        if (len < 10) {
          out.append(fast ? " (too short for EAP FAST request/response with length)"sv
                          : " (too short for EAP TLS/TTLS request/response with length)"sv);
          return;
        }
        out.append(", len ");
        out.append_uint(load_be32(p + 6));
      }
      return;
    }
    case 18:
    case 23:
      if (len < 6) {
        out.append(" (too short for EAP SIM/AKA request/response)");
        return;
      }
      out.append(" subtype [");
      out.append(aka_subtype_name(p[5]));
      out.append("] 0x");
      out.append_hex8(p[5]);
      return;
    default: return;
  }
}

}  // namespace

void print_eapol(const Context& c, std::uint32_t offset, std::uint32_t) {
  OutputBuffer& out = c.out;
  if (!c.captured(offset, 4)) {
    out.append(" [|eap]");
    return;
  }
  const std::uint8_t* p = c.data() + offset;
  const unsigned type = p[1];
  const std::uint16_t length = load_be16(p + 2);
  out.append(frame_type_name(type));
  out.append(" (");
  out.append_uint(type);
  out.append(") v");
  out.append_uint(p[0]);
  out.append(", len ");
  out.append_uint(length);
  if (c.options.verbose < 1 || type != 0) return;
  if (length == 0) {
    out.append(" [|eap]");
    return;
  }
  out.append(", ");
  print_eap(c, offset + 4, length);
}

}  // namespace slimcap::detail

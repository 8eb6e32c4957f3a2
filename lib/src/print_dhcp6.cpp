// DHCPv6 (UDP 546/547) as tcpdump 4.99 prints it (print-dhcp6.c): "dhcp6 <type>", with -v
// the transaction ID (or a relay's addresses) and the option list on the same line, each
// option as " (name value)", nested options and relayed messages inside their option.
// docs/dissectors/dhcp.md has the shapes and the options left to a marker.

#include <algorithm>
#include <cstdint>
#include <string_view>

#include "print_internal.hpp"

namespace slimcap::detail {

namespace {

constexpr std::string_view kTrunc = " [|dhcp6]"sv;

std::string_view message_name(std::uint8_t type) {
  switch (type) {
    case 1: return "solicit"sv;
    case 2: return "advertise"sv;
    case 3: return "request"sv;
    case 4: return "confirm"sv;
    case 5: return "renew"sv;
    case 6: return "rebind"sv;
    case 7: return "reply"sv;
    case 8: return "release"sv;
    case 9: return "decline"sv;
    case 10: return "reconfigure"sv;
    case 11: return "inf-req"sv;
    case 12: return "relay-fwd"sv;
    case 13: return "relay-reply"sv;
    case 14: return "leasequery"sv;
    case 15: return "leasequery-reply"sv;
    default: return {};
  }
}

std::string_view option_name(std::uint16_t code) {
  switch (code) {
    case 1: return "client-ID"sv;
    case 2: return "server-ID"sv;
    case 3: return "IA_NA"sv;
    case 4: return "IA_TA"sv;
    case 5: return "IA_ADDR"sv;
    case 6: return "option-request"sv;
    case 7: return "preference"sv;
    case 8: return "elapsed-time"sv;
    case 9: return "relay-message"sv;
    case 11: return "authentication"sv;
    case 12: return "server-unicast"sv;
    case 13: return "status-code"sv;
    case 14: return "rapid-commit"sv;
    case 15: return "user-class"sv;
    case 16: return "vendor-class"sv;
    case 17: return "vendor-specific-info"sv;
    case 18: return "interface-ID"sv;
    case 19: return "reconfigure-message"sv;
    case 20: return "reconfigure-accept"sv;
    case 21: return "SIP-servers-domain"sv;
    case 22: return "SIP-servers-address"sv;
    case 23: return "DNS-server"sv;
    case 24: return "DNS-search-list"sv;
    case 25: return "IA_PD"sv;
    case 26: return "IA_PD-prefix"sv;
    case 27: return "NIS-server"sv;
    case 28: return "NIS+-server"sv;
    case 29: return "NIS-domain-name"sv;
    case 30: return "NIS+-domain-name"sv;
    case 31: return "SNTP-servers"sv;
    case 32: return "lifetime"sv;
    case 33: return "BCMCS-domain-name"sv;
    case 34: return "BCMCS-server"sv;
    case 36: return "Geoconf-Civic"sv;
    case 37: return "Remote-ID"sv;
    case 38: return "Subscriber-ID"sv;
    case 39: return "Client-FQDN"sv;
    case 40: return "PANA-agent"sv;
    case 41: return "POSIX-timezone"sv;
    case 42: return "POSIX-tz-database"sv;
    case 43: return "Echo-request-option"sv;
    case 44: return "Lease-query"sv;
    case 45: return "LQ-client-data"sv;
    case 46: return "Clt-time"sv;
    case 47: return "LQ-relay-data"sv;
    case 48: return "LQ-client-link"sv;
    case 56: return "NTP-server"sv;
    case 64: return "AFTR-Name"sv;
    case 112: return "MUD-URL"sv;
    default: return {};
  }
}

void append_option_name(OutputBuffer& out, std::uint16_t code) {
  const std::string_view name = option_name(code);
  if (name.empty()) {
    out.append("opt_"sv);
    out.append_uint(code);
  } else {
    out.append(name);
  }
}

std::string_view status_name(std::uint16_t code) {
  switch (code) {
    case 0: return "Success"sv;
    case 1: return "UnspecFail"sv;
    case 2: return "NoAddrsAvail"sv;
    case 3: return "NoBinding"sv;
    case 4: return "NotOnLink"sv;
    case 5: return "UseMulticast"sv;
    case 6: return "NoPrefixAvail"sv;
    case 7: return "UnknownQueryType"sv;
    case 8: return "MalformedQuery"sv;
    case 9: return "NotConfigured"sv;
    case 10: return "NotAllowed"sv;
    default: return {};
  }
}

void append_hex_bytes(OutputBuffer& out, const std::uint8_t* p, std::uint32_t n) {
  for (std::uint32_t i = 0; i < n; ++i) out.append_hex8(p[i]);
}

// tcpdump's nd_printjnp(): up to n characters, stopping at a NUL.
void append_padded_text(OutputBuffer& out, const std::uint8_t* p, std::uint32_t n) {
  for (std::uint32_t i = 0; i < n && p[i]; ++i) append_safe_char(out, p[i]);
}

// Whether the `len` bytes at p are whole uncompressed domain names (labels of 1 to 63 bytes,
// each name ending in its zero byte): the names this printer decodes; tcpdump's reading of
// the others (past the option, extended labels) is left to a marker.
bool names_within(const std::uint8_t* p, std::uint32_t len) {
  for (std::uint32_t q = 0; q < len;) {
    for (;;) {
      if (q >= len || p[q] >= 64) return false;
      if (p[q] == 0) {
        ++q;
        break;
      }
      q += 1 + p[q];
    }
  }
  return true;
}

// The name at p + q as tcpdump prints it ("example.com.", "." for the root); returns the
// offset after it. With `measure` nothing is printed.
std::uint32_t append_name(OutputBuffer& out, const std::uint8_t* p, std::uint32_t q,
                          bool measure = false) {
  if (p[q] == 0) {
    if (!measure) out.append('.');
    return q + 1;
  }
  while (p[q] != 0) {
    const std::uint32_t label = p[q++];
    if (!measure) {
      for (std::uint32_t i = 0; i < label; ++i) append_safe_char(out, p[q + i]);
      out.append('.');
    }
    q += label;
  }
  return q + 1;
}

bool print_message(const Context& c, std::uint32_t at, std::uint32_t length, std::uint32_t snap);

// The options in [at, end) (end within the capture). Returns false when the text was ended
// for good (tcpdump's longjmp, or a part slimcap leaves to a marker): nothing may follow.
bool print_options(const Context& c, std::uint32_t at, std::uint32_t end) {
  OutputBuffer& out = c.out;
  const std::uint8_t* d = c.data();
  while (at < end) {
    if (end - at < 4) {
      out.append(kTrunc);
      return true;
    }
    const std::uint32_t len = load_be16(d + at + 2);
    if (end - at - 4 < len) {
      out.append(kTrunc);
      return true;
    }
    const std::uint16_t code = load_be16(d + at);
    out.append(" ("sv);
    append_option_name(out, code);
    const std::uint32_t start = at + 4;
    const std::uint8_t* p = d + start;
    at = start + len;
    const auto bad = [&out] { out.append(" ?)"sv); };
    switch (code) {
      case 1:
      case 2: {  // client-ID, server-ID: a DUID
        if (len < 2) {
          bad();
          break;
        }
        const std::uint16_t type = load_be16(p);
        if (type == 1) {
          if (len < 8) {
            bad();
            break;
          }
          out.append(" hwaddr/time type "sv);
          out.append_uint(load_be16(p + 2));
          out.append(" time "sv);
          out.append_uint(load_be32(p + 4));
          out.append(' ');
          append_hex_bytes(out, p + 8, len - 8);
          out.append(')');
        } else if (type == 2) {
          if (len < 10) {
            bad();
            break;
          }
          out.append(" vid "sv);
          append_hex_bytes(out, p + 2, 8);
          out.append(')');
        } else if (type == 3) {
          if (len < 4) {
            bad();
            break;
          }
          out.append(" hwaddr type "sv);
          out.append_uint(load_be16(p + 2));
          out.append(' ');
          append_hex_bytes(out, p + 4, len - 4);
          out.append(')');
        } else {
          out.append(" type "sv);
          out.append_uint(type);
          out.append(')');
        }
        break;
      }
      case 5:  // IA_ADDR
        if (len < 24) {
          bad();
          break;
        }
        out.append(' ');
        append_ipv6(out, p);
        out.append(" pltime:"sv);
        out.append_uint(load_be32(p + 16));
        out.append(" vltime:"sv);
        out.append_uint(load_be32(p + 20));
        if (len > 24 && !print_options(c, start + 24, start + len)) return false;
        out.append(')');
        break;
      case 6:
      case 43:  // option-request, Echo-request-option
        if (len % 2) {
          bad();
          break;
        }
        for (std::uint32_t i = 0; i < len; i += 2) {
          out.append(' ');
          append_option_name(out, load_be16(p + i));
        }
        out.append(')');
        break;
      case 7:  // preference
        if (len != 1) {
          bad();
          break;
        }
        out.append(' ');
        out.append_uint(p[0]);
        out.append(')');
        break;
      case 8:  // elapsed-time
        if (len != 2) {
          bad();
          break;
        }
        out.append(' ');
        out.append_uint(load_be16(p));
        out.append(')');
        break;
      case 9:  // relay-message: the relayed message, its option left open as tcpdump does
        out.append(" ("sv);
        if (!print_message(c, start, len, start + len)) return false;
        out.append(')');
        break;
      case 11: {  // authentication
        if (len < 11) {
          bad();
          break;
        }
        const std::uint8_t protocol = p[0], algorithm = p[1], rdm = p[2];
        if (protocol == 2) {
          out.append(" proto: delayed"sv);
        } else if (protocol == 3) {
          out.append(" proto: reconfigure"sv);
        } else {
          out.append(" proto: "sv);
          out.append_uint(protocol);
        }
        if (algorithm == 1) {
          out.append(", alg: HMAC-MD5"sv);
        } else {
          out.append(", alg: "sv);
          out.append_uint(algorithm);
        }
        if (rdm == 0) {
          out.append(", RDM: mono"sv);
        } else {
          out.append(", RDM: "sv);
          out.append_uint(rdm);
        }
        out.append(", RD:"sv);
        for (std::uint32_t i = 3; i < 11; i += 2) {
          out.append(' ');
          out.append_hex_padded(load_be16(p + i), 4);
        }
        const std::uint8_t* q = p + 11;
        const std::uint32_t info = len - 11;
        const auto words = [&out](const std::uint8_t* w) {
          for (int i = 0; i < 4; ++i) {
            out.append(' ');
            out.append_hex_padded(load_be32(w + 4 * i), 8);
          }
        };
        if (protocol == 2) {
          if (info != 0 && info < 20) {
            out.append(" ??"sv);
          } else if (info != 0) {
            const std::uint32_t realm = info - 20;
            if (realm > 0) out.append(", realm: "sv);
            append_hex_bytes(out, q, realm);
            out.append(", key ID: "sv);
            out.append_hex_padded(load_be32(q + realm), 8);
            out.append(", HMAC-MD5:"sv);
            words(q + realm + 4);
          }
        } else if (protocol == 3) {
          if (info != 17) {
            out.append(" ??"sv);
          } else {
            out.append(q[0] == 1   ? " reconfig-key"sv
                       : q[0] == 2 ? " type: HMAC-MD5"sv
                                   : " type: ??"sv);
            out.append(" value:"sv);
            words(q + 1);
          }
        } else {
          out.append(" ??"sv);
        }
        out.append(')');
        break;
      }
      case 14:
      case 20:  // rapid-commit, reconfigure-accept
        out.append(')');
        break;
      case 18:
      case 38:  // interface-ID, Subscriber-ID: the first 10 bytes
        out.append(' ');
        append_hex_bytes(out, p, std::min<std::uint32_t>(len, 10));
        out.append("...)"sv);
        break;
      case 19:  // reconfigure-message
        if (len != 1) {
          bad();
          break;
        }
        if (p[0] == 5) {
          out.append(" for renew)"sv);
        } else if (p[0] == 11) {
          out.append(" for inf-req)"sv);
        } else {
          out.append(" for ?\?\?("sv);
          out.append_hex8(p[0]);
          out.append("))"sv);
        }
        break;
      case 22:
      case 23:
      case 27:
      case 28:
      case 31:
      case 34:
      case 40:
      case 48:  // lists of addresses
        if (len % 16) {
          bad();
          break;
        }
        for (std::uint32_t i = 0; i < len; i += 16) {
          out.append(' ');
          append_ipv6(out, p + i);
        }
        out.append(')');
        break;
      case 21:
      case 24:  // lists of domain names
        if (!names_within(p, len)) {  // not decoded here
          out.append(kTrunc);
          return false;
        }
        for (std::uint32_t q = 0; q < len;) {
          out.append(' ');
          q = append_name(out, p, q);
        }
        out.append(')');
        break;
      case 13: {  // status-code
        if (len < 2) {
          bad();
          break;
        }
        const std::uint16_t status = load_be16(p);
        out.append(' ');
        const std::string_view name = status_name(status);
        if (status > 255) {
          out.append("INVALID code"sv);
        } else if (name.empty()) {
          out.append("code"sv);
          out.append_uint(status);
        } else {
          out.append(name);
        }
        out.append(')');
        break;
      }
      case 3:
      case 25:  // IA_NA, IA_PD
        if (len < 12) {
          bad();
          break;
        }
        out.append(" IAID:"sv);
        out.append_uint(load_be32(p));
        out.append(" T1:"sv);
        out.append_uint(load_be32(p + 4));
        out.append(" T2:"sv);
        out.append_uint(load_be32(p + 8));
        if (len > 12 && !print_options(c, start + 12, start + len)) return false;
        out.append(')');
        break;
      case 4:  // IA_TA
        if (len < 4) {
          bad();
          break;
        }
        out.append(" IAID:"sv);
        out.append_uint(load_be32(p));
        if (len > 4 && !print_options(c, start + 4, start + len)) return false;
        out.append(')');
        break;
      case 26:  // IA_PD-prefix
        if (len < 25) {
          bad();
          break;
        }
        out.append(' ');
        append_ipv6(out, p + 9);
        out.append('/');
        out.append_uint(p[8]);
        out.append(" pltime:"sv);
        out.append_uint(load_be32(p));
        out.append(" vltime:"sv);
        out.append_uint(load_be32(p + 4));
        if (len > 25 && !print_options(c, start + 25, start + len)) return false;
        out.append(')');
        break;
      case 32:
      case 46:  // lifetime, Clt-time
        if (len != 4) {
          bad();
          break;
        }
        out.append(' ');
        out.append_uint(load_be32(p));
        out.append(')');
        break;
      case 37:  // Remote-ID: enterprise number, then the first 10 bytes
        if (len < 4) {
          bad();
          break;
        }
        out.append(' ');
        out.append_uint(load_be32(p));
        out.append(' ');
        append_hex_bytes(out, p + 4, std::min<std::uint32_t>(len, 14) - 4);
        out.append("...)"sv);
        break;
      case 44:  // Lease-query
        if (len < 17) {
          bad();
          break;
        }
        if (p[0] == 1) {
          out.append(" by-address"sv);
        } else if (p[0] == 2) {
          out.append(" by-clientID"sv);
        } else {
          out.append(" type_"sv);
          out.append_uint(p[0]);
        }
        out.append(' ');
        append_ipv6(out, p + 1);
        if (len > 17 && !print_options(c, start + 17, start + len)) return false;
        out.append(')');
        break;
      case 45:  // LQ-client-data
        if (len > 0 && !print_options(c, start, start + len)) return false;
        out.append(')');
        break;
      case 47:  // LQ-relay-data
        if (len < 16) {
          bad();
          break;
        }
        out.append(' ');
        append_ipv6(out, p);
        out.append(' ');
        append_hex_bytes(out, p + 16, std::min<std::uint32_t>(len, 26) - 16);
        out.append("...)"sv);
        break;
      case 56: {  // NTP-server: sub-options
        if (len < 4) {
          bad();
          break;
        }
        std::uint32_t q = 0;
        while (q < len - 4) {
          const std::uint16_t sub = load_be16(p + q);
          const std::uint32_t sublen = load_be16(p + q + 2);
          q += 4;
          if (q + sublen > len) {
            out.append(kTrunc);
            return true;
          }
          out.append(" subopt:"sv);
          out.append_uint(sub);
          if (sub == 1 || sub == 2) {
            if (sublen != 16) {
              out.append(" ?"sv);
            } else {
              out.append(' ');
              append_ipv6(out, p + q);
            }
          } else if (sub == 3) {  // a domain name
            if (sublen == 0 || !names_within(p + q, sublen) ||
                append_name(out, p + q, 0, true) != sublen) {
              out.append(kTrunc);  // not decoded here
              return false;
            }
            out.append(' ');
            append_name(out, p + q, 0);
          } else {
            out.append(" ?"sv);
          }
          q += sublen;
        }
        out.append(')');
        break;
      }
      case 64: {  // AFTR-Name: DNS labels
        if (len < 3) {
          bad();
          break;
        }
        out.append(' ');
        std::uint32_t q = 0, remain = len;
        while (remain && p[q]) {
          const std::uint32_t label = p[q++];
          if (label < remain - 1) {
            append_padded_text(out, p + q, label);
            q += label;
            remain -= label + 1;
            if (p[q]) out.append('.');
          } else {
            out.append(" ?"sv);
            break;
          }
        }
        out.append(')');
        break;
      }
      case 41:
      case 42:
      case 112:  // POSIX-timezone, POSIX-tz-database, MUD-URL
        if (len < 5) {
          bad();
          break;
        }
        out.append(' ');
        append_padded_text(out, p, len);
        out.append(')');
        break;
      default:
        out.append(')');
        break;
    }
  }
  return true;
}

// tcpdump's dhcp6_print() of the message at `at`, `length` bytes long, readable up to `snap`.
bool print_message(const Context& c, std::uint32_t at, std::uint32_t length, std::uint32_t snap) {
  OutputBuffer& out = c.out;
  const std::uint8_t* d = c.data();
  out.append("dhcp6"sv);
  if (snap < at || snap - at < 4) {
    out.append(kTrunc);
    return true;
  }
  const std::uint32_t end = std::min(snap, at + length);
  const std::uint8_t type = d[at];
  out.append(' ');
  const std::string_view name = message_name(type);
  if (name.empty()) {
    out.append("msgtype-"sv);
    out.append_uint(type);
  } else {
    out.append(name);
  }
  if (c.options.verbose == 0) return true;
  out.append(" ("sv);
  if (type != 12 && type != 13) {
    out.append("xid="sv);
    out.append_hex(load_be32(d + at) & 0xffffff);
    if (!print_options(c, at + 4, end)) return false;
  } else {
    // A relay's link and peer addresses: read past the capture, tcpdump's longjmp.
    if (snap - at < 18) {
      out.append(kTrunc);
      c.dump_whole = true;
      return false;
    }
    out.append("linkaddr="sv);
    append_ipv6(out, d + at + 2);
    if (snap - at < 34) {
      out.append(kTrunc);
      c.dump_whole = true;
      return false;
    }
    out.append(" peeraddr="sv);
    append_ipv6(out, d + at + 18);
    if (!print_options(c, at + 34, end)) return false;
  }
  out.append(')');
  return true;
}

}  // namespace

void print_dhcp6(const Context& c, std::uint32_t offset, std::uint32_t length) {
  print_message(c, offset, length, c.caplen());
}

void append_dhcp6_json(OutputBuffer& out, const PacketView& packet, std::uint32_t offset,
                       std::uint32_t length) {
  const std::uint32_t caplen = packet.caplen();
  if (length < 4 || offset > caplen || caplen - offset < 4) return;
  const std::uint8_t* d = packet.data.data() + offset;
  out.append(",\"dhcp6\":{\"type\":\""sv);
  const std::string_view name = message_name(d[0]);
  if (name.empty()) {
    out.append("msgtype-"sv);
    out.append_uint(d[0]);
  } else {
    out.append(name);
  }
  out.append('"');
  if (d[0] != 12 && d[0] != 13) {
    out.append(",\"xid\":\"0x"sv);
    out.append_hex_padded(load_be32(d) & 0xffffff, 6);
    out.append('"');
  }
  out.append('}');
}

}  // namespace slimcap::detail

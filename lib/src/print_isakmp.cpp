// ISAKMP / IKE on UDP 500 (and 7500, 8500) and 4500 as tcpdump 4.99 prints it
// (print-isakmp.c): the header line, "isakmp: phase 1 I ident" (IKEv1) or "isakmp: parent_sa
// ikev2_init[I]" (IKEv2); with -v the version and message ID, with -vv the cookies. On 4500
// the non-ESP marker ("NONESP-encap: " and ISAKMP), ESP ("UDP-encap: ESP(...)") or a NAT
// keepalive.
//
// Left to a marker (" [|isakmp]"): the payloads -v lists, and an IKEv1 message whose
// responder cookie is set, for which tcpdump tells initiator from responder ("I", "R", "?")
// by the cookies it remembers from earlier packets of the capture; a printer without memory
// cannot say which.

#include <cstdint>
#include <string_view>

#include "print_internal.hpp"

namespace slimcap::detail {

namespace {

std::string_view exchange_name(std::uint8_t type) {
  switch (type) {
    case 0: return "none"sv;
    case 1: return "base"sv;
    case 2: return "ident"sv;
    case 3: return "auth"sv;
    case 4: return "agg"sv;
    case 5: return "inf"sv;
    case 32: return "oakley-quick"sv;
    case 33: return "oakley-newgroup"sv;
    case 34: return "ikev2_init"sv;
    case 35: return "ikev2_auth"sv;
    case 36: return "child_sa"sv;
    case 37: return "inf2"sv;
    default: return {};
  }
}

constexpr std::string_view kPayloadNames[] = {
    "none"sv,   "sa"sv,     "p"sv,       "t"sv,      "ke"sv,     "id"sv,      "cert"sv,
    "cr"sv,     "hash"sv,   "sig"sv,     "nonce"sv,  "n"sv,      "d"sv,       "vid"sv,
    "pay14"sv,  "pay15"sv,  "pay16"sv,   "pay17"sv,  "pay18"sv,  "pay19"sv,   "pay20"sv,
    "pay21"sv,  "pay22"sv,  "pay23"sv,   "pay24"sv,  "pay25"sv,  "pay26"sv,   "pay27"sv,
    "pay28"sv,  "pay29"sv,  "pay30"sv,   "pay31"sv,  "pay32"sv,  "v2sa"sv,    "v2ke"sv,
    "v2IDi"sv,  "v2IDr"sv,  "v2cert"sv,  "v2cr"sv,   "v2auth"sv, "v2nonce"sv, "v2n"sv,
    "v2d"sv,    "v2vid"sv,  "v2TSi"sv,   "v2TSr"sv,  "v2e"sv,    "v2cp"sv,    "v2eap"sv};

// tcpdump's table name, or "#N" for a number without one.
void append_name_or_number(OutputBuffer& out, std::string_view name, std::uint32_t n) {
  if (name.empty()) {
    out.append('#');
    out.append_uint(n);
  } else {
    out.append(name);
  }
}

void append_hex_bytes(OutputBuffer& out, const std::uint8_t* p, std::uint32_t n) {
  for (std::uint32_t i = 0; i < n; ++i) out.append_hex8(p[i]);
}

bool all_zero(const std::uint8_t* p, std::uint32_t n) {
  for (std::uint32_t i = 0; i < n; ++i)
    if (p[i] != 0) return false;
  return true;
}

}  // namespace

void print_isakmp(const Context& c, std::uint32_t offset, std::uint32_t length) {
  OutputBuffer& out = c.out;
  if (!c.captured(offset, 28)) {  // the fixed header
    out.append(" [|isakmp]");
    return;
  }
  const std::uint8_t* h = c.data() + offset;
  const unsigned major = h[17] >> 4, minor = h[17] & 15;
  const std::uint8_t next_payload = h[16];
  const std::uint8_t exchange = h[18];
  const std::uint8_t flags = h[19];
  const std::uint32_t message_id = load_be32(h + 20);
  const std::uint32_t declared_length = load_be32(h + 24);
  const bool verbose = c.options.verbose > 0;
  out.append("isakmp");
  if (verbose) {
    out.append(' ');
    out.append_uint(major);
    out.append('.');
    out.append_uint(minor);
    out.append(" msgid ");
    append_hex_bytes(out, h + 20, 4);
  }
  if (c.options.verbose > 1) {
    out.append(" cookie ");
    append_hex_bytes(out, h, 8);
    out.append("->");
    append_hex_bytes(out, h + 8, 8);
  }
  out.append(':');
  if (major == 1) {
    out.append(message_id == 0 ? " phase 1"sv : " phase 2/others"sv);
    // The first message of an exchange (no responder cookie yet) comes from the initiator.
    if (!all_zero(h + 8, 8)) {
      out.append(" [|isakmp]");
      return;
    }
    out.append(" I ");
    append_name_or_number(out, exchange_name(exchange), exchange);
    if (flags != 0) {
      out.append('[');
      if (flags & 1) out.append('E');
      if (flags & 2) out.append('C');
      out.append(']');
    }
  } else if (major == 2) {
    out.append(message_id == 0 ? " parent_sa "sv : " child_sa  "sv);
    append_name_or_number(out, exchange_name(exchange), exchange);
    if (flags != 0) {
      out.append('[');
      if (flags & 0x08) out.append('I');
      if (flags & 0x10) out.append('V');
      if (flags & 0x20) out.append('R');
      out.append(']');
    }
  } else {
    return;
  }
  if (!verbose) return;
  out.append(':');
  if (flags & 1) {
    out.append(" [encrypted ");
    append_name_or_number(
        out, next_payload < std::size(kPayloadNames) ? kPayloadNames[next_payload] : ""sv,
        next_payload);
    out.append(']');
  } else if (next_payload != 0) {
    out.append(" [|isakmp]");  // the payloads are not decoded
    return;
  }
  if (declared_length != length) {
    out.append(" (len mismatch: isakmp ");
    out.append_uint(declared_length);
    out.append("/ip ");
    out.append_uint(length);
    out.append(')');
  }
}

void print_isakmp_natt(const Context& c, std::uint32_t offset, std::uint32_t length) {
  OutputBuffer& out = c.out;
  if (length == 1) {
    if (!c.captured(offset, 1)) {
      out.append(" [|isakmp_rfc3948]");
      c.dump_whole = true;
      return;
    }
    if (c.data()[offset] == 0xff) {
      out.append("isakmp-nat-keep-alive");
      return;
    }
  }
  if (length < 4) {
    out.append(" [|isakmp_rfc3948]");
    return;
  }
  if (!c.captured(offset, 4)) {
    out.append(" [|isakmp_rfc3948]");
    c.dump_whole = true;
    return;
  }
  if (load_be32(c.data() + offset) == 0) {  // the non-ESP marker
    out.append("NONESP-encap: ");
    print_isakmp(c, offset + 4, length - 4);
    return;
  }
  out.append("UDP-encap: ");
  print_esp_at(c, offset, length);
}

}  // namespace slimcap::detail

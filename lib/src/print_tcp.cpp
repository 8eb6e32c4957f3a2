// TCP as tcpdump 4.99 prints it: flags, sequence numbers, window, options (MPTCP,
// TCP Fast Open and the rest), checksums with -v, a reset's text.

#include <algorithm>
#include <array>
#include <cstring>
#include <span>
#include <string_view>

#include "print_internal.hpp"
#include "slimcap/hexdump.hpp"
#include "slimcap/link_type.hpp"

namespace slimcap::detail {

namespace {

constexpr std::uint8_t kFin = 0x01, kSyn = 0x02, kRst = 0x04, kPsh = 0x08, kAck = 0x10,
                       kUrg = 0x20, kEce = 0x40, kCwr = 0x80;

// tcpdump's flag letters ("S.", "FP.", "none") of every flags byte, padded to 8 bytes.
struct TcpFlagText {
  char letters[8];
  std::uint8_t length;
};
struct TcpFlagTable {
  TcpFlagText text[256];
  constexpr TcpFlagTable() : text{} {
    constexpr char kLetters[] = "FSRP.UEW";
    for (unsigned v = 0; v < 256; ++v) {
      TcpFlagText& t = text[v];
      if (v == 0) {
        t.letters[0] = 'n';
        t.letters[1] = 'o';
        t.letters[2] = 'n';
        t.letters[3] = 'e';
        t.length = 4;
        continue;
      }
      for (unsigned bit = 0; bit < 8; ++bit)
        if (v & (1u << bit)) t.letters[t.length++] = kLetters[bit];
    }
  }
};
constexpr TcpFlagTable kTcpFlagText;

// tcpdump's text of a Multipath TCP option (RFC 8684) after "mptcp": the length, the
// subtype and its fields. `o` is the option from its kind byte, `len` bytes long and all captured. False when
// tcpdump calls the option bad (a length the subtype cannot have).
bool append_mptcp(OutputBuffer& out, const std::uint8_t* o, std::uint32_t len,
                  std::uint8_t tcp_flags) {
  if (len < 3) return false;
  static constexpr std::string_view kSubtypes[] = {"capable"sv,  "join"sv,     "dss"sv,
                                                   "add-addr"sv, "rem-addr"sv, "prio"sv,
                                                   "fail"sv,     "fast-close"sv, "unknown"sv};
  const unsigned subtype = std::min(o[2] >> 4, 8);
  out.append(' ');
  out.append_uint(len);
  out.append(' ');
  out.append(kSubtypes[subtype]);
  const bool syn = tcp_flags & kSyn, ack = tcp_flags & kAck;
  switch (subtype) {
    case 0: {  // MP_CAPABLE
      if (!((len == 12 || len == 4) && syn) && !((len == 20 || len == 22) && ack && !syn))
        return false;
      const unsigned version = o[2] & 15;
      if (version > 1) {
        out.append(" Unknown Version (");
        out.append_uint(version);
        out.append(')');
        return true;
      }
      out.append(" v");
      out.append_uint(version);
      if (o[3] & 0x80) out.append(" csum");
      if (len == 12 || len >= 20) {
        out.append(" {0x");
        out.append_hex(load_be64(o + 4));
        if (len >= 20) {
          out.append(",0x");
          out.append_hex(load_be64(o + 12));
        }
        out.append('}');
      }
      return true;
    }
    case 1: {  // MP_JOIN
      if (!(len == 12 && syn) && !(len == 16 && syn && ack) && !(len == 24 && ack)) return false;
      if (len != 24) {
        if (o[2] & 1) out.append(" backup");
        out.append(" id ");
        out.append_uint(o[3]);
      }
      if (len == 12) {
        out.append(" token 0x");
        out.append_hex(load_be32(o + 4));
        out.append(" nonce 0x");
        out.append_hex(load_be32(o + 8));
      } else if (len == 16) {
        out.append(" hmac 0x");
        out.append_hex(load_be64(o + 4));
        out.append(" nonce 0x");
        out.append_hex(load_be32(o + 12));
      } else {
        out.append(" hmac 0x");
        for (std::uint32_t i = 4; i < 24; ++i) out.append_hex8(o[i]);
      }
      return true;
    }
    case 2: {  // DSS
      if (len < 4 || syn) return false;
      const std::uint8_t flags = o[3];
      if (flags & 0x10) out.append(" fin");
      std::uint32_t at = 4;
      // A 4- or 8-byte number (the wide flag `wide`), false when it does not fit.
      const auto number = [&](bool wide) {
        const std::uint32_t n = wide ? 8 : 4;
        if (len - at < n) return false;
        out.append_uint(wide ? load_be64(o + at) : load_be32(o + at));
        at += n;
        return true;
      };
      if (flags & 0x01) {
        out.append(" ack ");
        if (!number(flags & 0x02)) return false;
      }
      if (flags & 0x04) {
        out.append(" seq ");
        if (!number(flags & 0x08)) return false;
        if (len - at < 4) return false;
        out.append(" subseq ");
        number(false);
        if (len - at < 2) return false;
        out.append(" len ");
        out.append_uint(load_be16(o + at));
        at += 2;
        if (len - at >= 2) {
          out.append(" csum 0x");
          out.append_hex(load_be16(o + at));
          at += 2;
        }
      }
      return at == len;
    }
    case 3: {  // ADD_ADDR: IPv4 or IPv6, with or without port and HMAC
      const bool v4 = len == 8 || len == 10 || len == 16 || len == 18;
      const bool v6 = len == 20 || len == 22 || len == 28 || len == 30;
      if (!v4 && !v6) return false;
      out.append(' ');
      switch (o[2] & 15) {
        case 6: out.append("v0-ip6"); break;
        case 4: out.append("v0-ip4"); break;
        case 1: out.append("v1-echo"); break;
        case 0: out.append("v1"); break;
        default: out.append("[bad version/echo]"); break;
      }
      out.append(" id ");
      out.append_uint(o[3]);
      out.append(' ');
      const std::uint32_t address = v4 ? 4 : 16;
      if (v4)
        append_ipv4(out, o + 4);
      else
        append_ipv6(out, o + 4);
      const bool port = len == 10 || len == 18 || len == 22 || len == 30;
      if (port) {
        out.append(':');
        out.append_uint(load_be16(o + 4 + address));
      }
      if (len == 16 || len == 18 || len == 28 || len == 30) {
        out.append(" hmac 0x");
        out.append_hex(load_be64(o + 4 + address + (port ? 2 : 0)));
      }
      return true;
    }
    case 4:  // REMOVE_ADDR
      if (len < 4) return false;
      out.append(" id");
      for (std::uint32_t i = 3; i < len; ++i) {
        out.append(' ');
        out.append_uint(o[i]);
      }
      return true;
    case 5:  // MP_PRIO
      if (len != 3 && len != 4) return false;
      out.append(o[2] & 1 ? " backup"sv : " non-backup"sv);
      if (len == 4) {
        out.append(" id ");
        out.append_uint(o[3]);
      }
      return true;
    case 6:  // MP_FAIL
    case 7:  // MP_FASTCLOSE
      if (len != 12) return false;
      if (subtype == 6) {
        out.append(" seq ");
        out.append_uint(load_be64(o + 4));
      } else {
        out.append(" key 0x");
        out.append_hex(load_be64(o + 4));
      }
      return true;
    default:
      return true;
  }
}

// tcpdump's TCP Fast Open option (RFC 7413): " cookiereq", " cookie HEX" or " (invalid)".
void append_fast_open(OutputBuffer& out, const std::uint8_t* cookie, std::uint32_t length) {
  if (length == 0) return out.append(" cookiereq");
  if (length % 2 != 0 || length < 4 || length > 16) return out.append(" (invalid)");
  out.append(" cookie ");
  for (std::uint32_t i = 0; i < length; ++i) out.append_hex8(cookie[i]);
}

enum class OptionResult { ok, bad, cut };

// The TCP options other than the common ones (append_tcp_options' switch), with the same
// variables: `kind` and `len` from the option's first bytes, `v` its data, `hlen` the header
// bytes left after kind and length, `have` the captured ones from `v` on. Sets `datalen`.
[[gnu::noinline]] OptionResult append_other_tcp_option(
    OutputBuffer& out, std::uint8_t kind, std::uint32_t len, const std::uint8_t* v,
    std::uint32_t hlen, std::uint32_t have, std::uint8_t tcp_flags, bool segment_captured,
    std::string_view& marker, std::uint32_t& datalen) {
  const auto fits = [&](std::uint32_t n) { return n <= hlen; };
  switch (kind) {
    case 11:  // cc, ccnew, ccecho (tcpdump's name for ccecho is empty)
    case 12:
    case 13:
      out.append(kind == 11 ? "cc"sv : kind == 12 ? "ccnew"sv : ""sv);
      datalen = 4;
      if (!fits(datalen)) return OptionResult::bad;
      if (have < datalen) return OptionResult::cut;
      out.append(' ');
      out.append_uint(load_be32(v));
      break;
    case 19:  // TCP MD5 signature (RFC 2385): tcpdump cannot check it without -M
      out.append("md5");
      datalen = 16;
      if (!fits(datalen)) return OptionResult::bad;
      if (have < datalen) return OptionResult::cut;
      out.append(segment_captured ? " shared secret not supplied with -M, can't check - "sv
                                  : " snaplen too short, can't check - "sv);
      for (std::uint32_t b = 0; b < datalen; ++b) out.append_hex8(v[b]);
      break;
    case 20:  // SCPS capabilities
      out.append("scps");
      datalen = 2;
      if (!fits(datalen)) return OptionResult::bad;
      if (have < datalen) return OptionResult::cut;
      out.append(" cap ");
      out.append_hex8(v[0]);
      out.append(" id ");
      out.append_uint(v[1]);
      break;
    case 28: {  // user timeout (RFC 5482): minutes when the low bit is set
      out.append("uto");
      datalen = 2;
      if (!fits(datalen)) return OptionResult::bad;
      if (have < datalen) return OptionResult::cut;
      const std::uint32_t timeout = load_be16(v);
      out.append(" 0x");
      out.append_hex(timeout);
      out.append(' ');
      out.append_uint(timeout & 1 ? (timeout >> 1) * 60 : timeout >> 1);
      break;
    }
    case 29:  // TCP-AO (RFC 5925)
      out.append("tcp-ao");
      datalen = len - 2;
      if (datalen < 2) {
        out.append(" (invalid)");
        break;
      }
      if (!fits(1)) return OptionResult::bad;
      if (have < 1) return OptionResult::cut;
      out.append(" keyid ");
      out.append_uint(v[0]);
      if (!fits(2)) return OptionResult::bad;
      if (have < 2) return OptionResult::cut;
      out.append(" rnextkeyid ");
      out.append_uint(v[1]);
      if (datalen > 2) {
        out.append(" mac 0x");
        for (std::uint32_t b = 2; b < datalen; ++b) {
          if (!fits(b + 1)) return OptionResult::bad;
          if (have < b + 1) return OptionResult::cut;
          out.append_hex8(v[b]);
        }
      }
      break;
    case 30:  // Multipath TCP
      out.append("mptcp");
      datalen = len - 2;
      if (!fits(datalen)) return OptionResult::bad;
      if (have < datalen) return OptionResult::cut;
      marker = " [|mptcp]"sv;  // tcpdump's truncation marker from here on
      if (!append_mptcp(out, v - 2, len, tcp_flags)) return OptionResult::bad;
      break;
    case 34:  // TCP Fast Open (RFC 7413)
      out.append("tfo");
      datalen = len - 2;
      if (!fits(datalen)) return OptionResult::bad;
      if (have < datalen) return OptionResult::cut;
      out.append(' ');
      append_fast_open(out, v, datalen);
      break;
    case 254: {  // experimental (RFC 6994): the magic number, Fast Open's decoded
      out.append("exp");
      datalen = len - 2;
      if (!fits(datalen)) return OptionResult::bad;
      if (have < datalen) return OptionResult::cut;
      if (datalen < 2) return OptionResult::bad;
      const std::uint16_t magic = load_be16(v);
      out.append('-');
      if (magic == 0xf989) {
        out.append("tfo");
        append_fast_open(out, v + 2, datalen - 2);
      } else {
        out.append_hex_padded(magic, 4);
      }
      break;
    }
    default:
      // An option tcpdump does not know: its number and data in hex.
      out.append("unknown-");
      out.append_uint(kind);
      datalen = len - 2;
      if (datalen == 0) break;
      if (!fits(datalen)) return OptionResult::bad;
      out.append(" 0x");
      for (std::uint32_t b = 0; b < datalen; ++b) {
        if (b >= have) return OptionResult::cut;
        out.append_hex8(v[b]);
      }
      break;
  }
  return OptionResult::ok;
}

// tcpdump's TCP option list ("mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7"), with its exact
// behaviour on bad and cut options: `length` is the options' length from the header, `captured`
// how many of those bytes are in the capture. Returns false when tcpdump stops the line inside
// the list: "[bad opt]" for an option that does not fit the header, " [|tcp]" for one that runs
// past the captured bytes (then ">" after a first option, as tcpdump's trunc label does).
//
// `tcp_flags` picks the MPTCP forms; `segment_captured` says whether the whole segment is
// captured (tcpdump's MD5 signature check needs it); `sack_base` is subtracted from SACK block
// edges (relative sequence numbers; 0 with -S).
bool append_tcp_options(OutputBuffer& out, const std::uint8_t* o, std::uint32_t length,
                        std::uint32_t captured, bool& dump_whole, std::uint8_t tcp_flags,
                        bool segment_captured, std::uint32_t sack_base,
                        std::string_view& marker) {
  std::uint32_t hlen = length;
  std::uint32_t i = 0;
  bool first = true;
  const auto bad = [&] {
    out.append("[bad opt]");
    if (!first) out.append(']');
    return false;
  };
  const auto cut = [&] {
    out.append(marker);
    if (!first) out.append('>');
    return false;
  };
  // tcpdump's LENCHECK: the option data must fit the header, then the capture.
  const auto fits = [&](std::uint32_t n) { return n <= hlen; };
  while (hlen > 0) {
    if (!first) out.append(',');
    if (i >= captured) {
      out.append(marker);
      dump_whole = true;
      return false;
    }
    const std::uint8_t kind = o[i++];
    std::uint32_t len = 1;
    if (kind > 1) {
      if (i >= captured) {
        out.append(marker);
        dump_whole = true;
        return false;
      }
      len = o[i++];
      if (len < 2 || len > hlen) return bad();
      --hlen;
    }
    --hlen;
    std::uint32_t datalen = 0;
    const std::uint8_t* v = o + i;
    const std::uint32_t have = captured - i;  // captured option data from v on
    switch (kind) {
      case 0: out.append("eol"); break;
      case 1: out.append("nop"); break;
      case 2:
        out.append("mss");
        datalen = 2;
        if (!fits(datalen)) return bad();
        if (have < datalen) return cut();
        append_number(out, " "sv, load_be16(v));
        break;
      case 3:
        out.append("wscale");
        datalen = 1;
        if (!fits(datalen)) return bad();
        if (have < datalen) return cut();
        append_number(out, " "sv, v[0]);
        break;
      case 4: out.append("sackOK"); break;
      case 5: {
        out.append("sack");
        datalen = len - 2;
        if (datalen % 8 != 0) {
          out.append(" invalid sack");
          break;
        }
        out.append(' ');
        out.append_uint(datalen / 8);
        out.append(' ');
        for (std::uint32_t b = 0; b < datalen; b += 8) {
          if (!fits(b + 8)) return bad();
          if (have < b + 8) return cut();
          out.append('{');
          out.append_uint(load_be32(v + b) - sack_base);
          out.append(':');
          out.append_uint(load_be32(v + b + 4) - sack_base);
          out.append('}');
        }
        break;
      }
      case 6:
      case 7:
        out.append(kind == 6 ? "echo"sv : "echoreply"sv);
        datalen = 4;
        if (!fits(datalen)) return bad();
        if (have < datalen) return cut();
        out.append(' ');
        out.append_uint(load_be32(v));
        break;
      case 8:
        out.append("TS");
        datalen = 8;
        if (!fits(datalen)) return bad();
        if (have < datalen) return cut();
        append_number(out, " val "sv, load_be32(v));
        append_number(out, " ecr "sv, load_be32(v + 4));
        break;
      default: {
        // The options most segments do not carry, out of line.
        const OptionResult result = append_other_tcp_option(
            out, kind, len, v, hlen, have, tcp_flags, segment_captured, marker, datalen);
        if (result == OptionResult::bad) return bad();
        if (result == OptionResult::cut) return cut();
        break;
      }
    }
    i += datalen;
    hlen -= datalen;
    if (datalen + 1 + (kind > 1 ? 1u : 0u) != len) {
      out.append("[len ");
      out.append_uint(len);
      out.append(']');
    }
    first = false;
    if (kind == 0) break;
  }
  out.append(']');
  return true;
}

}  // namespace

namespace {
// A 64-bit mix of a conversation's key (the finaliser of SplitMix64); the table uses its low
// bits.
template <unsigned N>
std::uint64_t conversation_hash(const std::uint8_t* a, const std::uint8_t* b, std::uint32_t ports) {
  std::uint64_t x = std::uint64_t{ports} * 0x9e3779b97f4a7c15ull;
  for (unsigned i = 0; i < N; i += 4)
    x ^= (std::uint64_t{load_host32(a + i)} << 32 | load_host32(b + i)) + i;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}
}  // namespace

template <unsigned N>
void TcpConversations::Table<N>::grow() {
  std::vector<Entry> old = std::move(slots_);
  count_ = 0;
  if (old.size() * 4 > 2 * kMaxConversations) {  // full: start over empty
    slots_.assign(old.size(), Entry{});
    return;
  }
  // 16,384 slots at first (384 KiB for IPv4, made when the first segment with ACK comes):
  // room for 8,192 conversations, more than most captures hold, without a rehash; then four
  // times as many at each growth.
  slots_.assign(old.empty() ? 16384 : old.size() * 4, Entry{});
  const std::size_t mask = slots_.size() - 1;
  for (const Entry& e : old) {
    if (!e.used) continue;
    std::size_t i = conversation_hash<N>(e.a, e.b, e.ports) & mask;
    while (slots_[i].used) i = (i + 1) & mask;
    slots_[i] = e;
    ++count_;
  }
}

template <unsigned N>
typename TcpConversations::Table<N>::Entry& TcpConversations::Table<N>::find(
    const std::uint8_t* a, const std::uint8_t* b, std::uint32_t ports, bool& found) {
  if (slots_.empty()) grow();
  const std::uint64_t hash = conversation_hash<N>(a, b, ports);
  std::size_t mask = slots_.size() - 1;
  std::size_t i = hash & mask;
  for (; slots_[i].used; i = (i + 1) & mask) {
    Entry& e = slots_[i];
    if (e.ports == ports && std::memcmp(e.a, a, N) == 0 && std::memcmp(e.b, b, N) == 0) {
      found = true;
      return e;
    }
  }
  // A new conversation: grow first if it would fill more than half the slots (a full table
  // starts over, so the known conversations stay until a new one comes).
  if (2 * (count_ + 1) > slots_.size()) {
    grow();
    mask = slots_.size() - 1;
    for (i = hash & mask; slots_[i].used; i = (i + 1) & mask) {
    }
  }
  Entry& e = slots_[i];
  std::memcpy(e.a, a, N);
  std::memcpy(e.b, b, N);
  e.ports = ports;
  e.used = true;
  ++count_;
  found = false;
  return e;
}

void TcpConversations::relate(const Summary& s, std::uint32_t& seq, std::uint32_t& ack,
                              std::uint32_t& sack_base) {
  // tcpdump's collating order: the side with the lower port first, by address when the
  // ports are equal.
  const bool v6 = s.network == Network::ipv6;
  const unsigned n = v6 ? 16u : 4u;
  const std::uint16_t sport = s.source_port, dport = s.destination_port;
  const bool rev =
      sport > dport || (sport == dport && std::memcmp(s.source_ip, s.destination_ip, n) > 0);
  const std::uint8_t* a = rev ? s.destination_ip : s.source_ip;
  const std::uint8_t* b = rev ? s.source_ip : s.destination_ip;
  const std::uint32_t ports = rev ? (std::uint32_t{dport} << 16 | sport)
                                  : (std::uint32_t{sport} << 16 | dport);
  const auto apply = [&](auto& e, bool found) {
    if (found && !(s.tcp_flags & kSyn)) {
      if (rev) {
        seq -= e.ack;
        ack -= e.seq;
      } else {
        seq -= e.seq;
        ack -= e.ack;
      }
    } else if (rev) {  // not seen, or a SYN starts it again: recorded, printed as on the wire
      e.ack = seq;
      e.seq = ack - 1;
    } else {
      e.seq = seq;
      e.ack = ack - 1;
    }
    sack_base = rev ? e.seq : e.ack;
  };
  bool found;
  if (v6) {
    auto& e = v6_.find(a, b, ports, found);
    apply(e, found);
  } else {
    auto& e = v4_.find(a, b, ports, found);
    apply(e, found);
  }
}

void print_tcp(const Context& c, bool with_addresses) {
  const Summary& s = c.s;
  OutputBuffer& out = c.out;
  if (!s.has_ports) {
    // tcpdump: "a > b:" and the marker when even the ports are cut off (the addresses also
    // behind IPv6 extension headers).
    append_addresses(c, ":"sv);
    out.append(" [|tcp]");
    return;
  }
  append_endpoints(c, with_addresses);
  if (s.truncated == Layer::tcp && !c.captured(s.transport_offset, 20)) {
    out.append(" [|tcp]");
    return;
  }
  if (s.tcp_header_length < 20) {
    out.append(" [bad hdr length ");
    out.append_uint(s.tcp_header_length);
    out.append(" - too short, < 20]");
    return;
  }
  if (c.options.quiet) {
    out.append("tcp ");
    out.append_uint(s.transport_length >= s.tcp_header_length
                        ? s.transport_length - s.tcp_header_length
                        : 0);
    return;
  }
  {
    // "Flags [S.]" in one reservation, the flag letters from a table.
    char* const start = out.reserve(24);
    std::memcpy(start, "Flags [", 8);
    const TcpFlagText& f = kTcpFlagText.text[s.tcp_flags];
    std::memcpy(start + 7, f.letters, 8);
    start[7 + f.length] = ']';
    out.advance(8u + f.length);
  }
  // Relative numbers: tcpdump records or looks up the conversation here, after the flags and
  // before its header-length check.
  std::uint32_t seq = s.seq, ack = s.ack, sack_base = 0;
  if ((s.tcp_flags & kAck) && !c.options.absolute_sequence && c.conversations != nullptr)
    c.conversations->relate(s, seq, ack, sack_base);
  if (s.tcp_header_length > s.transport_length) {
    out.append(", [bad hdr length ");
    out.append_uint(s.tcp_header_length);
    out.append(" - too long, > ");
    out.append_uint(s.transport_length);
    out.append(']');
    return;
  }
  const std::uint32_t length = s.transport_length - s.tcp_header_length;
  if (c.options.verbose > 0 && c.options.verify_checksums && !s.more_fragments &&
      !s.later_fragment && c.captured(s.transport_offset, s.transport_length)) {
    const std::uint8_t* t = c.data() + s.transport_offset;
    const std::uint16_t field = load_be16(t + 16);
    const std::uint16_t sum = transport_checksum(s, t, s.transport_length, 6);
    out.append(", cksum 0x");
    out.append_hex_padded(field, 4);
    if (sum == 0) {
      out.append(" (correct)");
    } else {
      out.append(" (incorrect -> 0x");
      out.append_hex_padded(checksum_should_be(field, sum), 4);
      out.append(')');
    }
  }
  {
    // ", seq a:b, ack c, win d, urg e" in one reservation (at most 76 bytes).
    char* const start = out.reserve(80);
    char* p = start;
    if (length > 0 || (s.tcp_flags & (kSyn | kFin | kRst)) || c.options.verbose > 1) {
      std::memcpy(p, ", seq ", 6);
      p = put_u32(p + 6, seq);
      if (length > 0) {
        *p++ = ':';
        p = put_u32(p, seq + length);
      }
    }
    if (s.tcp_flags & kAck) {
      std::memcpy(p, ", ack ", 6);
      p = put_u32(p + 6, ack);
    }
    std::memcpy(p, ", win ", 6);
    p = put_u32(p + 6, s.window);
    if (s.tcp_flags & kUrg) {
      std::memcpy(p, ", urg ", 6);
      p = put_u32(p + 6, s.urgent);
    }
    out.advance(static_cast<std::size_t>(p - start));
  }
  std::string_view marker = " [|tcp]"sv;
  if (s.tcp_header_length > 20) {
    out.append(", options [");
    const std::uint32_t options_length = s.tcp_header_length - 20u;
    const std::uint32_t start = s.transport_offset + 20;
    const std::uint32_t captured = c.caplen() > start ? c.caplen() - start : 0;
    if (!append_tcp_options(out, c.data() + start, options_length,
                            captured < options_length ? captured : options_length, c.dump_whole,
                            s.tcp_flags, c.captured(s.transport_offset, s.transport_length),
                            sack_base, marker))
      return;
  }
  {
    char* const start = out.reserve(24);
    std::memcpy(start, ", length ", 9);
    out.advance(static_cast<std::size_t>(put_u32(start + 9, length) - start));
  }
  // Options that ended early (eol) can leave the header's end uncaptured: tcpdump notices
  // when it looks past the header.
  if (!c.captured(s.transport_offset, s.tcp_header_length)) {
    out.append(" [remaining caplen(");
    out.append_uint(c.caplen() - s.transport_offset);
    out.append(") < header length(");
    out.append_uint(s.tcp_header_length);
    out.append(")]");
    out.append(marker);
    c.dump_whole = true;
    return;
  }
  if (length == 0) return;
  // -v: the text a reset carries (RFC 1122 4.2.2.12), at most 30 bytes of it, with "!" when
  // not all of it is captured and "+" when it is longer.
  if ((s.tcp_flags & kRst) && c.options.verbose > 0) {
    const std::uint32_t data = s.transport_offset + s.tcp_header_length;
    out.append(c.captured(data, length) ? " [RST"sv : " [!RST"sv);
    if (length > 30) out.append('+');
    out.append(' ');
    const std::uint32_t shown = std::min({length, 30u, c.caplen() - data});
    for (std::uint32_t i = 0; i < shown; ++i) append_safe_char(out, c.data()[data + i]);
    out.append(']');
    return;
  }
  // The payload's dissector, by port (print_dispatch.cpp).
  if (const PayloadPrinter dissect = tcp_payload_printer(s.source_port, s.destination_port))
      [[unlikely]]
    dissect(c, s.transport_offset + s.tcp_header_length, length);
}

}  // namespace slimcap::detail

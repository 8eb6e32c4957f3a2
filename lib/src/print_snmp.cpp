// SNMP (UDP 161/162) as tcpdump 4.99 prints it with -n (print-snmp.c without libsmi): the BER
// message decoded into " C="community" GetRequest(26)  .1.3.6.1.2.1.1.1.0", with -v the
// version and request ID in braces; SNMPv3's header, USM parameters and scoped PDU.
// docs/dissectors/snmp.md has the shapes.

#include <cstdint>
#include <string_view>

#include "print_internal.hpp"

namespace slimcap::detail {

namespace {

constexpr std::string_view kTrunc = " [|snmp]"sv;

constexpr std::string_view kUniversal[] = {
    "U-0"sv,  "Boolean"sv, "Integer"sv, "Bitstring"sv, "String"sv, "Null"sv,
    "ObjID"sv, "ObjectDes"sv, "U-8"sv,   "U-9"sv,       "U-10"sv,   "U-11"sv,
    "U-12"sv, "U-13"sv,    "U-14"sv,    "U-15"sv,      "Sequence"sv, "Set"sv};
constexpr std::string_view kApplication[] = {"IpAddress"sv, "Counter"sv, "Gauge"sv,
                                             "TimeTicks"sv, "Opaque"sv,  "C-5"sv,
                                             "Counter64"sv};
constexpr std::string_view kContext[] = {"GetRequest"sv, "GetNextRequest"sv, "GetResponse"sv,
                                         "SetRequest"sv, "Trap"sv,           "GetBulk"sv,
                                         "Inform"sv,     "V2Trap"sv,         "Report"sv};
constexpr std::string_view kPrivate[] = {"P-0"sv};
constexpr std::string_view kExceptions[] = {"noSuchObject"sv, "noSuchInstance"sv,
                                            "endOfMibView"sv};
constexpr std::string_view kErrors[] = {
    "noError"sv,     "tooBig"sv,          "noSuchName"sv,        "badValue"sv,
    "readOnly"sv,    "genErr"sv,          "noAccess"sv,          "wrongType"sv,
    "wrongLength"sv, "wrongEncoding"sv,   "wrongValue"sv,        "noCreation"sv,
    "inconsistentValue"sv, "resourceUnavailable"sv, "commitFailed"sv, "undoFailed"sv,
    "authorizationError"sv, "notWritable"sv, "inconsistentName"sv};
constexpr std::string_view kGenericTraps[] = {"coldStart"sv, "warmStart"sv,
                                              "linkDown"sv,  "linkUp"sv,
                                              "authenticationFailure"sv,
                                              "egpNeighborLoss"sv, "enterpriseSpecific"sv};

struct ClassInfo {
  const std::string_view* ids;
  std::uint32_t count;
};
constexpr ClassInfo kClasses[] = {{kUniversal, 18}, {kApplication, 7}, {kContext, 9},
                                  {kPrivate, 1}};

enum : std::uint8_t {
  kAny,
  kNull,
  kOctet,
  kOid,
  kInt,
  kUns,
  kStr,
  kSeq,
  kInetAddr,
  kPdu,
  kUns64,
  kNoSuchObject,
  kNoSuchInstance,
  kEndOfMibView,
};

// PDU types.
constexpr std::uint32_t kGetRequest = 0, kGetNext = 1, kSetRequest = 3, kTrap = 4,
                        kGetBulk = 5, kInform = 6, kV2Trap = 7, kReport = 8;

struct Element {
  std::uint32_t asnlen = 0;
  std::uint32_t data = 0;  // offset of the contents in the packet
  std::uint32_t id = 0;
  std::uint8_t form = 0, cls = 0, type = kAny;
  std::int32_t integer = 0;
  std::uint32_t uns = 0;
  std::uint64_t uns64 = 0;
};

class Snmp {
 public:
  explicit Snmp(const Context& c) : c_(c), out_(c.out), d_(c.data()) {}

  void message(std::uint32_t at, std::uint32_t length);

 private:
  // tcpdump's asn1_parse(): the element at `at` within `len` bytes; its size, or -1 after
  // printing why not (stopped_ when the capture ended: nothing more may be printed).
  std::int64_t parse(std::uint32_t at, std::uint32_t len, Element& e);
  void print(const Element& e);  // asn1_print()
  void varbinds(std::uint32_t pdu, std::uint32_t at, std::uint32_t length);
  void pdu_fields(std::uint32_t pdu, std::uint32_t at, std::uint32_t length);
  void trap(std::uint32_t at, std::uint32_t length);
  void pdu(std::uint32_t at, std::uint32_t length, std::int32_t version);
  void community(std::uint32_t at, std::uint32_t length, std::int32_t version);
  void v3(std::uint32_t at, std::uint32_t length);
  void usm(std::uint32_t at, std::uint32_t length);
  void scoped(std::uint32_t at, std::uint32_t length);
  // "[what]" and the element, for an element of the wrong type.
  void wrong(std::string_view what, const Element& e) {
    out_.append(what);
    print(e);
  }

  const Context& c_;
  OutputBuffer& out_;
  const std::uint8_t* d_;
  bool stopped_ = false;
};

std::int64_t Snmp::parse(std::uint32_t at, std::uint32_t len, Element& e) {
  e = Element{};
  // Past the capture: tcpdump reads the tag and length bytes with its longjmp, and checks the
  // rest (long-form length, contents) with a bounds check.
  const auto cut = [this](bool longjmp = true) {
    out_.append(kTrunc);
    if (longjmp) c_.dump_whole = true;
    stopped_ = true;
    return std::int64_t{-1};
  };
  if (len < 1) {
    out_.append("[nothing to parse]"sv);
    return -1;
  }
  if (!c_.captured(at, 1)) return cut();
  const std::uint8_t tag = d_[at];
  std::uint8_t id = tag & 0x1f;
  e.form = (tag & 0x20) >> 5;
  e.cls = (tag & 0xc0) >> 6;
  ++at;
  --len;
  std::uint32_t header = 1;
  if (id == 0x1f) {  // the tag number in the following bytes (tcpdump keeps 8 bits of it)
    id = 0;
    for (;;) {
      if (!c_.captured(at, 1)) return cut();
      if (!(d_[at] & 0x80)) break;
      if (len < 1) {
        out_.append("[Xtagfield?]"sv);
        return -1;
      }
      id = static_cast<std::uint8_t>(id << 7 | (d_[at] & 0x7f));
      --len;
      ++header;
      ++at;
    }
    if (len < 1) {
      out_.append("[Xtagfield?]"sv);
      return -1;
    }
    id = static_cast<std::uint8_t>(id << 7 | d_[at]);
    --len;
    ++header;
    ++at;
  }
  e.id = id;
  if (len < 1) {
    out_.append("[no asnlen]"sv);
    return -1;
  }
  if (!c_.captured(at, 1)) return cut();
  e.asnlen = d_[at];
  ++at;
  --len;
  ++header;
  if (e.asnlen & 0x80) {
    std::uint32_t octets = e.asnlen % 0x80;
    e.asnlen = 0;
    if (len < octets) {
      out_.append("[asnlen? "sv);
      out_.append_uint(len);
      out_.append('<');
      out_.append_uint(octets);
      out_.append(']');
      return -1;
    }
    if (!c_.captured(at, octets)) return cut(false);
    for (; octets > 0; --octets, --len, ++header) e.asnlen = e.asnlen << 8 | d_[at++];
  }
  if (len < e.asnlen) {
    out_.append("[len"sv);
    out_.append_uint(len);
    out_.append("<asnlen"sv);
    out_.append_uint(e.asnlen);
    out_.append(']');
    return -1;
  }
  if (e.cls < 4 && id >= kClasses[e.cls].count) {
    out_.append("[id?"sv);
    out_.append(e.form ? 'C' : 'P');
    out_.append("/x/"sv);  // tcpdump's class names are all "x"
    out_.append_uint(id);
    out_.append(']');
    return -1;
  }
  if (!c_.captured(at, e.asnlen)) return cut(false);
  e.data = at;
  const std::uint8_t* p = d_ + at;
  if (e.form == 0) {
    switch (e.cls) {
      case 0:
        switch (id) {
          case 4: e.type = kStr; break;
          case 2: {
            e.type = kInt;
            if (e.asnlen == 0) {
              out_.append("[asnlen=0]"sv);
              return -1;
            }
            std::uint32_t v = (p[0] & 0x80) ? 0xffffffffu : 0;
            for (std::uint32_t i = 0; i < e.asnlen; ++i) v = v << 8 | p[i];
            e.integer = static_cast<std::int32_t>(v);
            break;
          }
          case 6: e.type = kOid; break;
          case 5: e.type = kNull; break;
          default:
            e.type = kOctet;
            out_.append("[P/U/"sv);
            out_.append(kUniversal[id]);
            out_.append(']');
            break;
        }
        break;
      case 1:
        switch (id) {
          case 0: e.type = kInetAddr; break;
          case 1:
          case 2:
          case 3: {
            e.type = kUns;
            if (e.asnlen == 0) {
              out_.append("[asnlen=0]"sv);
              return -1;
            }
            std::uint32_t v = 0;
            for (std::uint32_t i = 0; i < e.asnlen; ++i) v = v << 8 | p[i];
            e.uns = v;
            break;
          }
          case 6: {
            e.type = kUns64;
            if (e.asnlen == 0) {
              out_.append("[asnlen=0]"sv);
              return -1;
            }
            std::uint64_t v = 0;
            for (std::uint32_t i = 0; i < e.asnlen; ++i) v = v << 8 | p[i];
            e.uns64 = v;
            break;
          }
          default:
            e.type = kOctet;
            out_.append("[P/A/"sv);
            out_.append(kApplication[id]);
            out_.append(']');
            break;
        }
        break;
      case 2:
        if (id == 0) e.type = kNoSuchObject;
        if (id == 1) e.type = kNoSuchInstance;
        if (id == 2) e.type = kEndOfMibView;
        break;
      default:
        out_.append("[P/x/"sv);
        out_.append(kClasses[e.cls].ids[id]);
        out_.append(']');
        e.type = kOctet;
        break;
    }
  } else {
    switch (e.cls) {
      case 0:
        if (id == 16) {
          e.type = kSeq;
        } else {
          e.type = kOctet;
          out_.append("C/U/"sv);
          out_.append(kUniversal[id]);
        }
        break;
      case 2: e.type = kPdu; break;
      default:
        e.type = kOctet;
        out_.append("C/x/"sv);
        out_.append(kClasses[e.cls].ids[id]);
        break;
    }
  }
  return std::int64_t{e.asnlen} + header;
}

void Snmp::print(const Element& e) {
  const std::uint8_t* p = d_ + e.data;
  switch (e.type) {
    case kOctet:
      for (std::uint32_t i = 0; i < e.asnlen; ++i) {
        out_.append('_');
        out_.append_hex8(p[i]);
      }
      break;
    case kNull: break;
    case kOid: {
      std::uint32_t o = 0;
      bool first = true;
      for (std::uint32_t i = 0; i < e.asnlen; ++i) {
        o = (o << 7) + (p[i] & 0x7f);
        if (p[i] & 0x80) continue;
        if (first) {  // the first byte holds two components: 40 * X + Y
          first = false;
          const std::uint32_t s = o / 40 > 2 ? 2 : o / 40;
          out_.append('.');
          out_.append_uint(s);
          o -= s * 40;
        }
        out_.append('.');
        out_.append_uint(o);
        o = 0;
      }
      break;
    }
    case kInt: out_.append_int(e.integer); break;
    case kUns: out_.append_uint(e.uns); break;
    case kUns64: out_.append_uint(e.uns64); break;
    case kStr: {
      bool printable = true;
      for (std::uint32_t i = 0; i < e.asnlen && printable; ++i)
        printable = p[i] >= 0x20 && p[i] < 0x7f;
      if (printable) {
        out_.append('"');
        out_.append(std::string_view(reinterpret_cast<const char*>(p), e.asnlen));
        out_.append('"');
      } else {
        for (std::uint32_t i = 0; i < e.asnlen; ++i) {
          if (i) out_.append('_');
          out_.append_hex8(p[i]);
        }
      }
      break;
    }
    case kSeq:
      out_.append("Seq("sv);
      out_.append_uint(e.asnlen);
      out_.append(')');
      break;
    case kInetAddr:
      if (e.asnlen != 4) out_.append("[inetaddr len!=4]"sv);
      for (std::uint32_t i = 0; i < e.asnlen; ++i) {
        if (i) out_.append('.');
        out_.append_uint(p[i]);
      }
      break;
    case kNoSuchObject:
    case kNoSuchInstance:
    case kEndOfMibView:
      out_.append('[');
      out_.append(kExceptions[e.id]);
      out_.append(']');
      break;
    case kPdu:
      out_.append(kContext[e.id]);
      out_.append('(');
      out_.append_uint(e.asnlen);
      out_.append(')');
      break;
    default: out_.append("[BE_ANY!?]"sv); break;
  }
}

void Snmp::varbinds(std::uint32_t pdu, std::uint32_t at, std::uint32_t length) {
  Element e;
  std::int64_t n = parse(at, length, e);
  if (n < 0) return;
  if (e.type != kSeq) return wrong("[!SEQ of varbind]"sv, e);
  if (n < length) {
    out_.append('[');
    out_.append_uint(length - n);
    out_.append(" extra after SEQ of varbind]"sv);
  }
  length = e.asnlen;
  at = e.data;
  const bool request = pdu == kGetRequest || pdu == kGetNext || pdu == kGetBulk;
  while (length > 0) {
    out_.append(' ');
    if ((n = parse(at, length, e)) < 0) return;
    if (e.type != kSeq) return wrong("[!varbind]"sv, e);
    const std::uint32_t next = at + static_cast<std::uint32_t>(n);
    const std::uint32_t rest = length - static_cast<std::uint32_t>(n);
    length = e.asnlen;
    at = e.data;
    if ((n = parse(at, length, e)) < 0) return;
    if (e.type != kOid) return wrong("[objName!=OID]"sv, e);
    print(e);
    length -= static_cast<std::uint32_t>(n);
    at += static_cast<std::uint32_t>(n);
    if (!request) out_.append('=');
    if ((n = parse(at, length, e)) < 0) return;
    if (request) {
      if (e.type != kNull) {
        out_.append("[objVal!=NULL]"sv);
        print(e);
      }
    } else if (e.type != kNull) {
      print(e);
    }
    length = rest;
    at = next;
  }
}

void append_error_status(OutputBuffer& out, std::int32_t v) {
  if (v >= 0 && v < 19) {
    out.append(kErrors[v]);
  } else {
    out.append("err="sv);
    out.append_uint(static_cast<std::uint32_t>(v));
  }
}

void Snmp::pdu_fields(std::uint32_t pdu, std::uint32_t at, std::uint32_t length) {
  Element e;
  std::int64_t n = parse(at, length, e);
  if (n < 0) return;
  if (e.type != kInt) return wrong("[reqId!=INT]"sv, e);
  if (c_.options.verbose) {
    out_.append("R="sv);
    out_.append_int(e.integer);
    out_.append(' ');
  }
  length -= static_cast<std::uint32_t>(n);
  at += static_cast<std::uint32_t>(n);
  if ((n = parse(at, length, e)) < 0) return;
  if (e.type != kInt) return wrong("[errorStatus!=INT]"sv, e);
  const bool strict = pdu == kGetRequest || pdu == kGetNext || pdu == kSetRequest ||
                      pdu == kInform || pdu == kV2Trap || pdu == kReport;
  std::int32_t error = 0;
  if (strict && e.integer != 0) {
    out_.append("[errorStatus("sv);
    append_error_status(out_, e.integer);
    out_.append(")!=0]"sv);
  } else if (pdu == kGetBulk) {
    out_.append(" N="sv);
    out_.append_int(e.integer);
  } else if (e.integer != 0) {
    out_.append(' ');
    append_error_status(out_, e.integer);
    error = e.integer;
  }
  length -= static_cast<std::uint32_t>(n);
  at += static_cast<std::uint32_t>(n);
  if ((n = parse(at, length, e)) < 0) return;
  if (e.type != kInt) return wrong("[errorIndex!=INT]"sv, e);
  if (strict && e.integer != 0) {
    out_.append("[errorIndex("sv);
    out_.append_int(e.integer);
    out_.append(")!=0]"sv);
  } else if (pdu == kGetBulk) {
    out_.append(" M="sv);
    out_.append_int(e.integer);
  } else if (e.integer != 0) {
    if (!error) {
      out_.append("[errorIndex("sv);
      out_.append_int(e.integer);
      out_.append(") w/o errorStatus]"sv);
    } else {
      out_.append('@');
      out_.append_int(e.integer);
    }
  } else if (error) {
    out_.append("[errorIndex==0]"sv);
  }
  length -= static_cast<std::uint32_t>(n);
  at += static_cast<std::uint32_t>(n);
  varbinds(pdu, at, length);
}

void Snmp::trap(std::uint32_t at, std::uint32_t length) {
  Element e;
  out_.append(' ');
  std::int64_t n = parse(at, length, e);
  if (n < 0) return;
  if (e.type != kOid) return wrong("[enterprise!=OID]"sv, e);
  print(e);
  length -= static_cast<std::uint32_t>(n);
  at += static_cast<std::uint32_t>(n);
  out_.append(' ');
  if ((n = parse(at, length, e)) < 0) return;
  if (e.type != kInetAddr) return wrong("[agent-addr!=INETADDR]"sv, e);
  print(e);
  length -= static_cast<std::uint32_t>(n);
  at += static_cast<std::uint32_t>(n);
  if ((n = parse(at, length, e)) < 0) return;
  if (e.type != kInt) return wrong("[generic-trap!=INT]"sv, e);
  const std::int32_t generic = e.integer;
  out_.append(' ');
  if (generic >= 0 && generic < 7) {
    out_.append(kGenericTraps[generic]);
  } else {
    out_.append("gt="sv);
    out_.append_int(generic);
  }
  length -= static_cast<std::uint32_t>(n);
  at += static_cast<std::uint32_t>(n);
  if ((n = parse(at, length, e)) < 0) return;
  if (e.type != kInt) return wrong("[specific-trap!=INT]"sv, e);
  if (generic != 6) {
    if (e.integer != 0) {
      out_.append("[specific-trap("sv);
      out_.append_int(e.integer);
      out_.append(")!=0]"sv);
    }
  } else {
    out_.append(" s="sv);
    out_.append_int(e.integer);
  }
  length -= static_cast<std::uint32_t>(n);
  at += static_cast<std::uint32_t>(n);
  out_.append(' ');
  if ((n = parse(at, length, e)) < 0) return;
  if (e.type != kUns) return wrong("[time-stamp!=TIMETICKS]"sv, e);
  print(e);
  length -= static_cast<std::uint32_t>(n);
  at += static_cast<std::uint32_t>(n);
  varbinds(kTrap, at, length);
}

void Snmp::pdu(std::uint32_t at, std::uint32_t length, std::int32_t version) {
  Element p;
  const std::int64_t n = parse(at, length, p);
  if (n < 0) return;
  if (p.type != kPdu) {
    out_.append("[no PDU]"sv);
    return;
  }
  if (n < length) {
    out_.append('[');
    out_.append_uint(length - n);
    out_.append(" extra after PDU]"sv);
  }
  if (c_.options.verbose) out_.append("{ "sv);
  print(p);
  out_.append(' ');
  if (version == 0 && (p.id == kGetBulk || p.id == kInform || p.id == kV2Trap || p.id == kReport)) {
    out_.append("[v2 PDU in v1 message]"sv);
    return;
  }
  if (version == 1 && p.id == kTrap) {
    out_.append("[v1 PDU in v2 message]"sv);
    return;
  }
  if (p.id == kTrap)
    trap(p.data, p.asnlen);
  else
    pdu_fields(p.id, p.data, p.asnlen);
  if (stopped_) return;
  if (c_.options.verbose) out_.append(" } "sv);
}

void Snmp::community(std::uint32_t at, std::uint32_t length, std::int32_t version) {
  Element e;
  const std::int64_t n = parse(at, length, e);
  if (n < 0) return;
  if (e.type != kStr) return wrong("[comm!=STR]"sv, e);
  const std::string_view text(reinterpret_cast<const char*>(d_ + e.data), e.asnlen);
  if (text != "public"sv) {
    out_.append("C="sv);
    print(e);
    out_.append(' ');
  }
  pdu(at + static_cast<std::uint32_t>(n), length - static_cast<std::uint32_t>(n), version);
}

// SNMPv3: the header (msgID, msgMaxSize, msgFlags, msgSecurityModel), the USM parameters,
// the scoped PDU.
void Snmp::v3(std::uint32_t at, std::uint32_t length) {
  Element e;
  std::int64_t n = parse(at, length, e);
  if (n < 0) return;
  if (e.type != kSeq) return wrong("[!message]"sv, e);
  std::uint32_t hlength = e.asnlen, hat = e.data;
  const bool verbose = c_.options.verbose != 0;
  if (verbose) out_.append("{ "sv);
  if ((n = parse(hat, hlength, e)) < 0) return;
  if (e.type != kInt) return wrong("[msgID!=INT]"sv, e);
  hlength -= static_cast<std::uint32_t>(n);
  hat += static_cast<std::uint32_t>(n);
  if ((n = parse(hat, hlength, e)) < 0) return;
  if (e.type != kInt) return wrong("[msgMaxSize!=INT]"sv, e);
  hlength -= static_cast<std::uint32_t>(n);
  hat += static_cast<std::uint32_t>(n);
  if ((n = parse(hat, hlength, e)) < 0) return;
  if (e.type != kStr) return wrong("[msgFlags!=STR]"sv, e);
  if (e.asnlen != 1) {
    out_.append("[msgFlags size "sv);
    out_.append_uint(e.asnlen);
    out_.append(']');
    return;
  }
  const std::uint8_t flags = d_[e.data];
  if (flags != 0 && flags != 1 && flags != 3 && flags != 4 && flags != 5 && flags != 7) {
    out_.append("[msgFlags=0x"sv);
    static constexpr char kHex[] = "0123456789ABCDEF";
    out_.append(kHex[flags >> 4]);
    out_.append(kHex[flags & 15]);
    out_.append(']');
    return;
  }
  hlength -= static_cast<std::uint32_t>(n);
  hat += static_cast<std::uint32_t>(n);
  out_.append("F="sv);
  if (flags & 1) out_.append('a');
  if (flags & 2) out_.append('p');
  if (flags & 4) out_.append('r');
  out_.append(' ');
  if ((n = parse(hat, hlength, e)) < 0) return;
  if (e.type != kInt) return wrong("[msgSecurityModel!=INT]"sv, e);
  const std::int32_t model = e.integer;
  hlength -= static_cast<std::uint32_t>(n);
  hat += static_cast<std::uint32_t>(n);
  if (n < hlength) {
    out_.append('[');
    out_.append_uint(hlength - n);
    out_.append(" extra after message SEQ]"sv);
  }
  if (verbose) out_.append("} "sv);
  if (model != 3) {
    out_.append("[security model "sv);
    out_.append_int(model);
    out_.append(']');
    return;
  }
  if (verbose) out_.append("{ USM "sv);
  // tcpdump goes on where its header parse stopped.
  length -= hat - at;
  at = hat;
  if ((n = parse(at, length, e)) < 0) return;
  if (e.type != kStr) return wrong("[msgSecurityParameters!=STR]"sv, e);
  length -= static_cast<std::uint32_t>(n);
  at += static_cast<std::uint32_t>(n);
  usm(e.data, e.asnlen);
  if (stopped_) return;
  if (verbose) out_.append("} { ScopedPDU "sv);
  scoped(at, length);
  if (stopped_) return;
  if (verbose) out_.append("} "sv);
}

void Snmp::usm(std::uint32_t at, std::uint32_t length) {
  Element e;
  std::int64_t n = parse(at, length, e);
  if (n < 0) return;
  if (e.type != kSeq) return wrong("[!usm]"sv, e);
  length = e.asnlen;
  at = e.data;
  static constexpr std::string_view kFields[] = {
      "[msgAuthoritativeEngineID!=STR]"sv, "[msgAuthoritativeEngineBoots!=INT]"sv,
      "[msgAuthoritativeEngineTime!=INT]"sv, "[msgUserName!=STR]"sv,
      "[msgAuthenticationParameters!=STR]"sv, "[msgPrivacyParameters!=STR]"sv};
  for (std::uint32_t i = 0; i < 6; ++i) {
    if ((n = parse(at, length, e)) < 0) return;
    const bool number = i == 1 || i == 2;
    if (e.type != (number ? kInt : kStr)) return wrong(kFields[i], e);
    if (number && c_.options.verbose) {
      out_.append(i == 1 ? "B="sv : "T="sv);
      out_.append_int(e.integer);
      out_.append(' ');
    }
    if (i == 3) {
      out_.append("U="sv);
      print(e);
      out_.append(' ');
    }
    length -= static_cast<std::uint32_t>(n);
    at += static_cast<std::uint32_t>(n);
  }
  if (n < length) {
    out_.append('[');
    out_.append_uint(length - n);
    out_.append(" extra after usm SEQ]"sv);
  }
}

void Snmp::scoped(std::uint32_t at, std::uint32_t length) {
  Element e;
  std::int64_t n = parse(at, length, e);
  if (n < 0) return;
  if (e.type != kSeq) return wrong("[!scoped PDU]"sv, e);
  length = e.asnlen;
  at = e.data;
  if ((n = parse(at, length, e)) < 0) return;
  if (e.type != kStr) return wrong("[contextEngineID!=STR]"sv, e);
  length -= static_cast<std::uint32_t>(n);
  at += static_cast<std::uint32_t>(n);
  out_.append("E="sv);
  for (std::uint32_t i = 0; i < e.asnlen; ++i) {
    out_.append('_');
    out_.append_hex8(d_[e.data + i]);
  }
  out_.append(' ');
  if ((n = parse(at, length, e)) < 0) return;
  if (e.type != kStr) return wrong("[contextName!=STR]"sv, e);
  length -= static_cast<std::uint32_t>(n);
  at += static_cast<std::uint32_t>(n);
  out_.append("C="sv);
  print(e);
  out_.append(' ');
  pdu(at, length, 3);
}

void Snmp::message(std::uint32_t at, std::uint32_t length) {
  out_.append(' ');
  Element e;
  std::int64_t n = parse(at, length, e);
  if (n < 0) return;
  if (e.type != kSeq) return wrong("[!init SEQ]"sv, e);
  if (n < length) {
    out_.append('[');
    out_.append_uint(length - n);
    out_.append(" extra after iSEQ]"sv);
  }
  length = e.asnlen;
  at = e.data;
  if ((n = parse(at, length, e)) < 0) return;
  if (e.type != kInt) return wrong("[version!=INT]"sv, e);
  const std::int32_t version = e.integer;
  if (version != 0 && version != 1 && version != 3) {
    out_.append("SNMP [version = "sv);
    out_.append_int(version);
    out_.append(']');
    return;
  }
  if (c_.options.verbose) {
    out_.append("{ "sv);
    out_.append(version == 0 ? "SNMPv1"sv : version == 1 ? "SNMPv2c"sv : "SNMPv3"sv);
    out_.append(' ');
  }
  if (version == 3)
    v3(at + static_cast<std::uint32_t>(n), length - static_cast<std::uint32_t>(n));
  else
    community(at + static_cast<std::uint32_t>(n), length - static_cast<std::uint32_t>(n), version);
  if (stopped_) return;
  if (c_.options.verbose) out_.append("} "sv);
}

}  // namespace

void print_snmp(const Context& c, std::uint32_t offset, std::uint32_t length) {
  Snmp(c).message(offset, length);
}

}  // namespace slimcap::detail

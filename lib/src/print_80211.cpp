// IEEE 802.11 frames, bare (LINKTYPE_IEEE802_11) or behind a radiotap header
// (LINKTYPE_IEEE802_11_RADIO), as tcpdump 4.99 prints them (print-802_11.c): the radiotap
// fields tcpdump shows ("1.0 Mb/s 2412 MHz 11b -40dBm signal antenna 0 "), then the frame:
// management frames with their SSID, rates, channel, reason or status; control frames with
// their addresses; data frames with the LLC/SNAP header (with -e) and the network layer the
// decoder found. The decoder (decode.cpp: decode_80211, radiotap_info) and this file agree on
// the header lengths; the FCS, when the radiotap flags announce one, is not printed.

#include <cstdint>
#include <string_view>

#include "print_internal.hpp"
#include "slimcap/link_type.hpp"

namespace slimcap::detail {

namespace {

// tcpdump's texts for status and reason codes (print-802_11.c's status_text and reason_text,
// as 4.99.3 prints them); codes past the tables print "n/a" and "Reserved".
constexpr std::string_view kReasons[] = {
    "Reserved"sv,  // 0
    "Unspecified reason"sv,  // 1
    "Previous authentication no longer valid"sv,  // 2
    "Deauthenticated because sending STA is leaving (or has left) IBSS or ESS"sv,  // 3
    "Disassociated due to inactivity"sv,  // 4
    "Disassociated because AP is unable to handle all currently  associated STAs"sv,  // 5
    "Class 2 frame received from nonauthenticated STA"sv,  // 6
    "Class 3 frame received from nonassociated STA"sv,  // 7
    "Disassociated because sending STA is leaving (or has left) BSS"sv,  // 8
    "STA requesting (re)association is not authenticated with responding STA"sv,  // 9
    "Disassociated because the information in the Power Capability element is unacceptable"sv,  // 10
    "Disassociated because the information in the Supported Channels element is unacceptable"sv,  // 11
    "Disassociated due to BSS transition management"sv,  // 12
    "Invalid element, i.e., an element defined in this standard for which the content does not meet the specifications in Clause 9"sv,  // 13
    "Message integrity code (MIC) failure"sv,  // 14
    "4-Way Handshake timeout"sv,  // 15
    "Group key handshake timeout"sv,  // 16
    "Information element in 4-Way Handshake different from (Re)AssociationRequest/Probe Response/Beacon frame"sv,  // 17
    "Invalid group cipher"sv,  // 18
    "Invalid pairwise cipher"sv,  // 19
    "Invalid AKMP"sv,  // 20
    "Unsupported RSNE version"sv,  // 21
    "Invalid RSNE capabilities"sv,  // 22
    "IEEE 802.1X authentication failed"sv,  // 23
    "Cipher suite rejected because of the security policy"sv,  // 24
    "TDLS direct-link teardown due to TDLS peer STA unreachable via the TDLS direct link"sv,  // 25
    "TDLS direct-link teardown for unspecified reason"sv,  // 26
    "Disassociated because session terminated by SSP request"sv,  // 27
    "Disassociated because of lack of SSP roaming agreement"sv,  // 28
    "Requested service rejected because of SSP cipher suite or AKM requirement"sv,  // 29
    "Requested service not authorized in this location"sv,  // 30
    "TS deleted because QoS AP lacks sufficient bandwidth for this QoS STA due to a change in BSS service characteristics or operational mode (e.g. an HT BSS change from 40 MHz channel to 20 MHz channel)"sv,  // 31
    "Disassociated for unspecified, QoS-related reason"sv,  // 32
    "Disassociated because QoS AP lacks sufficient bandwidth for this QoS STA"sv,  // 33
    "Disassociated because of excessive number of frames that need to be acknowledged, but are not acknowledged due to AP transmissions and/or poor channel conditions"sv,  // 34
    "Disassociated because STA is transmitting outside the limits of its TXOPs"sv,  // 35
    "Requested from peer STA as the STA is leaving the BSS (or resetting)"sv,  // 36
    "Requested from peer STA as it does not want to use the mechanism"sv,  // 37
    "Requested from peer STA as the STA received frames using the mechanism for which a set up is required"sv,  // 38
    "Requested from peer STA due to time out"sv,  // 39
    "Reserved"sv,  // 40
    "Reserved"sv,  // 41
    "Reserved"sv,  // 42
    "Reserved"sv,  // 43
    "Reserved"sv,  // 44
    "Peer STA does not support the requested cipher suite"sv,  // 45
    "In a DLS Teardown frame: The teardown was initiated by the DLS peer. In a Disassociation frame: Disassociated because authorized access limit reached"sv,  // 46
    "In a DLS Teardown frame: The teardown was initiated by the AP. In a Disassociation frame: Disassociated due to external service requirements"sv,  // 47
    "Invalid FT Action frame count"sv,  // 48
    "Invalid pairwise master key identifier (PMKID)"sv,  // 49
    "Invalid MDE"sv,  // 50
    "Invalid FTE"sv,  // 51
    "Mesh peering canceled for unknown reasons"sv,  // 52
    "The mesh STA has reached the supported maximum number of peer mesh STAs"sv,  // 53
    "The received information violates the Mesh Configuration policy configured in the mesh STA profile"sv,  // 54
    "The mesh STA has received a Mesh Peering Close frame requesting to close the mesh peering"sv,  // 55
    "The mesh STA has resent dot11MeshMaxRetries Mesh Peering Open frames, without receiving a Mesh Peering Confirm frame"sv,  // 56
    "The confirmTimer for the mesh peering instance times out"sv,  // 57
    "The mesh STA fails to unwrap the GTK or the values in the wrapped contents do not match"sv,  // 58
    "The mesh STA receives inconsistent information about the mesh parameters between mesh peering Management frames"sv,  // 59
    "The mesh STA fails the authenticated mesh peering exchange because due to failure in selecting either the pairwise ciphersuite or group ciphersuite"sv,  // 60
    "The mesh STA does not have proxy information for this external destination"sv,  // 61
    "The mesh STA does not have forwarding information for this destination"sv,  // 62
    "The mesh STA determines that the link to the next hop of an active path in its forwarding information is no longer usable"sv,  // 63
    "The Deauthentication frame was sent because the MAC address of the STA already exists in the mesh BSS"sv,  // 64
    "The mesh STA performs channel switch to meet regulatory requirements"sv,  // 65
    "The mesh STA performs channel switching with unspecified reason"sv,  // 66
};

constexpr std::string_view kStatuses[] = {
    "Successful"sv,  // 0
    "Unspecified failure"sv,  // 1
    "TDLS wakeup schedule rejected but alternative schedule provided"sv,  // 2
    "TDLS wakeup schedule rejected"sv,  // 3
    "Reserved"sv,  // 4
    "Security disabled"sv,  // 5
    "Unacceptable lifetime"sv,  // 6
    "Not in same BSS"sv,  // 7
    "Reserved"sv,  // 8
    "Reserved"sv,  // 9
    "Cannot Support all requested capabilities in the Capability Information field"sv,  // 10
    "Reassociation denied due to inability to confirm that association exists"sv,  // 11
    "Association denied due to reason outside the scope of this standard"sv,  // 12
    "Responding STA does not support the specified authentication algorithm"sv,  // 13
    "Received an Authentication frame with authentication transaction sequence number out of expected sequence"sv,  // 14
    "Authentication rejected because of challenge failure"sv,  // 15
    "Authentication rejected due to timeout waiting for next frame in sequence"sv,  // 16
    "Association denied because AP is unable to handle additional associated STAs"sv,  // 17
    "Association denied due to requesting STA not supporting all of the data rates in the BSSBasicRateSet parameter, the Basic HT-MCS Set field of the HT Operation parameter, or the Basic VHT-MCS and NSS Set field in the VHT Operation parameter"sv,  // 18
    "Association denied due to requesting STA not supporting the short preamble option"sv,  // 19
    "Reserved"sv,  // 20
    "Reserved"sv,  // 21
    "Association request rejected because Spectrum Management capability is required"sv,  // 22
    "Association request rejected because the information in the Power Capability element is unacceptable"sv,  // 23
    "Association request rejected because the information in the Supported Channels element is unacceptable"sv,  // 24
    "Association denied due to requesting STA not supporting the Short Slot Time option"sv,  // 25
    "Reserved"sv,  // 26
    "Association denied because the requested STA does not support HT features"sv,  // 27
    "R0KH unreachable"sv,  // 28
    "Association denied because the requesting STA does not support the phased coexistence operation (PCO) transition time required by the AP"sv,  // 29
    "Association request rejected temporarily; try again later"sv,  // 30
    "Robust management frame policy violation"sv,  // 31
    "Unspecified, QoS-related failure"sv,  // 32
    "Association denied because QoS AP or PCP has insufficient bandwidth to handle another QoS STA"sv,  // 33
    "Association denied due to excessive frame loss rates and/or poor conditions on current operating channel"sv,  // 34
    "Association (with QoS BSS) denied because the requesting STA does not support the QoS facility"sv,  // 35
    "Reserved"sv,  // 36
    "The request has been declined"sv,  // 37
    "The request has not been successful as one or more parameters have invalid values"sv,  // 38
    "The allocation or TS has not been created because the request cannot be honored; however, a suggested TSPEC/DMG TSPEC is provided so that the initiating STA can attempt to set another allocation or TS with the suggested changes to the TSPEC/DMG TSPEC"sv,  // 39
    "Invalid element, i.e., an element defined in this standard for which the content does not meet the specifications in Clause 9"sv,  // 40
    "Invalid group cipher"sv,  // 41
    "Invalid pairwise cipher"sv,  // 42
    "Invalid AKMP"sv,  // 43
    "Unsupported RSNE version"sv,  // 44
    "Invalid RSNE capabilities"sv,  // 45
    "Cipher suite rejected because of security policy"sv,  // 46
    "The TS or allocation has not been created; however, the HC or PCP might be capable of creating a TS or allocation, in response to a request, after the time indicated in the TS Delay element"sv,  // 47
    "Direct Link is not allowed in the BSS by policy"sv,  // 48
    "The Destination STA is not present within this BSS"sv,  // 49
    "The Destination STA is not a QoS STA"sv,  // 50
    "Association denied because the listen interval is too large"sv,  // 51
    "Invalid FT Action frame count"sv,  // 52
    "Invalid pairwise master key identifier (PMKID)"sv,  // 53
    "Invalid MDE"sv,  // 54
    "Invalid FTE"sv,  // 55
    "Requested TCLAS processing is not supported by the AP or PCP"sv,  // 56
    "The AP or PCP has insufficient TCLAS processing resources to satisfy the request"sv,  // 57
    "The TS has not been created because the request cannot be honored; however, the HC or PCP suggests that the STA transition to a different BSS to set up the TS"sv,  // 58
    "GAS Advertisement Protocol not supported"sv,  // 59
    "No outstanding GAS request"sv,  // 60
    "GAS Response not received from the Advertisement Server"sv,  // 61
    "STA timed out waiting for GAS Query Response"sv,  // 62
    "LARGE GAS Response is larger than query response length limit"sv,  // 63
    "Request refused because home network does not support request"sv,  // 64
    "Advertisement Server in the network is not currently reachable"sv,  // 65
    "Reserved"sv,  // 66
    "Request refused due to permissions received via SSPN interface"sv,  // 67
    "Request refused because the AP or PCP does not support unauthenticated access"sv,  // 68
    "Reserved"sv,  // 69
    "Reserved"sv,  // 70
    "Reserved"sv,  // 71
    "Invalid contents of RSNE"sv,  // 72
    "U-APSD coexistence is not supported"sv,  // 73
    "Requested U-APSD coexistence mode is not supported"sv,  // 74
    "Requested Interval/Duration value cannot be supported with U-APSD coexistence"sv,  // 75
    "Authentication is rejected because an Anti-Clogging Token is required"sv,  // 76
    "Authentication is rejected because the offered finite cyclic group is not supported"sv,  // 77
    "The TBTT adjustment request has not been successful because the STA could not find an alternative TBTT"sv,  // 78
    "Transmission failure"sv,  // 79
    "Requested TCLAS Not Supported"sv,  // 80
    "TCLAS Resources Exhausted"sv,  // 81
    "Rejected with Suggested BSS transition"sv,  // 82
    "Reject with recommended schedule"sv,  // 83
    "Reject because no wakeup schedule specified"sv,  // 84
    "Success, the destination STA is in power save mode"sv,  // 85
    "FST pending, in process of admitting FST session"sv,  // 86
    "Performing FST now"sv,  // 87
    "FST pending, gap(s) in block ack window"sv,  // 88
    "Reject because of U-PID setting"sv,  // 89
    "Reserved"sv,  // 90
    "Reserved"sv,  // 91
    "(Re)Association refused for some external reason"sv,  // 92
    "(Re)Association refused because of memory limits at the AP"sv,  // 93
    "(Re)Association refused because emergency services are not supported at the AP"sv,  // 94
    "GAS query response not yet received"sv,  // 95
    "Reject since the request is for transition to a frequency band subject to DSE procedures and FST Initiator is a dependent STA"sv,  // 96
    "Requested TCLAS processing has been terminated by the AP"sv,  // 97
    "The TS schedule conflicts with an existing schedule; an alternative schedule is provided"sv,  // 98
    "The association has been denied; however, one or more Multi-band elements are included that can be used by the receiving STA to join the BSS"sv,  // 99
    "The request failed due to a reservation conflict"sv,  // 100
    "The request failed due to exceeded MAF limit"sv,  // 101
    "The request failed due to exceeded MCCA track limit"sv,  // 102
    "Association denied because the information in theSpectrum Management field is unacceptable"sv,  // 103
    "Association denied because the requesting STA does not support VHT features"sv,  // 104
    "Enablement denied"sv,  // 105
    "Enablement denied due to restriction from an authorized GDB"sv,  // 106
    "Authorization deenabled"sv,  // 107
};


void append_hex(OutputBuffer& out, std::uint32_t v) {
  char digits[8];
  int n = 0;
  do {
    digits[n++] = "0123456789abcdef"[v & 15];
    v >>= 4;
  } while (v != 0);
  while (n > 0) out.append(digits[--n]);
}

// printf("%d") of a signed value.
void append_signed(OutputBuffer& out, std::int32_t v) {
  if (v < 0) {
    out.append('-');
    out.append_uint(static_cast<std::uint64_t>(-static_cast<std::int64_t>(v)));
  } else {
    out.append_uint(static_cast<std::uint64_t>(v));
  }
}

// "%2.1f" of half the value (radiotap and supported rates are in 500 kb/s units).
void append_half(OutputBuffer& out, std::uint32_t v) {
  out.append_uint(v / 2);
  out.append(v & 1 ? ".5"sv : ".0"sv);
}

// tcpdump's wep_print(): " IV:%3x Pad %x KeyID %x" of the little-endian IV word.
void append_wep_iv(OutputBuffer& out, std::uint32_t iv) {
  out.append(" IV:");
  const std::uint32_t v = iv & 0xffffff;
  if (v < 0x10)
    out.append("  ");
  else if (v < 0x100)
    out.append(' ');
  append_hex(out, v);
  out.append(" Pad ");
  append_hex(out, (iv >> 24) & 0x3f);
  out.append(" KeyID ");
  append_hex(out, iv >> 30);
}

// ---- radiotap -------------------------------------------------------------------------------

// tcpdump's nd_cpack: fields aligned to their size from the header's start, within `length`.
struct Cpack {
  const std::uint8_t* base;
  std::uint32_t length;
  std::uint32_t at;
  bool take(std::uint32_t size, std::uint32_t align, std::uint32_t& where) {
    const std::uint32_t a = (at + align - 1) & ~(align - 1);
    if (a + size > length) return false;
    where = a;
    at = a + size;
    return true;
  }
  std::uint8_t u8(std::uint32_t w) const { return base[w]; }
  std::uint16_t u16(std::uint32_t w) const { return load_le16(base + w); }
  std::uint32_t u32(std::uint32_t w) const { return load_le32(base + w); }
};

constexpr std::uint32_t kMcsKnownBandwidth = 0x01, kMcsKnownIndex = 0x02, kMcsKnownGi = 0x04,
                        kMcsKnownFormat = 0x08, kMcsKnownFec = 0x10, kMcsKnownStbc = 0x20;

// 802.11n rates in 100 kb/s for MCS 0-76: [index][40 MHz][short GI] (tcpdump's table, the
// IEEE 802.11n-2009 values).
constexpr std::uint16_t kHtRates[77][2][2] = {
    {{65, 72}, {135, 150}},     {{130, 144}, {270, 300}},   {{195, 217}, {405, 450}},
    {{260, 289}, {540, 600}},   {{390, 433}, {810, 900}},   {{520, 578}, {1080, 1200}},
    {{585, 650}, {1215, 1350}}, {{650, 722}, {1350, 1500}}, {{130, 144}, {270, 300}},
    {{260, 289}, {540, 600}},   {{390, 433}, {810, 900}},   {{520, 578}, {1080, 1200}},
    {{780, 867}, {1620, 1800}}, {{1040, 1156}, {2160, 2400}}, {{1170, 1300}, {2430, 2700}},
    {{1300, 1444}, {2700, 3000}}, {{195, 217}, {405, 450}}, {{390, 433}, {810, 900}},
    {{585, 650}, {1215, 1350}}, {{780, 867}, {1620, 1800}}, {{1170, 1300}, {2430, 2700}},
    {{1560, 1733}, {3240, 3600}}, {{1755, 1950}, {3645, 4050}}, {{1950, 2167}, {4050, 4500}},
    {{260, 289}, {540, 600}},   {{520, 578}, {1080, 1200}}, {{780, 867}, {1620, 1800}},
    {{1040, 1156}, {2160, 2400}}, {{1560, 1733}, {3240, 3600}}, {{2080, 2311}, {4320, 4800}},
    {{2340, 2600}, {4860, 5400}}, {{2600, 2889}, {5400, 6000}}, {{0, 0}, {60, 67}},
    {{390, 433}, {810, 900}},   {{520, 578}, {1080, 1200}}, {{650, 722}, {1350, 1500}},
    {{585, 650}, {1215, 1350}}, {{780, 867}, {1620, 1800}}, {{975, 1083}, {2025, 2250}},
    {{520, 578}, {1080, 1200}}, {{650, 722}, {1350, 1500}}, {{650, 722}, {1350, 1500}},
    {{780, 867}, {1620, 1800}}, {{910, 1011}, {1890, 2100}}, {{910, 1011}, {1890, 2100}},
    {{1040, 1156}, {2160, 2400}}, {{780, 867}, {1620, 1800}}, {{975, 1083}, {2025, 2250}},
    {{975, 1083}, {2025, 2250}}, {{1170, 1300}, {2430, 2700}}, {{1365, 1517}, {2835, 3150}},
    {{1365, 1517}, {2835, 3150}}, {{1560, 1733}, {3240, 3600}}, {{650, 722}, {1350, 1500}},
    {{780, 867}, {1620, 1800}}, {{910, 1011}, {1890, 2100}}, {{780, 867}, {1620, 1800}},
    {{910, 1011}, {1890, 2100}}, {{1040, 1156}, {2160, 2400}}, {{1040, 1156}, {2160, 2400}},
    {{1170, 1300}, {2430, 2700}}, {{1300, 1444}, {2700, 3000}}, {{1300, 1444}, {2700, 3000}},
    {{1430, 1589}, {2970, 3300}}, {{975, 1083}, {2025, 2250}}, {{1170, 1300}, {2430, 2700}},
    {{1365, 1517}, {2835, 3150}}, {{1170, 1300}, {2430, 2700}}, {{1365, 1517}, {2835, 3150}},
    {{1560, 1733}, {3240, 3600}}, {{1560, 1733}, {3240, 3600}}, {{1755, 1950}, {3645, 4050}},
    {{1950, 2167}, {4050, 4500}}, {{1950, 2167}, {4050, 4500}}, {{2145, 2383}, {4455, 4950}},
};

void append_tenths(OutputBuffer& out, std::uint32_t v) {
  out.append_uint(v / 10);
  out.append('.');
  out.append_uint(v % 10);
}

void append_channel(OutputBuffer& out, std::uint32_t frequency, std::uint32_t flags,
                    std::uint32_t present) {
  out.append_uint(frequency);
  out.append(" MHz");
  if (present & (1u << 19)) {
    out.append(" 11n");
  } else {
    auto is = [&](std::uint32_t bits) { return (flags & bits) == bits; };
    if (is(0x0880)) out.append(" FHSS");
    if (is(0x0140)) out.append(flags & 0x4000 ? " 11a/10Mhz"sv : flags & 0x8000 ? " 11a/5Mhz"sv : " 11a"sv);
    if (is(0x00c0) || is(0x0480))
      out.append(flags & 0x4000 ? " 11g/10Mhz"sv : flags & 0x8000 ? " 11g/5Mhz"sv : " 11g"sv);
    else if (is(0x00a0))
      out.append(" 11b");
    if (flags & 0x0010) out.append(" Turbo");
  }
  if (flags & 0x10000)
    out.append(" ht/20");
  else if (flags & 0x40000)
    out.append(" ht/40-");
  else if (flags & 0x20000)
    out.append(" ht/40+");
  out.append(' ');
}

constexpr std::string_view kVhtBandwidth[32] = {
    "20 MHz"sv,       "40 MHz"sv,       "20 MHz (L)"sv,   "20 MHz (U)"sv,   "80 MHz"sv,
    "80 MHz (L)"sv,   "80 MHz (U)"sv,   "80 MHz (LL)"sv,  "80 MHz (LU)"sv,  "80 MHz (UL)"sv,
    "80 MHz (UU)"sv,  "160 MHz"sv,      "160 MHz (L)"sv,  "160 MHz (U)"sv,  "160 MHz (LL)"sv,
    "160 MHz (LU)"sv, "160 MHz (UL)"sv, "160 MHz (UU)"sv, "160 MHz (LLL)"sv, "160 MHz (LLU)"sv,
    "160 MHz (LUL)"sv, "160 MHz (UUU)"sv, "160 MHz (ULL)"sv, "160 MHz (ULU)"sv, "160 MHz (UUL)"sv,
    "160 MHz (UUU)"sv, "unknown (26)"sv, "unknown (27)"sv, "unknown (28)"sv, "unknown (29)"sv,
    "unknown (30)"sv, "unknown (31)"sv};

// One field of the radiotap namespace; false ends the header's fields (a cut field, with
// tcpdump's marker, or a field whose size is unknown).
bool radiotap_field(OutputBuffer& out, Cpack& k, unsigned bit, std::uint32_t present) {
  std::uint32_t w = 0, w2 = 0, w3 = 0, w4 = 0;
  auto cut = [&] {
    out.append(" [|802.11_radio]");
    return false;
  };
  switch (bit) {
    case 0: {  // TSFT
      if (!k.take(8, 8, w)) return cut();
      out.append_uint(k.u32(w) | static_cast<std::uint64_t>(k.u32(w + 4)) << 32);
      out.append("us tsft ");
      return true;
    }
    case 1: {  // Flags
      if (!k.take(1, 1, w)) return cut();
      const std::uint8_t f = k.u8(w);
      if (f & 0x01) out.append("cfp ");
      if (f & 0x02) out.append("short preamble ");
      if (f & 0x04) out.append("wep ");
      if (f & 0x08) out.append("fragmented ");
      if (f & 0x40) out.append("bad-fcs ");
      return true;
    }
    case 2: {  // Rate
      if (!k.take(1, 1, w)) return cut();
      const std::uint8_t r = k.u8(w);
      if (r >= 0x80 && r <= 0x8f) {
        append_number(out, "MCS "sv, r & 0x7f);
        out.append(' ');
      } else {
        append_half(out, r);
        out.append(" Mb/s ");
      }
      return true;
    }
    case 3: {  // Channel
      if (!k.take(2, 2, w) || !k.take(2, 2, w2)) return cut();
      if (present & (1u << 18)) return true;  // XChannel is printed instead
      append_channel(out, k.u16(w), k.u16(w2), present);
      return true;
    }
    case 4: {  // FHSS
      if (!k.take(1, 1, w) || !k.take(1, 1, w2)) return cut();
      append_number(out, "fhset "sv, k.u8(w));
      append_number(out, " fhpat "sv, k.u8(w2));
      out.append(' ');
      return true;
    }
    case 5:  // dBm antenna signal
    case 6:  // dBm antenna noise
    case 10: {  // dBm TX power
      if (!k.take(1, 1, w)) return cut();
      append_signed(out, static_cast<std::int8_t>(k.u8(w)));
      out.append(bit == 5 ? "dBm signal "sv : bit == 6 ? "dBm noise "sv : "dBm tx power "sv);
      return true;
    }
    case 7: {  // lock quality
      if (!k.take(2, 2, w)) return cut();
      out.append_uint(k.u16(w));
      out.append(" sq ");
      return true;
    }
    case 8: {  // TX attenuation
      if (!k.take(2, 2, w)) return cut();
      append_signed(out, -static_cast<std::int32_t>(static_cast<std::int16_t>(k.u16(w))));
      out.append(" tx power ");
      return true;
    }
    case 9: {  // dB TX attenuation: tcpdump reads one signed byte of the 16-bit field
      if (!k.take(1, 1, w)) return cut();
      append_signed(out, -static_cast<std::int32_t>(static_cast<std::int8_t>(k.u8(w))));
      out.append("dB tx attenuation ");
      return true;
    }
    case 11: {  // antenna
      if (!k.take(1, 1, w)) return cut();
      append_number(out, "antenna "sv, k.u8(w));
      out.append(' ');
      return true;
    }
    case 12:    // dB antenna signal
    case 13: {  // dB antenna noise
      if (!k.take(1, 1, w)) return cut();
      out.append_uint(k.u8(w));
      out.append(bit == 12 ? "dB signal "sv : "dB noise "sv);
      return true;
    }
    case 14: {  // RX flags: read, not printed
      if (!k.take(2, 2, w)) return cut();
      return true;
    }
    case 18: {  // XChannel
      if (!k.take(4, 4, w) || !k.take(2, 2, w2) || !k.take(1, 1, w3) || !k.take(1, 1, w4))
        return cut();
      append_channel(out, k.u16(w2), k.u32(w), present);
      return true;
    }
    case 19: {  // MCS
      if (!k.take(1, 1, w) || !k.take(1, 1, w2) || !k.take(1, 1, w3)) return cut();
      const std::uint8_t known = k.u8(w), flags = k.u8(w2), index = k.u8(w3);
      if (known & kMcsKnownIndex) {
        std::uint32_t rate = 0;
        if (index <= 76 && (known & (kMcsKnownBandwidth | kMcsKnownGi)))
          rate = kHtRates[index][(flags & 3) == 1 ? 1 : 0][(flags & 4) ? 1 : 0];
        if (rate != 0) {
          append_tenths(out, rate);
          out.append(" Mb/s ");
        }
        append_number(out, "MCS "sv, index);
        out.append(' ');
      }
      if (known & kMcsKnownBandwidth) {
        static constexpr std::string_view kBandwidth[4] = {"20 MHz"sv, "40 MHz"sv,
                                                           "20 MHz (L)"sv, "20 MHz (U)"sv};
        out.append(kBandwidth[flags & 3]);
        out.append(' ');
      }
      if (known & kMcsKnownGi) out.append(flags & 4 ? "short GI "sv : "long GI "sv);
      if (known & kMcsKnownFormat) out.append(flags & 8 ? "greenfield "sv : "mixed "sv);
      if (known & kMcsKnownFec) out.append(flags & 0x10 ? "LDPC FEC "sv : "BCC FEC "sv);
      if (known & kMcsKnownStbc) {
        append_number(out, "RX-STBC"sv, (flags & 0x60) >> 5);
        out.append(' ');
      }
      return true;
    }
    case 20: {  // A-MPDU status: read, not printed
      if (!k.take(4, 4, w) || !k.take(2, 2, w2) || !k.take(1, 1, w3) || !k.take(1, 1, w4))
        return cut();
      return true;
    }
    case 21: {  // VHT
      std::uint32_t known_at, flags_at, bw_at, mcs_at[4], coding_at, group_at, aid_at;
      if (!k.take(2, 2, known_at) || !k.take(1, 1, flags_at) || !k.take(1, 1, bw_at))
        return cut();
      for (std::uint32_t& m : mcs_at)
        if (!k.take(1, 1, m)) return cut();
      if (!k.take(1, 1, coding_at) || !k.take(1, 1, group_at) || !k.take(2, 2, aid_at))
        return cut();
      const std::uint16_t known = k.u16(known_at);
      const std::uint8_t coding = k.u8(coding_at);
      for (unsigned i = 0; i < 4; ++i) {
        const std::uint8_t v = k.u8(mcs_at[i]);
        if ((v & 0x0f) == 0) continue;
        append_number(out, "User "sv, i);
        append_number(out, " MCS "sv, v >> 4);
        out.append(coding & (1u << i) ? " LDPC FEC "sv : " BCC FEC "sv);
      }
      if (known & 0x0040) {
        out.append(kVhtBandwidth[k.u8(bw_at) & 0x1f]);
        out.append(' ');
      }
      if (known & 0x0004) out.append(k.u8(flags_at) & 4 ? "short GI "sv : "long GI "sv);
      return true;
    }
    default:
      append_number(out, "[bit "sv, bit);
      out.append("] ");
      return false;
  }
}

// The radiotap fields, as tcpdump walks them (namespaces, vendor namespaces skipped).
void print_radiotap_fields(OutputBuffer& out, const std::uint8_t* p, std::uint32_t length) {
  std::uint32_t words_end = 8;
  while (words_end + 4 <= length && (p[words_end - 1] & 0x80) != 0) words_end += 4;
  Cpack k{p, length, words_end};
  unsigned bit0 = 0;
  bool vendor = false;
  std::uint32_t skip = 0;
  for (std::uint32_t word = 4; word < words_end; word += 4) {
    const std::uint32_t present = load_le32(p + word);
    if (vendor) {
      if (k.at + skip > length) break;
      k.at += skip;
      skip = 0;
    } else {
      bool stopped = false;
      for (std::uint32_t bits = present; bits != 0; bits &= bits - 1) {
        const unsigned bitno = static_cast<unsigned>(__builtin_ctz(bits));
        if (bitno >= 29) break;
        if (!radiotap_field(out, k, bit0 + bitno, present)) {
          stopped = true;
          break;
        }
      }
      if (stopped) break;
    }
    switch (present & 0x60000000u) {
      case 0: bit0 += 32; break;
      case 0x20000000u:  // back to the radiotap namespace
        bit0 = 0;
        vendor = false;
        skip = 0;
        break;
      case 0x40000000u: {  // a vendor namespace: OUI, sub-namespace, length to skip
        bit0 = 0;
        vendor = true;
        std::uint32_t w = 0, w2 = 0, w3 = 0, w4 = 0, w5 = 0;
        const std::uint32_t aligned = (k.at + 1) & ~1u;
        if (aligned + 2 > length) {
          out.append(" [|802.11_radio]");
          break;
        }
        if (!k.take(1, 1, w) || !k.take(1, 1, w2) || !k.take(1, 1, w3) || !k.take(1, 1, w4) ||
            !k.take(2, 2, w5)) {
          out.append(" [|802.11_radio]");
          break;
        }
        skip = k.u16(w5);
        break;
      }
      default: break;
    }
  }
}

// A block-ack request's " RA:... TA:... CTL(x) SEQ(n) " (the same with and without -e).
void append_bar(OutputBuffer& out, const std::uint8_t* p) {
  out.append(" RA:");
  append_mac(out, p + 4);
  out.append(" TA:");
  append_mac(out, p + 10);
  out.append(" CTL(");
  append_hex(out, load_le16(p + 16));
  append_number(out, ") SEQ("sv, load_le16(p + 18));
  out.append(") ");
}

// ---- 802.11 ------------------------------------------------------------------------------

struct Frame {
  const Context& c;
  std::uint32_t off;      // the 802.11 header
  std::uint32_t cap_end;  // captured bytes end here (the FCS excluded)
  std::uint32_t length;   // bytes on the wire from off, the FCS excluded
  bool has(std::uint32_t at, std::uint32_t n) const { return at <= cap_end && n <= cap_end - at; }
  const std::uint8_t* at(std::uint32_t o) const { return c.data() + o; }
};

void append_rates_and_ssid(OutputBuffer& out, const Frame& f, std::uint32_t body,
                           std::uint32_t body_length, bool ssid_wanted, bool rates_wanted,
                           bool channel_wanted, bool ess_wanted, std::uint16_t capability,
                           bool& ok) {
  // parse_elements(): the first SSID, non-empty rates and DS (channel) elements.
  const std::uint8_t* ssid = nullptr;
  std::uint32_t ssid_length = 0;
  const std::uint8_t* rates = nullptr;
  std::uint32_t rates_length = 0;
  int channel = -1;
  std::uint32_t at = body;
  std::uint32_t left = body_length;
  ok = true;
  while (left != 0) {
    if (!f.has(at, 2) || left < 2) {
      ok = false;
      break;
    }
    const std::uint32_t id = *f.at(at), n = *f.at(at + 1);
    if (!f.has(at + 2, n) || left < n + 2) {
      ok = false;
      break;
    }
    if (id == 0 && n > 32) {  // tcpdump gives up on an SSID longer than 32 bytes
      ok = false;
      break;
    }
    if (id == 1 && n > 16) {
      ok = false;
      break;
    }
    if (id == 5 && n == 255) {  // a TIM whose bitmap is longer than tcpdump's buffer
      ok = false;
      break;
    }
    if (id == 0 && ssid == nullptr) {
      ssid = f.at(at + 2);
      ssid_length = n;
    } else if (id == 1 && rates == nullptr && n != 0) {
      rates = f.at(at + 2);
      rates_length = n;
    } else if (id == 3 && n == 1 && channel < 0) {
      channel = *f.at(at + 2);
    }
    at += 2 + n;
    left -= 2 + n;
  }
  if (ssid_wanted && ssid != nullptr) {
    out.append(" (");
    for (std::uint32_t i = 0; i < ssid_length && ssid[i] != 0; ++i) append_safe_char(out, ssid[i]);
    out.append(')');
  } else if (ssid_wanted && ssid == nullptr && false) {
  }
  if (rates_wanted && rates != nullptr) {
    const char* sep = " [";
    for (std::uint32_t i = 0; i < rates_length; ++i) {
      out.append(sep);
      append_half(out, rates[i] & 0x7f);
      if (rates[i] & 0x80) out.append('*');
      sep = " ";
    }
    out.append(" Mbit]");
  }
  if (ess_wanted) out.append(capability & 1 ? " ESS"sv : " IBSS"sv);
  if (channel_wanted) {
    if (channel >= 0) append_number(out, " CH: "sv, static_cast<std::uint32_t>(channel));
    if (capability & 0x10) out.append(", PRIVACY");
  }
}

std::string_view reason_text(std::uint16_t r) {
  return r < std::size(kReasons) ? kReasons[r] : "Reserved"sv;
}
std::string_view status_text(std::uint16_t s) {
  return s < std::size(kStatuses) ? kStatuses[s] : "n/a"sv;
}

// The body of a management frame; false: tcpdump's truncation marker follows.
bool management_body(const Frame& f, std::uint16_t fc, std::uint32_t body, std::uint32_t length) {
  OutputBuffer& out = f.c.out;
  const unsigned subtype = (fc >> 4) & 15;
  static constexpr std::string_view kNames[16] = {
      "Assoc Request"sv, "Assoc Response"sv, "ReAssoc Request"sv, "ReAssoc Response"sv,
      "Probe Request"sv, "Probe Response"sv, ""sv,                 ""sv,
      "Beacon"sv,        "ATIM"sv,           "Disassociation"sv,   "Authentication"sv,
      "DeAuthentication"sv, "Action"sv,      ""sv,                 ""sv};
  if (kNames[subtype].empty()) {
    out.append("Unhandled Management subtype(");
    append_hex(out, subtype);
    out.append(')');
  } else {
    out.append(kNames[subtype]);
  }
  if (fc & 0x4000) {  // protected: the WEP IV
    if (!f.has(body, 4)) return false;
    append_wep_iv(out, load_le32(f.at(body)));
    return true;
  }
  const std::uint8_t* sa = f.at(f.off + 10);
  bool ok = true;
  auto fixed = [&](std::uint32_t n) { return f.has(body, n) && length >= n; };
  switch (subtype) {
    case 0:  // assoc request
      if (!fixed(4)) return false;
      append_rates_and_ssid(out, f, body + 4, length - 4, true, true, false, false, 0, ok);
      return ok;
    case 1:  // assoc response
    case 3: {
      if (!fixed(6)) return false;
      const std::uint16_t cap = load_le16(f.at(body)), status = load_le16(f.at(body + 2)),
                          aid = load_le16(f.at(body + 4));
      bool unused;
      append_rates_and_ssid(out, f, body + 6, length - 6, false, false, false, false, 0, unused);
      out.append(" AID(");
      append_hex(out, aid & 0x3fff);
      out.append(") :");
      if (cap & 0x10) out.append(" PRIVACY ");
      out.append(": ");
      out.append(status_text(status));
      return unused;
    }
    case 2: {  // reassoc request
      if (!fixed(10)) return false;
      append_rates_and_ssid(out, f, body + 10, length - 10, true, false, false, false, 0, ok);
      out.append(" AP : ");
      append_mac(out, f.at(body + 4));
      return ok;
    }
    case 4:  // probe request
      append_rates_and_ssid(out, f, body, length, true, true, false, false, 0, ok);
      return ok;
    case 5:  // probe response
    case 8: {  // beacon
      if (!fixed(12)) return false;
      const std::uint16_t cap = load_le16(f.at(body + 10));
      append_rates_and_ssid(out, f, body + 12, length - 12, true, true, true, subtype == 8, cap,
                            ok);
      return ok;
    }
    case 9: return true;  // ATIM: no body
    case 10: {            // disassociation
      if (!fixed(2)) return false;
      out.append(": ");
      out.append(reason_text(load_le16(f.at(body))));
      return true;
    }
    case 11: {  // authentication
      if (!fixed(6)) return false;
      const std::uint16_t algorithm = load_le16(f.at(body)), seq = load_le16(f.at(body + 2)),
                          status = load_le16(f.at(body + 4));
      bool unused;
      append_rates_and_ssid(out, f, body + 6, length - 6, false, false, false, false, 0, ok);
      (void)unused;
      static constexpr std::string_view kAlgorithms[3] = {"Open System"sv, "Shared Key"sv,
                                                          "EAP"sv};
      out.append(" (");
      out.append(algorithm < 3 ? kAlgorithms[algorithm] : "Reserved"sv);
      out.append(")-");
      append_hex(out, seq);
      const std::string_view st = seq % 2 ? status_text(status) : ""sv;
      if (algorithm == 1 && (seq == 2 || seq == 3)) {
        out.append(" [Challenge Text] ");
        out.append(st);
        return ok;
      }
      out.append(": ");
      out.append(st);
      return ok;
    }
    case 12: {  // deauthentication
      if (!fixed(2)) return false;
      if (f.c.options.link_header) {
        out.append(": ");
      } else {
        out.append(" (");
        append_mac(out, sa);
        out.append("): ");
      }
      out.append(reason_text(load_le16(f.at(body))));
      return true;
    }
    case 13: {  // action
      if (!fixed(2)) return false;
      if (f.c.options.link_header) {
        out.append(": ");
      } else {
        out.append(" (");
        append_mac(out, sa);
        out.append("): ");
      }
      const std::uint8_t category = *f.at(body), action = *f.at(body + 1);
      auto act = [&](std::initializer_list<std::string_view> names, std::uint32_t first = 0) {
        if (action >= first && action - first < names.size()) {
          out.append(names.begin()[action - first]);
        } else {
          append_number(out, "Act#"sv, action);
        }
      };
      switch (category) {
        case 0: append_number(out, "Spectrum Management Act#"sv, action); break;
        case 1: append_number(out, "QoS Act#"sv, action); break;
        case 2: append_number(out, "DLS Act#"sv, action); break;
        case 3: out.append("BA "); act({"ADDBA Request"sv, "ADDBA Response"sv, "DELBA"sv}); break;
        case 7: out.append("HT "); act({"TxChWidth"sv, "MIMOPwrSave"sv}); break;
        case 13:
          out.append("MeshAction ");
          act({"MeshLink"sv, "HWMP"sv, "Gate Announcement"sv, "Congestion Control"sv,
               "MCCA Setup Request"sv, "MCCA Setup Reply"sv, "MCCA Advertisement Request"sv,
               "MCCA Advertisement"sv, "MCCA Teardown"sv, "TBTT Adjustment Request"sv,
               "TBTT Adjustment Response"sv});
          break;
        case 14:
          out.append("MultiohopAction ");
          act({"Proxy Update"sv, "Proxy Update Confirmation"sv});
          break;
        case 15:
          out.append("SelfprotectAction ");
          act({"Peering Open"sv, "Peering Confirm"sv, "Peering Close"sv, "Group Key Inform"sv,
               "Group Key Acknowledge"sv},
              1);
          break;
        case 127: append_number(out, "Vendor Act#"sv, action); break;
        default:
          append_number(out, "Reserved("sv, category);
          append_number(out, ") Act#"sv, action);
          break;
      }
      return true;
    }
    default: return true;
  }
}

std::uint32_t control_header_length(unsigned subtype) {
  switch (subtype) {
    case 7: return 2 + 2 + 6 + 2 + 4;  // control wrapper (tcpdump's sizes)
    case 8: return 20;  // BAR
    case 9: return 10;  // BA
    case 10: return 16;  // PS-Poll
    case 11: return 16;  // RTS
    case 12: return 10;  // CTS
    case 13: return 10;  // ACK
    case 14: return 16;  // CF-End
    case 15: return 16;  // CF-End+CF-Ack
    default: return 0;
  }
}

void print_80211_frame(const Context& c, std::uint32_t off, std::uint32_t fcs, bool pad,
                       bool& default_dump, std::uint32_t& header_length) {
  OutputBuffer& out = c.out;
  const PrintOptions& o = c.options;
  const std::uint32_t wire = c.packet.wire_length;
  header_length = off;
  if (wire - off < fcs) {
    out.append(" [|802.11]");
    return;
  }
  const std::uint32_t length = wire - off - fcs;
  const std::uint32_t cap_end = c.caplen() > off + length ? off + length : c.caplen();
  const Frame f{c, off, cap_end, length};
  if (!f.has(off, 2)) {
    out.append(" [|802.11]");
    header_length = c.caplen();
    return;
  }
  const std::uint16_t fc = load_le16(c.data() + off);
  const unsigned type = (fc >> 2) & 3, subtype = (fc >> 4) & 15;
  std::uint32_t header = 0;
  if (type == 0) {
    header = 24;
  } else if (type == 1) {
    header = control_header_length(subtype);
    if (header == 0) {
      append_number(out, "unknown 802.11 ctrl frame subtype ("sv, subtype);
      out.append(')');
      return;
    }
  } else if (type == 2) {
    header = (fc & 0x0300) == 0x0300 ? 30 : 24;
    if (subtype & 8) header += 2;
  } else {
    append_number(out, "unknown 802.11 frame type ("sv, type);
    out.append(')');
    return;
  }
  if (pad) header = (header + 3) & ~3u;
  header_length = off + header;
  if (!f.has(off, header)) {
    out.append(" [|802.11]");
    return;
  }
  const std::uint8_t* p = c.data() + off;
  if (o.link_header) {
    if (o.verbose > 0) {
      if (fc & 0x2000) out.append("More Data ");
      if (fc & 0x0400) out.append("More Fragments ");
      if (fc & 0x1000) out.append("Pwr Mgmt ");
      if (fc & 0x0800) out.append("Retry ");
      if (fc & 0x8000) out.append("Strictly Ordered ");
      if (fc & 0x4000) out.append("Protected ");
      if (type != 1 || subtype != 10) {
        out.append_uint(load_le16(p + 2));
        out.append("us ");
      }
    }
    auto mac = [&](std::string_view label, std::uint32_t at) {
      out.append(label);
      append_mac(out, p + at);
      out.append(' ');
    };
    if (type == 0) {
      mac("BSSID:"sv, 16);
      mac("DA:"sv, 4);
      mac("SA:"sv, 10);
    } else if (type == 1) {
      switch (subtype) {
        case 8:
          append_bar(out, p);
          break;
        case 9: case 12: case 13: mac("RA:"sv, 4); break;
        case 10: mac("BSSID:"sv, 4); mac("TA:"sv, 10); break;
        case 11: mac("RA:"sv, 4); mac("TA:"sv, 10); break;
        case 14: case 15: mac("RA:"sv, 4); mac("BSSID:"sv, 10); break;
        default: break;
      }
    } else {
      if ((subtype & 1) || (subtype & 2) || (subtype & 8)) {
        out.append("CF ");
        if (subtype & 1)
          out.append(subtype & 2 ? "Ack/Poll"sv : "Ack"sv);
        else if (subtype & 2)
          out.append("Poll");
        if (subtype & 8) out.append("+QoS");
        out.append(' ');
      }
      switch (fc & 0x0300) {
        case 0x0000: mac("DA:"sv, 4); mac("SA:"sv, 10); mac("BSSID:"sv, 16); break;
        case 0x0200: mac("DA:"sv, 4); mac("BSSID:"sv, 10); mac("SA:"sv, 16); break;
        case 0x0100: mac("BSSID:"sv, 4); mac("SA:"sv, 10); mac("DA:"sv, 16); break;
        default: mac("RA:"sv, 4); mac("TA:"sv, 10); mac("DA:"sv, 16); mac("SA:"sv, 24); break;
      }
    }
  }
  const std::uint32_t body = off + header;
  const std::uint32_t body_length = length - header;
  if (type == 0) {
    if (!management_body(f, fc, body, body_length)) out.append(" [|802.11]");
    return;
  }
  if (type == 1) {
    static constexpr std::string_view kNames[16] = {
        ""sv, ""sv, ""sv, ""sv, ""sv, ""sv, ""sv, "Control Wrapper"sv, "BAR"sv, "BA"sv,
        "Power Save-Poll"sv, "Request-To-Send"sv, "Clear-To-Send"sv, "Acknowledgment"sv,
        "CF-End"sv, "CF-End+CF-Ack"sv};
    out.append(kNames[subtype]);
    if (subtype == 10) {
      out.append(" AID(");
      append_hex(out, load_le16(p + 2));
      out.append(')');
    } else if (!o.link_header) {
      auto mac = [&](std::string_view label, std::uint32_t at) {
        out.append(label);
        append_mac(out, p + at);
        out.append(' ');
      };
      switch (subtype) {
        case 8:
          append_bar(out, p);
          break;
        case 9: case 12: case 13: case 14: case 15: out.append(' '); mac("RA:"sv, 4); break;
        case 11: out.append(' '); mac("TA:"sv, 10); break;
        default: break;
      }
    }
    return;
  }
  // Data.
  if (subtype & 4) return;  // no data
  if (fc & 0x4000) {
    out.append("Data");
    if (!f.has(body, 4)) {
      out.append(" [|802.11]");
      return;
    }
    append_wep_iv(out, load_le32(c.data() + body));
    return;
  }
  // The LLC header and what it carries (print_llc.cpp). Without an FCS, on the frame as it
  // is; with one, on the frame decoded again as a bare 802.11 frame of `length` bytes, so that
  // the network layer's lengths are the frame's, as tcpdump's are.
  if (fcs == 0) {
    header_length = print_llc_payload(c, body, body_length);
    return;
  }
  PacketView inner;
  inner.data = c.packet.data.subspan(off, cap_end - off);
  inner.wire_length = length;
  inner.link_type = link_type::kIeee80211;
  inner.timestamp_ns = c.packet.timestamp_ns;
  Summary bare;
  decode(inner, bare);
  const Context ci{o, inner, bare, out, c.conversations};
  header_length = off + print_llc_payload(ci, header, body_length);
  if (ci.dump_whole) c.dump_whole = true;
  (void)default_dump;
}

}  // namespace

void print_80211(const Context& c, bool& default_dump, std::uint32_t& header_length) {
  if (c.packet.link_type == link_type::kIeee80211) {
    print_80211_frame(c, 0, 0, false, default_dump, header_length);
    return;
  }
  const RadiotapInfo r = radiotap_info(c.data(), c.caplen());
  if (!r.valid) {
    c.out.append(" [|802.11_radio]");
    header_length = c.caplen();
    return;
  }
  print_radiotap_fields(c.out, c.data(), r.length);
  print_80211_frame(c, r.length, r.fcs ? 4 : 0, r.pad, default_dump, header_length);
}

}  // namespace slimcap::detail

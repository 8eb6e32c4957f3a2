#pragma once
// Per-packet traffic analysis shared by `stats` file summaries, `stats --capture` and (next)
// fanout's workers: the protocol mix and the top talkers. add() decodes each packet once (the
// printer's decode()), never allocates, never throws; memory is fixed when the object is built,
// whatever the number of packets or flows.
//
// Protocol mix (docs/stats.md "Capture file summaries"): a packet counts in every layer it has,
// as `tshark -z io,phs` counts it: an Ethernet frame with one 802.1Q tag carrying IPv4 and TCP
// counts once in ethernet, vlan, ipv4 and tcp (a frame with two tags still counts once in vlan).
// The end protocols arp, tcp, udp, icmp, icmpv6 and `other` partition the packets: `other` is
// every packet with none of those five (an unknown ethertype, LLC, an IP protocol such as GRE
// or ESP, a non-first IP fragment, a header cut before the network layer), so
// arp + tcp + udp + icmp + icmpv6 + other == total. Bytes are the length on the wire (tshark's
// frame.len), packets the records.
//
// Top talkers: endpoints (IPv4 and IPv6 addresses; a packet counts for its source and its
// destination, as `tshark -z endpoints,ip`) and conversations (address pairs, both directions
// merged into one entry), ranked by packets, in tables of fixed capacity (one per family and
// kind). While the distinct keys fit, the counts are exact. When a table is full, the half
// with the fewest packets is dropped at once and every key that enters later starts from the
// largest count dropped so far (the "floor"), which is also its `error`: as in Space-Saving
// (Metwally et al., 2005), every count is then an upper bound, over by at most `error`
// packets, and a key with more packets than the floor is never lost. Bytes follow the same
// rule (a newcomer's bytes start from the largest byte count dropped).

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "slimcap/output_buffer.hpp"
#include "slimcap/packet.hpp"

namespace slimcap {

enum class Protocol : std::uint8_t {
  ethernet,
  vlan,
  arp,
  ipv4,
  ipv6,
  tcp,
  udp,
  icmp,
  icmpv6,
  other,
};
inline constexpr std::size_t kProtocolCount = 10;

// "ethernet", "vlan", "arp", "ipv4", "ipv6", "tcp", "udp", "icmp", "icmpv6", "other": the
// names the JSON and CSV outputs use as keys.
const char* protocol_key(Protocol p) noexcept;

struct PacketCount {
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;  // on the wire
  void add(std::uint64_t wire) noexcept {
    ++packets;
    bytes += wire;
  }
  void add(const PacketCount& o) noexcept {
    packets += o.packets;
    bytes += o.bytes;
  }
};

struct ProtocolMix {
  PacketCount total;
  std::array<PacketCount, kProtocolCount> layers{};
  const PacketCount& operator[](Protocol p) const noexcept {
    return layers[static_cast<std::size_t>(p)];
  }
};

// An IP address as 16 bytes: IPv4 in the first 4 with family 4.
struct Address {
  std::uint8_t family = 0;  // 4 or 6
  std::array<std::uint8_t, 16> bytes{};
  bool operator==(const Address&) const = default;
  // "192.0.2.1", "2001:db8::1" (RFC 5952, as tshark prints them).
  std::string text() const;
};

struct Talker {
  Address a;               // the endpoint; for a conversation the smaller address
  Address b;               // a conversation's other address (family 0 for endpoints)
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;
  std::uint64_t error = 0;  // packets the count may be over (0: exact)
};

// One packet as the counters need it, from a single decode: add(PacketView) is
// add(classify(packet)). Split so that decoding and counting can run on two threads (file
// summaries do): 40 bytes cross instead of the packet.
struct PacketClass {
  std::uint32_t wire_length = 0;
  std::uint16_t layers = 0;  // bit (1 << Protocol) for each layer the packet has
  std::uint8_t family = 0;   // 4 or 6 when the addresses below mean something
  std::array<std::uint8_t, 16> source{};
  std::array<std::uint8_t, 16> destination{};
};
PacketClass classify(const PacketView& packet) noexcept;

struct TrafficOptions {
  // Entries per top-k table (IPv4 and IPv6 endpoints, IPv4 and IPv6 conversations); 0 keeps
  // no talkers (mix only). 4096 entries take 944 KiB for the four tables.
  std::uint32_t talker_capacity = 4096;
};

class TrafficStats {
 public:
  explicit TrafficStats(const TrafficOptions& options = {});
  ~TrafficStats();
  TrafficStats(TrafficStats&&) noexcept;
  TrafficStats& operator=(TrafficStats&&) noexcept;

  // One packet: decoded once, counted in its layers and talker tables.
  void add(const PacketView& packet) noexcept { add(classify(packet)); }
  void add(const PacketClass& packet) noexcept;
  // Forgets everything (a new interval); keeps the memory.
  void clear() noexcept;
  // Adds another object's counts (fanout workers into one row, per interval): the tables
  // merge as mergeable Space-Saving summaries do, exact while the union fits, upper bounds
  // otherwise. Allocates (it sorts the union): not for the per-packet path.
  void merge(const TrafficStats& other);

  const ProtocolMix& mix() const noexcept { return mix_; }
  // The n largest by packets (then bytes, then address), largest first.
  std::vector<Talker> top_endpoints(std::size_t n) const;
  std::vector<Talker> top_conversations(std::size_t n) const;
  // Whether every talker count is exact (no table overflowed).
  bool talkers_exact() const noexcept;
  // Bytes held by the talker tables (fixed at construction).
  std::size_t memory_bytes() const noexcept;

 private:
  struct Tables;
  ProtocolMix mix_;
  std::unique_ptr<Tables> tables_;
};

// ---- Output, the same for file summaries and live rows (docs/stats.md) ----

// JSON members (each after a comma): "protocols":{"total":{"packets":N,"bytes":N},
// "ethernet":{...},...}, and with top > 0 "talkers_exact":BOOL, "top_endpoints":[{"address":
// "192.0.2.1","packets":N,"bytes":N,"error":N}], "top_conversations":[{"a":..,"b":..,...}].
void append_traffic_json(OutputBuffer& out, const TrafficStats& traffic, std::size_t top);

// The mix as a table (packets, bytes, share of packets per layer, then the total; unless
// with_mix is false), and with top > 0 the top endpoints and conversations, marked approximate
// when a table overflowed.
void append_traffic_text(std::string& out, const TrafficStats& traffic, std::size_t top,
                         bool with_mix = true);

// The mixes of several sources in the Prometheus text format, as counters per layer:
// slimcap_capture_protocol_packets_total{interface="eth0",protocol="tcp"} 1234, and
// slimcap_capture_protocol_bytes_total. `label` names the sources ("interface", "worker").
struct LabelledMix {
  std::string_view source;
  const ProtocolMix* mix;
};
std::string mix_prometheus(std::string_view label, const std::vector<LabelledMix>& mixes);

// The mix on one line, each layer that has packets with its share of them:
// "ethernet 100% ipv4 97.1% tcp 80.2% udp 16.9% arp 2.9%".
std::string mix_line(const ProtocolMix& mix);

}  // namespace slimcap

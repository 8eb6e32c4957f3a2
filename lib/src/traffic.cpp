#include "slimcap/traffic.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

#include "slimcap/bytes.hpp"
#include "slimcap/decode.hpp"
#include "slimcap/link_type.hpp"

namespace slimcap {
namespace {

constexpr std::uint64_t kMul = 0x9e3779b97f4a7c15ull;

// The four key kinds, each as small as it can be: the table's time goes into touching keys.
using Ipv4Key = std::uint32_t;                 // an address, as a number
using Ipv4Pair = std::uint64_t;                // smaller address << 32 | larger
using Ipv6Key = std::array<std::uint8_t, 16>;
struct Ipv6Pair {
  Ipv6Key a;  // the smaller, byte-wise
  Ipv6Key b;
  bool operator==(const Ipv6Pair&) const = default;
};

std::uint64_t mix64(std::uint64_t h) noexcept {
  h *= kMul;
  return h ^ (h >> 29);
}
std::uint64_t load64(const std::uint8_t* p) noexcept {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
std::uint64_t hash_of(Ipv4Key k) noexcept { return mix64(k + 1); }
std::uint64_t hash_of(Ipv4Pair k) noexcept { return mix64(mix64(k) + 1); }
std::uint64_t hash_of(const Ipv6Key& k) noexcept {
  return mix64(mix64(load64(k.data())) ^ load64(k.data() + 8));
}
std::uint64_t hash_of(const Ipv6Pair& k) noexcept {
  return mix64(hash_of(k.a) ^ mix64(hash_of(k.b) + 1));
}

bool less(Ipv4Key x, Ipv4Key y) { return x < y; }
bool less(Ipv4Pair x, Ipv4Pair y) { return x < y; }
bool less(const Ipv6Key& x, const Ipv6Key& y) { return std::memcmp(x.data(), y.data(), 16) < 0; }
bool less(const Ipv6Pair& x, const Ipv6Pair& y) { return std::memcmp(&x, &y, sizeof x) < 0; }

Address address_v4(std::uint32_t a) {
  Address r;
  r.family = 4;
  store_be32(r.bytes.data(), a);
  return r;
}
Address address_v6(const Ipv6Key& a) {
  Address r;
  r.family = 6;
  r.bytes = a;
  return r;
}
void set_talker(Talker& t, Ipv4Key k) { t.a = address_v4(k); }
void set_talker(Talker& t, Ipv4Pair k) {
  t.a = address_v4(static_cast<std::uint32_t>(k >> 32));
  t.b = address_v4(static_cast<std::uint32_t>(k));
}
void set_talker(Talker& t, const Ipv6Key& k) { t.a = address_v6(k); }
void set_talker(Talker& t, const Ipv6Pair& k) {
  t.a = address_v6(k.a);
  t.b = address_v6(k.b);
}

struct Counts {
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;
  std::uint64_t error = 0;
};

// A fixed-capacity counting table: keys and counts in parallel arrays, found through an
// open-addressing index (linear probing, at most half full) whose slots carry 32 bits of the
// hash beside the entry number, so that a probe past another key does not touch its entry.
// The per-packet path is one probe run and two additions. When the table is full, the
// entries with the fewest packets (half of them, found with nth_element) are dropped and the
// index is rebuilt: O(capacity) once per capacity/2 new keys. A heap or a Stream-Summary kept
// the minimum exact per packet, but cost 2-3x the table's whole time on the benchmark file
// (43,000 conversations through 4,096 entries).
template <class Key>
class CountTable {
 public:
  explicit CountTable(std::uint32_t capacity) : capacity_(std::max<std::uint32_t>(capacity, 2)) {
    std::uint32_t slots = 16;
    while (slots < 2 * capacity_) slots *= 2;
    mask_ = slots - 1;
    keys_.resize(capacity_);
    counts_.resize(capacity_);
    index_.assign(slots, 0);
    scratch_.resize(capacity_);
  }

  void add(const Key& key, std::uint64_t packets, std::uint64_t bytes,
           std::uint64_t error) noexcept {
    const std::uint64_t h = hash_of(key);
    const std::uint32_t tag = static_cast<std::uint32_t>(h >> 32);
    std::uint32_t i = static_cast<std::uint32_t>(h) & mask_;
    while (index_[i] != 0) {
      const std::uint64_t slot = index_[i];
      if (static_cast<std::uint32_t>(slot >> 32) == tag) {
        const std::uint32_t e = static_cast<std::uint32_t>(slot) - 1;
        if (keys_[e] == key) [[likely]] {
          Counts& c = counts_[e];
          c.packets += packets;
          c.bytes += bytes;
          c.error += error;
          return;
        }
      }
      i = (i + 1) & mask_;
    }
    if (size_ == capacity_) [[unlikely]] {
      drop_smallest_half();
      i = static_cast<std::uint32_t>(h) & mask_;
      while (index_[i] != 0) i = (i + 1) & mask_;
    }
    const std::uint32_t e = size_++;
    keys_[e] = key;
    counts_[e] = Counts{floor_packets_ + packets, floor_bytes_ + bytes, floor_packets_ + error};
    index_[i] = std::uint64_t{tag} << 32 | (e + 1);
  }

  void clear() noexcept {
    std::fill(index_.begin(), index_.end(), std::uint64_t{0});
    size_ = 0;
    floor_packets_ = floor_bytes_ = 0;
    overflowed_ = false;
  }

  // Mergeable summaries: a key missing from a table that dropped keys may have had up to its
  // floor there, which its count and error take on.
  void merge(const CountTable& other) {
    const std::uint64_t this_floor = floor_packets_, this_floor_bytes = floor_bytes_;
    // Keys only here: the other's floor.
    if (other.overflowed_) {
      for (std::uint32_t e = 0; e < size_; ++e) {
        if (other.find(keys_[e]) == kNone) {
          counts_[e].packets += other.floor_packets_;
          counts_[e].bytes += other.floor_bytes_;
          counts_[e].error += other.floor_packets_;
        }
      }
    }
    // Keys of the other: added, newcomers on top of this table's floor as it is when they
    // come (add() does that). An add() may drop the smallest half on the way and raise the
    // floor: a key of both tables dropped before its turn comes back on the raised floor,
    // which covers what it had here (the pre-merge floor would not: its count would fall
    // below the truth).
    for (std::uint32_t e = 0; e < other.size_; ++e) {
      const Counts& c = other.counts_[e];
      add(other.keys_[e], c.packets, c.bytes, c.error);
    }
    // A key in neither table may have had up to this table's floor here and the other's
    // there: their sum (not the larger one) bounds what it has when it comes back. A key
    // dropped by the merge itself had at most the floor that drop raised.
    floor_packets_ = std::max(floor_packets_, this_floor + other.floor_packets_);
    floor_bytes_ = std::max(floor_bytes_, this_floor_bytes + other.floor_bytes_);
    overflowed_ = overflowed_ || other.overflowed_;
  }

  // Appends the n largest (by packets, then bytes, then key) to `out`.
  void top(std::size_t n, std::vector<Talker>& out) const {
    std::vector<std::uint32_t> order(size_);
    for (std::uint32_t e = 0; e < size_; ++e) order[e] = e;
    const auto larger = [this](std::uint32_t x, std::uint32_t y) {
      if (counts_[x].packets != counts_[y].packets) return counts_[x].packets > counts_[y].packets;
      if (counts_[x].bytes != counts_[y].bytes) return counts_[x].bytes > counts_[y].bytes;
      return less(keys_[x], keys_[y]);
    };
    n = std::min(n, order.size());
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n), order.end(),
                      larger);
    for (std::size_t k = 0; k < n; ++k) {
      Talker t;
      set_talker(t, keys_[order[k]]);
      t.packets = counts_[order[k]].packets;
      t.bytes = counts_[order[k]].bytes;
      t.error = counts_[order[k]].error;
      out.push_back(t);
    }
  }

  bool exact() const noexcept { return !overflowed_; }
  std::size_t memory_bytes() const noexcept {
    return keys_.capacity() * sizeof(Key) + counts_.capacity() * sizeof(Counts) +
           index_.capacity() * sizeof(std::uint64_t) + scratch_.capacity() * sizeof(std::uint32_t);
  }

 private:
  static constexpr std::uint32_t kNone = UINT32_MAX;

  std::uint32_t find(const Key& key) const noexcept {
    const std::uint64_t h = hash_of(key);
    for (std::uint32_t i = static_cast<std::uint32_t>(h) & mask_; index_[i] != 0; i = (i + 1) & mask_) {
      const std::uint32_t e = static_cast<std::uint32_t>(index_[i]) - 1;
      if (keys_[e] == key) return e;
    }
    return kNone;
  }

  // Keeps the capacity/2 entries with the most packets. The floor becomes the largest count
  // dropped: any key that comes back may have had that many.
  void drop_smallest_half() noexcept {
    overflowed_ = true;
    const std::uint32_t keep = capacity_ / 2;
    for (std::uint32_t e = 0; e < size_; ++e) scratch_[e] = e;
    std::nth_element(scratch_.begin(), scratch_.begin() + keep, scratch_.begin() + size_,
                     [this](std::uint32_t x, std::uint32_t y) {
                       return counts_[x].packets > counts_[y].packets;
                     });
    for (std::uint32_t k = keep; k < size_; ++k) {
      floor_packets_ = std::max(floor_packets_, counts_[scratch_[k]].packets);
      floor_bytes_ = std::max(floor_bytes_, counts_[scratch_[k]].bytes);
    }
    // Move the kept entries to the front (in index order, so no entry is overwritten before
    // it has moved), then index them again.
    std::sort(scratch_.begin(), scratch_.begin() + keep);
    for (std::uint32_t k = 0; k < keep; ++k) {
      keys_[k] = keys_[scratch_[k]];
      counts_[k] = counts_[scratch_[k]];
    }
    size_ = keep;
    std::fill(index_.begin(), index_.end(), std::uint64_t{0});
    for (std::uint32_t e = 0; e < size_; ++e) {
      const std::uint64_t h = hash_of(keys_[e]);
      std::uint32_t i = static_cast<std::uint32_t>(h) & mask_;
      while (index_[i] != 0) i = (i + 1) & mask_;
      index_[i] = (h >> 32) << 32 | (e + 1);
    }
  }

  std::uint32_t capacity_;
  std::uint32_t mask_ = 0;
  std::uint32_t size_ = 0;
  std::uint64_t floor_packets_ = 0;
  std::uint64_t floor_bytes_ = 0;
  bool overflowed_ = false;
  std::vector<Key> keys_;
  std::vector<Counts> counts_;
  std::vector<std::uint64_t> index_;  // hash >> 32 << 32 | entry + 1; 0: empty
  std::vector<std::uint32_t> scratch_;
};

// The n largest of two lists already sorted (IPv4 and IPv6 tables merged for output).
std::vector<Talker> largest(std::vector<Talker> talkers, std::size_t n) {
  std::stable_sort(talkers.begin(), talkers.end(), [](const Talker& x, const Talker& y) {
    if (x.packets != y.packets) return x.packets > y.packets;
    return x.bytes > y.bytes;
  });
  if (talkers.size() > n) talkers.resize(n);
  return talkers;
}

}  // namespace

struct TrafficStats::Tables {
  explicit Tables(std::uint32_t capacity)
      : endpoints4(capacity), endpoints6(capacity), pairs4(capacity), pairs6(capacity) {}
  CountTable<Ipv4Key> endpoints4;
  CountTable<Ipv6Key> endpoints6;
  CountTable<Ipv4Pair> pairs4;
  CountTable<Ipv6Pair> pairs6;
};

const char* protocol_key(Protocol p) noexcept {
  static constexpr const char* kNames[kProtocolCount] = {
      "ethernet", "vlan", "arp", "ipv4", "ipv6", "tcp", "udp", "icmp", "icmpv6", "other"};
  return kNames[static_cast<std::size_t>(p)];
}

std::string Address::text() const {
  char buf[INET6_ADDRSTRLEN] = {};
  ::inet_ntop(family == 6 ? AF_INET6 : AF_INET, bytes.data(), buf, sizeof buf);
  return buf;
}

TrafficStats::TrafficStats(const TrafficOptions& options) {
  if (options.talker_capacity > 0) tables_ = std::make_unique<Tables>(options.talker_capacity);
}
TrafficStats::~TrafficStats() = default;
TrafficStats::TrafficStats(TrafficStats&&) noexcept = default;
TrafficStats& TrafficStats::operator=(TrafficStats&&) noexcept = default;

PacketClass classify(const PacketView& packet) noexcept {
  Summary s;
  decode(packet, s);
  PacketClass c;
  c.wire_length = packet.wire_length;
  auto layer = [&c](Protocol p) { c.layers |= static_cast<std::uint16_t>(1u << static_cast<unsigned>(p)); };
  if (packet.link_type == link_type::kEthernet && s.source_mac) layer(Protocol::ethernet);
  if (s.vlan_count > 0) layer(Protocol::vlan);
  Protocol end = Protocol::other;
  switch (s.network) {
    case Network::arp:
      end = Protocol::arp;
      break;
    case Network::ipv4:
    case Network::ipv6: {
      const bool v6 = s.network == Network::ipv6;
      layer(v6 ? Protocol::ipv6 : Protocol::ipv4);
      if (!s.source_ip) break;  // the header was cut short: no addresses, no protocol
      if (!s.later_fragment) {
        switch (s.protocol) {
          case 6: end = Protocol::tcp; break;
          case 17: end = Protocol::udp; break;
          case 1: end = Protocol::icmp; break;
          case 58: end = Protocol::icmpv6; break;
          default: break;
        }
      }
      c.family = v6 ? 6 : 4;
      std::memcpy(c.source.data(), s.source_ip, v6 ? 16 : 4);
      std::memcpy(c.destination.data(), s.destination_ip, v6 ? 16 : 4);
      break;
    }
    default:
      break;
  }
  layer(end);
  return c;
}

void TrafficStats::add(const PacketClass& c) noexcept {
  const std::uint64_t wire = c.wire_length;
  mix_.total.add(wire);
  for (std::uint32_t bits = c.layers; bits != 0; bits &= bits - 1)
    mix_.layers[static_cast<std::size_t>(__builtin_ctz(bits))].add(wire);
  if (!tables_ || c.family == 0) return;
  if (c.family == 4) {
    const std::uint32_t src = load_be32(c.source.data());
    const std::uint32_t dst = load_be32(c.destination.data());
    tables_->endpoints4.add(src, 1, wire, 0);
    tables_->endpoints4.add(dst, 1, wire, 0);
    // Both directions in one entry: the smaller address first.
    const std::uint64_t lo = std::min(src, dst), hi = std::max(src, dst);
    tables_->pairs4.add(lo << 32 | hi, 1, wire, 0);
  } else {
    tables_->endpoints6.add(c.source, 1, wire, 0);
    tables_->endpoints6.add(c.destination, 1, wire, 0);
    Ipv6Pair p{c.source, c.destination};
    if (less(p.b, p.a)) std::swap(p.a, p.b);
    tables_->pairs6.add(p, 1, wire, 0);
  }
}

void TrafficStats::clear() noexcept {
  mix_ = ProtocolMix{};
  if (tables_) {
    tables_->endpoints4.clear();
    tables_->endpoints6.clear();
    tables_->pairs4.clear();
    tables_->pairs6.clear();
  }
}

void TrafficStats::merge(const TrafficStats& other) {
  if (&other == this) return;
  mix_.total.add(other.mix_.total);
  for (std::size_t i = 0; i < kProtocolCount; ++i) mix_.layers[i].add(other.mix_.layers[i]);
  if (tables_ && other.tables_) {
    tables_->endpoints4.merge(other.tables_->endpoints4);
    tables_->endpoints6.merge(other.tables_->endpoints6);
    tables_->pairs4.merge(other.tables_->pairs4);
    tables_->pairs6.merge(other.tables_->pairs6);
  }
}

std::vector<Talker> TrafficStats::top_endpoints(std::size_t n) const {
  std::vector<Talker> out;
  if (!tables_) return out;
  tables_->endpoints4.top(n, out);
  tables_->endpoints6.top(n, out);
  return largest(std::move(out), n);
}
std::vector<Talker> TrafficStats::top_conversations(std::size_t n) const {
  std::vector<Talker> out;
  if (!tables_) return out;
  tables_->pairs4.top(n, out);
  tables_->pairs6.top(n, out);
  return largest(std::move(out), n);
}
bool TrafficStats::talkers_exact() const noexcept {
  return !tables_ || (tables_->endpoints4.exact() && tables_->endpoints6.exact() &&
                      tables_->pairs4.exact() && tables_->pairs6.exact());
}
std::size_t TrafficStats::memory_bytes() const noexcept {
  if (!tables_) return 0;
  return tables_->endpoints4.memory_bytes() + tables_->endpoints6.memory_bytes() +
         tables_->pairs4.memory_bytes() + tables_->pairs6.memory_bytes();
}

}  // namespace slimcap

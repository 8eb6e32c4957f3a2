#include "slimcap/traffic.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

#include "slimcap/decode.hpp"
#include "slimcap/link_type.hpp"

namespace slimcap {
namespace {

// An endpoint (one address) or a conversation (two, the smaller first), compared as bytes.
struct Key {
  std::uint8_t family_a = 0;
  std::uint8_t family_b = 0;
  std::array<std::uint8_t, 16> a{};
  std::array<std::uint8_t, 16> b{};
  bool operator==(const Key&) const = default;
};

void put_address(std::uint8_t& family, std::array<std::uint8_t, 16>& bytes,
                 const std::uint8_t* ip, bool v6) noexcept {
  family = v6 ? 6 : 4;
  std::memcpy(bytes.data(), ip, v6 ? 16 : 4);
}

std::uint64_t load64(const std::uint8_t* p) noexcept {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

// Multiply-xorshift over the key's words: cheap, and mixes the last address byte (where
// most addresses of one network differ) into the high bits the index uses.
std::uint64_t hash_key(const Key& k) noexcept {
  constexpr std::uint64_t kMul = 0x9e3779b97f4a7c15ull;
  std::uint64_t h = (std::uint64_t{k.family_a} << 8 | k.family_b) * kMul;
  for (const std::uint8_t* p : {k.a.data(), k.a.data() + 8, k.b.data(), k.b.data() + 8}) {
    h ^= load64(p);
    h *= kMul;
    h ^= h >> 29;
  }
  return h;
}

bool key_less(const Key& x, const Key& y) noexcept {
  return std::memcmp(&x, &y, sizeof(Key)) < 0;
}

}  // namespace

// Space-Saving: `capacity` entries in one array, an open-addressing index (linear probing,
// backward-shift deletion, at most half full) and, once the table is full, a min-heap on
// packets that names the entry to replace. While the table is not full no heap is kept: the
// exact case costs one probe and two additions per key.
class TrafficStats::Table {
 public:
  explicit Table(std::uint32_t capacity) : capacity_(capacity) {
    std::uint32_t slots = 16;
    while (slots < 2 * capacity) slots *= 2;
    mask_ = slots - 1;
    entries_.resize(capacity);
    index_.assign(slots, 0);
    heap_.resize(capacity);
  }

  void add(const Key& key, std::uint64_t packets, std::uint64_t bytes,
           std::uint64_t error) noexcept {
    const std::uint64_t h = hash_key(key);
    std::uint32_t i = static_cast<std::uint32_t>(h >> 32) & mask_;
    while (index_[i] != 0) {
      Entry& e = entries_[index_[i] - 1];
      if (e.hash == h && e.key == key) {
        e.packets += packets;
        e.bytes += bytes;
        e.error += error;
        if (heap_valid_) sift_down(e.heap_position);
        return;
      }
      i = (i + 1) & mask_;
    }
    if (size_ < capacity_) {
      entries_[size_] = Entry{key, h, packets, bytes, error, 0};
      index_[i] = ++size_;
      return;
    }
    // Full: the smallest entry makes room and the newcomer inherits its count as error.
    if (!heap_valid_) build_heap();
    const std::uint32_t victim = heap_[0];
    Entry& e = entries_[victim];
    erase_index(e.hash, victim);
    overflowed_ = true;
    e.error = e.packets + error;
    e.packets += packets;
    e.bytes += bytes;
    e.key = key;
    e.hash = h;
    i = static_cast<std::uint32_t>(h >> 32) & mask_;
    while (index_[i] != 0) i = (i + 1) & mask_;
    index_[i] = victim + 1;
    sift_down(0);
  }

  void clear() noexcept {
    std::fill(index_.begin(), index_.end(), 0u);
    size_ = 0;
    heap_valid_ = false;
    overflowed_ = false;
  }

  void merge(const Table& other) noexcept {
    for (std::uint32_t n = 0; n < other.size_; ++n) {
      const Entry& e = other.entries_[n];
      add(e.key, e.packets, e.bytes, e.error);
    }
    overflowed_ = overflowed_ || other.overflowed_;
  }

  std::vector<Talker> top(std::size_t n, bool pairs) const {
    std::vector<const Entry*> order;
    order.reserve(size_);
    for (std::uint32_t k = 0; k < size_; ++k) order.push_back(&entries_[k]);
    const auto larger = [](const Entry* x, const Entry* y) {
      if (x->packets != y->packets) return x->packets > y->packets;
      if (x->bytes != y->bytes) return x->bytes > y->bytes;
      return key_less(x->key, y->key);
    };
    n = std::min(n, order.size());
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n), order.end(),
                      larger);
    std::vector<Talker> out;
    out.reserve(n);
    for (std::size_t k = 0; k < n; ++k) {
      const Entry& e = *order[k];
      Talker t;
      t.a.family = e.key.family_a;
      t.a.bytes = e.key.a;
      if (pairs) {
        t.b.family = e.key.family_b;
        t.b.bytes = e.key.b;
      }
      t.packets = e.packets;
      t.bytes = e.bytes;
      t.error = e.error;
      out.push_back(t);
    }
    return out;
  }

  bool exact() const noexcept { return !overflowed_; }
  std::size_t memory_bytes() const noexcept {
    return entries_.capacity() * sizeof(Entry) + index_.capacity() * sizeof(std::uint32_t) +
           heap_.capacity() * sizeof(std::uint32_t);
  }

 private:
  struct Entry {
    Key key;
    std::uint64_t hash = 0;
    std::uint64_t packets = 0;
    std::uint64_t bytes = 0;
    std::uint64_t error = 0;
    std::uint32_t heap_position = 0;
  };

  void erase_index(std::uint64_t hash, std::uint32_t entry) noexcept {
    std::uint32_t i = static_cast<std::uint32_t>(hash >> 32) & mask_;
    while (index_[i] != entry + 1) i = (i + 1) & mask_;
    // Backward shift: move later entries of the probe run into the hole when their home
    // slot allows it, so that no tombstones accumulate.
    std::uint32_t j = i;
    for (;;) {
      j = (j + 1) & mask_;
      if (index_[j] == 0) break;
      const std::uint32_t home =
          static_cast<std::uint32_t>(entries_[index_[j] - 1].hash >> 32) & mask_;
      const bool movable = i <= j ? (home <= i || home > j) : (home <= i && home > j);
      if (movable) {
        index_[i] = index_[j];
        i = j;
      }
    }
    index_[i] = 0;
  }

  bool heap_less(std::uint32_t x, std::uint32_t y) const noexcept {
    return entries_[x].packets < entries_[y].packets;
  }

  void build_heap() noexcept {
    for (std::uint32_t k = 0; k < size_; ++k) {
      heap_[k] = k;
      entries_[k].heap_position = k;
    }
    for (std::uint32_t k = size_ / 2; k-- > 0;) sift_down(k);
    heap_valid_ = true;
  }

  // An entry's count only grows, so it only moves towards the leaves.
  void sift_down(std::uint32_t at) noexcept {
    const std::uint32_t moving = heap_[at];
    for (;;) {
      std::uint32_t child = 2 * at + 1;
      if (child >= size_) break;
      if (child + 1 < size_ && heap_less(heap_[child + 1], heap_[child])) ++child;
      if (!heap_less(heap_[child], moving)) break;
      heap_[at] = heap_[child];
      entries_[heap_[at]].heap_position = at;
      at = child;
    }
    heap_[at] = moving;
    entries_[moving].heap_position = at;
  }

  std::uint32_t capacity_;
  std::uint32_t mask_ = 0;
  std::uint32_t size_ = 0;
  bool heap_valid_ = false;
  bool overflowed_ = false;
  std::vector<Entry> entries_;
  std::vector<std::uint32_t> index_;  // entry + 1, 0: empty
  std::vector<std::uint32_t> heap_;
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
  if (options.talker_capacity > 0) {
    endpoints_ = std::make_unique<Table>(options.talker_capacity);
    conversations_ = std::make_unique<Table>(options.talker_capacity);
  }
}
TrafficStats::~TrafficStats() = default;
TrafficStats::TrafficStats(TrafficStats&&) noexcept = default;
TrafficStats& TrafficStats::operator=(TrafficStats&&) noexcept = default;

void TrafficStats::add(const PacketView& packet) noexcept {
  Summary s;
  decode(packet, s);
  const std::uint64_t wire = packet.wire_length;
  mix_.total.add(wire);
  auto count = [&](Protocol p) { mix_.layers[static_cast<std::size_t>(p)].add(wire); };
  if (packet.link_type == link_type::kEthernet && s.source_mac) count(Protocol::ethernet);
  if (s.vlan_count > 0) count(Protocol::vlan);
  Protocol end = Protocol::other;
  switch (s.network) {
    case Network::arp:
      end = Protocol::arp;
      break;
    case Network::ipv4:
    case Network::ipv6: {
      const bool v6 = s.network == Network::ipv6;
      count(v6 ? Protocol::ipv6 : Protocol::ipv4);
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
      if (endpoints_) {
        Key k;
        put_address(k.family_a, k.a, s.source_ip, v6);
        endpoints_->add(k, 1, wire, 0);
        Key d;
        put_address(d.family_a, d.a, s.destination_ip, v6);
        endpoints_->add(d, 1, wire, 0);
        // Both directions in one entry: the smaller address first.
        if (key_less(d, k)) std::swap(k, d);
        k.family_b = d.family_a;
        k.b = d.a;
        conversations_->add(k, 1, wire, 0);
      }
      break;
    }
    default:
      break;
  }
  count(end);
}

void TrafficStats::clear() noexcept {
  mix_ = ProtocolMix{};
  if (endpoints_) {
    endpoints_->clear();
    conversations_->clear();
  }
}

void TrafficStats::merge(const TrafficStats& other) noexcept {
  mix_.total.add(other.mix_.total);
  for (std::size_t i = 0; i < kProtocolCount; ++i) mix_.layers[i].add(other.mix_.layers[i]);
  if (endpoints_ && other.endpoints_) {
    endpoints_->merge(*other.endpoints_);
    conversations_->merge(*other.conversations_);
  }
}

std::vector<Talker> TrafficStats::top_endpoints(std::size_t n) const {
  return endpoints_ ? endpoints_->top(n, false) : std::vector<Talker>{};
}
std::vector<Talker> TrafficStats::top_conversations(std::size_t n) const {
  return conversations_ ? conversations_->top(n, true) : std::vector<Talker>{};
}
bool TrafficStats::talkers_exact() const noexcept {
  return !endpoints_ || (endpoints_->exact() && conversations_->exact());
}
std::size_t TrafficStats::memory_bytes() const noexcept {
  return endpoints_ ? endpoints_->memory_bytes() + conversations_->memory_bytes() : 0;
}

}  // namespace slimcap

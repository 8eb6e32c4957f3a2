// Interface counters: /proc/net/softnet_stat parsing and its 32-bit wraps, the rtnetlink link
// dump against /sys/class/net, and (as root) exact counts on a veth pair in a network
// namespace the test creates and deletes.

#include <doctest/doctest.h>
#include <fcntl.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <new>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "allocation_counter.hpp"
#include "capture_builder.hpp"
#include "namespaces.hpp"
#include "slimcap/error.hpp"
#include "slimcap/interfaces.hpp"

using namespace slimcap;
using namespace slimcap::test;
namespace fs = std::filesystem;

namespace {

// A softnet_stat line as Linux 6.x prints it: 13 columns, the 13th the CPU's number, then
// two more.
std::string softnet_line(std::uint32_t processed, std::uint32_t dropped, std::uint32_t squeeze,
                         std::uint32_t cpu) {
  char line[200];
  std::snprintf(line, sizeof line,
                "%08x %08x %08x 00000000 00000000 00000000 00000000 00000000 00000000 00000007 "
                "00000000 00000000 %08x 00000000 00000000\n",
                processed, dropped, squeeze, cpu);
  return line;
}

// As older kernels print it: 11 columns, no CPU number.
std::string old_softnet_line(std::uint32_t processed, std::uint32_t dropped, std::uint32_t squeeze) {
  char line[200];
  std::snprintf(line, sizeof line,
                "%08x %08x %08x 00000000 00000000 00000000 00000000 00000000 00000000 00000000 "
                "00000000\n",
                processed, dropped, squeeze);
  return line;
}

SoftnetCpu cpu(std::uint32_t number, std::uint32_t processed, std::uint32_t dropped = 0,
               std::uint32_t squeeze = 0) {
  return SoftnetCpu{number, processed, dropped, squeeze, true};
}

// A line of a kernel without the CPU column: numbered by its position.
SoftnetCpu line(std::uint32_t index, std::uint32_t processed, std::uint32_t dropped = 0) {
  return SoftnetCpu{index, processed, dropped, 0, false};
}

// An RTM_NEWLINK message built by hand, as the kernel lays it out.
class LinkMessage {
 public:
  LinkMessage(int ifindex, unsigned flags) {
    nlmsghdr header{};
    header.nlmsg_type = RTM_NEWLINK;
    append(&header, sizeof header);
    ifinfomsg link{};
    link.ifi_index = ifindex;
    link.ifi_flags = flags;
    append(&link, sizeof link);
  }
  void attribute(std::uint16_t type, const void* payload, std::size_t size) {
    nlattr a{};
    a.nla_len = static_cast<std::uint16_t>(NLA_HDRLEN + size);
    a.nla_type = type;
    append(&a, sizeof a);
    append(payload, size);
  }
  const nlmsghdr* header() {
    const std::uint32_t length = static_cast<std::uint32_t>(used_);
    std::memcpy(bytes_, &length, sizeof length);
    return reinterpret_cast<const nlmsghdr*>(bytes_);
  }

 private:
  void append(const void* data, std::size_t size) {
    REQUIRE(NLMSG_ALIGN(used_ + size) <= sizeof bytes_);
    std::memcpy(bytes_ + used_, data, size);
    used_ = NLMSG_ALIGN(used_ + size);
  }
  alignas(nlmsghdr) char bytes_[1024] = {};
  std::size_t used_ = 0;
};

// fopen "wb": the same file, truncated, so a descriptor open on it reads the new text.
void write_text(const std::string& path, const std::string& text) {
  write_file(path, std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::string text;
  std::getline(in, text);
  return text;
}

std::uint64_t read_number(const fs::path& path) { return std::stoull(read_text(path)); }

struct SysfsLink {
  int ifindex = 0;
  std::uint64_t rx_packets = 0, rx_bytes = 0, tx_packets = 0, tx_bytes = 0;
};

// /sys/class/net: what the kernel's sysfs says of every interface (index and counters).
std::map<std::string, SysfsLink> sysfs_links() {
  std::map<std::string, SysfsLink> links;
  for (const auto& entry : fs::directory_iterator("/sys/class/net")) {
    const fs::path dir = entry.path();
    if (!fs::exists(dir / "ifindex")) continue;  // bonding_masters and the like
    try {
      SysfsLink l;
      l.ifindex = static_cast<int>(read_number(dir / "ifindex"));
      l.rx_packets = read_number(dir / "statistics/rx_packets");
      l.rx_bytes = read_number(dir / "statistics/rx_bytes");
      l.tx_packets = read_number(dir / "statistics/tx_packets");
      l.tx_bytes = read_number(dir / "statistics/tx_bytes");
      links[dir.filename().string()] = l;
    } catch (const std::exception&) {
      // gone while being read: the caller sees a different listing and tries again
    }
  }
  return links;
}

std::map<std::string, int> names_and_indexes(const std::map<std::string, SysfsLink>& links) {
  std::map<std::string, int> out;
  for (const auto& [name, link] : links) out[name] = link.ifindex;
  return out;
}

const LinkSample* find_link(const std::vector<LinkSample>& samples, const std::string& name) {
  for (const LinkSample& s : samples)
    if (s.name == name) return &s;
  return nullptr;
}

// A network namespace with a veth pair "tifa" - "tifb" (both up, no IPv6, so nothing but the
// test's frames crosses it); the calling thread works inside it until destruction, which
// deletes the namespace and with it the pair.
class VethNamespace {
 public:
  VethNamespace() : name_("slimcap-tif-" + std::to_string(::getpid())) {
    int status = 1;
    run_command("ip netns add " + name_ + " && ip netns exec " + name_ +
                    " sysctl -qw net.ipv6.conf.default.disable_ipv6=1 net.ipv6.conf.all.disable_ipv6=1"
                    " && ip -n " + name_ + " link add tifa type veth peer name tifb && ip -n " +
                    name_ + " link set tifa up && ip -n " + name_ + " link set tifb up 2>&1",
                &status);
    if (status != 0 || !wait_until_up()) return;
    home_ = ::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    const int ns = ::open(("/run/netns/" + name_).c_str(), O_RDONLY | O_CLOEXEC);
    ok_ = home_ >= 0 && ns >= 0 && ::setns(ns, CLONE_NEWNET) == 0;
    if (ns >= 0) ::close(ns);
  }
  ~VethNamespace() {
    if (home_ >= 0) {
      [[maybe_unused]] const int rc = ::setns(home_, CLONE_NEWNET);
      ::close(home_);
    }
    run_command("ip netns del " + name_ + " 2>/dev/null");
  }
  VethNamespace(const VethNamespace&) = delete;
  VethNamespace& operator=(const VethNamespace&) = delete;
  bool ok() const noexcept { return ok_; }
  // Runs `ip -batch` commands in the namespace, e.g. "link add x type veth peer name y\n".
  bool ip_batch(const std::string& commands) const {
    int status = 1;
    run_command("printf '" + commands + "' | ip -n " + name_ + " -batch - 2>&1", &status);
    return status == 0;
  }

 private:
  // The kernel brings a veth's carrier up and gives it its queue (noqueue instead of noop,
  // which drops every frame without an error) in deferred link-watch work, up to a second
  // after "ip link set up" on a busy machine: frames sent before are lost.
  bool wait_until_up() const {
    for (int i = 0; i < 100; ++i) {
      const std::string links = run_command("ip -n " + name_ + " -o link show");
      std::size_t ready = 0;
      for (std::size_t at = 0, end; at < links.size(); at = end + 1) {
        end = std::min(links.find('\n', at), links.size());
        const std::string_view line(links.data() + at, end - at);
        const auto has = [&](std::string_view what) { return line.find(what) != line.npos; };
        if (has(": tif") && has("state UP") && has("qdisc noqueue")) ++ready;
      }
      if (ready == 2) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  std::string name_;
  int home_ = -1;
  bool ok_ = false;
};

}  // namespace

TEST_SUITE("interfaces") {

TEST_CASE("softnet_stat lines with a CPU column are keyed by that column") {
  // CPU 1 offline: the lines are CPUs 0 and 2.
  const std::string text = softnet_line(0x4aa85d, 3, 0x11, 0) + softnet_line(0xffffffff, 0, 1, 2);
  const std::vector<SoftnetCpu> cpus = parse_softnet_stat(text);
  REQUIRE(cpus.size() == 2);
  CHECK(cpus[0].cpu == 0);
  CHECK(cpus[0].processed == 0x4aa85d);
  CHECK(cpus[0].dropped == 3);
  CHECK(cpus[0].time_squeeze == 0x11);
  CHECK(cpus[1].cpu == 2);
  CHECK(cpus[1].processed == 0xffffffffu);
  CHECK(cpus[1].time_squeeze == 1);
}

TEST_CASE("softnet_stat lines without a CPU column are numbered from 0") {
  const std::string text = old_softnet_line(10, 1, 2) + old_softnet_line(20, 3, 4) + "\n" +
                           old_softnet_line(30, 5, 6);
  const std::vector<SoftnetCpu> cpus = parse_softnet_stat(text);
  REQUIRE(cpus.size() == 3);
  for (std::uint32_t i = 0; i < 3; ++i) {
    CHECK(cpus[i].cpu == i);
    CHECK(cpus[i].processed == 10 * (i + 1));
    CHECK(cpus[i].dropped == 2 * i + 1);
    CHECK(cpus[i].time_squeeze == 2 * i + 2);
  }
  // The last line need not end with a newline; three columns are enough.
  CHECK(parse_softnet_stat("0000000a 00000001 00000002").size() == 1);
}

TEST_CASE("a softnet_stat line that is not three hexadecimal columns is an error") {
  CHECK_THROWS_WITH_AS(parse_softnet_stat(softnet_line(1, 2, 3, 0) + "0000000a 00000001\n"),
                       "softnet_stat line 2: 2 columns, expected at least 3", Error);
  CHECK_THROWS_WITH_AS(parse_softnet_stat("0000000a 0000zz01 00000002\n"),
                       "softnet_stat line 1: column 2 is not a 32-bit hexadecimal number", Error);
  CHECK_THROWS_WITH_AS(parse_softnet_stat("0000000a 100000000 00000002\n"),
                       "softnet_stat line 1: column 2 is not a 32-bit hexadecimal number", Error);
}

TEST_CASE("the first softnet sample's sums are the starting totals") {
  SoftnetAccumulator a;
  const SoftnetTotals& t = a.add({cpu(0, 100, 1, 2), cpu(1, 0xffffffff, 3, 4)});
  CHECK(t.processed == 100 + 0xffffffffull);
  CHECK(t.dropped == 4);
  CHECK(t.time_squeeze == 6);
  CHECK(t.cpus == 2);
}

TEST_CASE("a 32-bit softnet counter that wraps adds its delta modulo 2^32") {
  SoftnetAccumulator a;
  a.add({cpu(0, 0xfffffff0, 0xfffffff0, 0xfffffff0)});
  const std::uint64_t start = a.totals().processed;
  const SoftnetTotals& t = a.add({cpu(0, 0x10, 0x10, 0x10)});
  CHECK(t.processed - start == 0x20);
  CHECK(t.processed == 0xfffffff0ull + 0x20);
  CHECK(t.dropped == 0xfffffff0ull + 0x20);
  CHECK(t.time_squeeze == 0xfffffff0ull + 0x20);
  // Many wraps in a row: the total keeps growing past 2^32.
  SoftnetTotals last = t;
  for (std::uint32_t step = 1; step <= 8; ++step) {
    const std::uint32_t raw = 0x10 + step * 0x40000000u;  // wraps every fourth step
    last = a.add({cpu(0, raw)});
  }
  CHECK(last.processed == 0xfffffff0ull + 0x20 + 8ull * 0x40000000u);
}

TEST_CASE("a CPU that goes away and comes back adds no spike") {
  SoftnetAccumulator a;
  a.add({cpu(0, 1000, 5), cpu(1, 2000, 7)});
  // CPU 1 goes offline: only CPU 0's delta counts.
  SoftnetTotals t = a.add({cpu(0, 1100, 5)});
  CHECK(t.processed == 3000 + 100);
  CHECK(t.dropped == 12);
  CHECK(t.cpus == 1);
  // It comes back with counters far from what was last seen, and a new CPU 3 appears: both
  // start from their current values and add nothing yet.
  t = a.add({cpu(0, 1200, 5), cpu(1, 7, 0), cpu(3, 0x90000000, 9)});
  CHECK(t.processed == 3000 + 200);
  CHECK(t.dropped == 12);
  CHECK(t.cpus == 3);
  // From the next sample their deltas count, in whatever order the lines come.
  t = a.add({cpu(3, 0x90000010, 10), cpu(0, 1200, 5), cpu(1, 17, 2)});
  CHECK(t.processed == 3000 + 200 + 10 + 0x10);
  CHECK(t.dropped == 12 + 2 + 1);
}

TEST_CASE("without CPU numbers, a change in the number of lines is a new baseline, not a spike") {
  SoftnetAccumulator a;
  a.add({line(0, 1000, 5), line(1, 0xfffff000, 7), line(2, 3000, 9)});
  // CPU 1 goes offline: the third line is now CPU 2's; pairing it with CPU 1's counters would
  // add about 2^32.
  SoftnetTotals t = a.add({line(0, 1100, 5), line(1, 3050, 9)});
  CHECK(t.processed == 1000 + 0xfffff000ull + 3000);
  CHECK(t.dropped == 21);
  // The next sample of as many lines counts again.
  t = a.add({line(0, 1110, 6), line(1, 3060, 9)});
  CHECK(t.processed == 1000 + 0xfffff000ull + 3000 + 20);
  CHECK(t.dropped == 22);
}

TEST_CASE("SoftnetReader reads the file again on every call and allocates nothing after the first") {
  TempPath file(".softnet_stat");
  write_text(file.path, softnet_line(0xfffffff0, 1, 0, 0) + softnet_line(5, 0, 0, 1));
  SoftnetReader reader(file.path);
  CHECK(reader.read().processed == 0xfffffff0ull + 5);
  // Rewritten in place (same length): the open descriptor sees the new text.
  write_text(file.path, softnet_line(0x10, 2, 0, 0) + softnet_line(6, 0, 0, 1));
  const std::size_t before = allocation_count();
  const SoftnetTotals& t = reader.read();
  CHECK(allocation_count() == before);
  CHECK(t.processed == 0xfffffff0ull + 5 + 0x20 + 1);
  CHECK(t.dropped == 2);
  CHECK(reader.last_sample().size() == 2);

  CHECK_THROWS_WITH_AS(SoftnetReader("/nonexistent/softnet_stat"),
                       "/nonexistent/softnet_stat: cannot open: No such file or directory",
                       SystemError);
}

TEST_CASE("the system's softnet_stat has a line for every online CPU") {
  SoftnetReader reader;
  const std::uint64_t first = reader.read().processed;
  const SoftnetTotals& t = reader.read();
  CHECK(t.cpus == static_cast<std::size_t>(::sysconf(_SC_NPROCESSORS_ONLN)));
  CHECK(t.processed >= first);
}

TEST_CASE("a link message is decoded from IFLA_STATS64, or from IFLA_STATS without it") {
  rtnl_link_stats64 s64{};
  s64.rx_packets = 0x1'0000'0005ull;
  s64.rx_bytes = 0x7'0000'0000ull;
  s64.tx_packets = 3;
  s64.rx_dropped = 4;
  s64.rx_missed_errors = 5;
  s64.rx_fifo_errors = 6;
  s64.rx_nohandler = 7;
  s64.multicast = 8;
  rtnl_link_stats s32{};
  s32.rx_packets = 5;
  s32.rx_bytes = 0xfffffff0u;
  s32.rx_nohandler = 9;
  const char name[] = "veth-test0";

  LinkMessage both(7, IFF_UP | IFF_RUNNING);
  both.attribute(IFLA_IFNAME, name, sizeof name);
  both.attribute(IFLA_STATS, &s32, sizeof s32);
  both.attribute(IFLA_STATS64, &s64, sizeof s64);
  LinkSample sample;
  REQUIRE(detail::parse_link_message(both.header(), sample));
  CHECK(sample.ifindex == 7);
  CHECK(sample.name == "veth-test0");
  CHECK(sample.up);
  CHECK(sample.running);
  CHECK_FALSE(sample.loopback);
  CHECK(sample.has_counters);
  CHECK_FALSE(sample.counters_32bit);
  CHECK(sample.counters.rx_packets == 0x1'0000'0005ull);
  CHECK(sample.counters.rx_bytes == 0x7'0000'0000ull);
  CHECK(sample.counters.tx_packets == 3);
  CHECK(sample.counters.rx_dropped == 4);
  CHECK(sample.counters.rx_missed_errors == 5);
  CHECK(sample.counters.rx_fifo_errors == 6);
  CHECK(sample.counters.rx_nohandler == 7);
  CHECK(sample.counters.multicast == 8);

  LinkMessage old(2, IFF_LOOPBACK);
  old.attribute(IFLA_IFNAME, "lo", 3);
  old.attribute(IFLA_STATS, &s32, sizeof s32);
  REQUIRE(detail::parse_link_message(old.header(), sample));
  CHECK(sample.name == "lo");
  CHECK(sample.loopback);
  CHECK_FALSE(sample.up);
  CHECK(sample.has_counters);
  CHECK(sample.counters_32bit);
  CHECK(sample.counters.rx_packets == 5);
  CHECK(sample.counters.rx_bytes == 0xfffffff0u);
  CHECK(sample.counters.rx_nohandler == 9);
  CHECK(sample.counters.tx_packets == 0);  // nothing left from the previous message

  // A shorter IFLA_STATS64 (an older kernel's struct) leaves the fields it lacks 0.
  LinkMessage short_stats(3, 0);
  short_stats.attribute(IFLA_STATS64, &s64, offsetof(rtnl_link_stats64, rx_nohandler));
  REQUIRE(detail::parse_link_message(short_stats.header(), sample));
  CHECK(sample.counters.rx_fifo_errors == 6);
  CHECK(sample.counters.rx_nohandler == 0);
  CHECK(sample.name.empty());

  LinkMessage none(4, 0);
  REQUIRE(detail::parse_link_message(none.header(), sample));
  CHECK_FALSE(sample.has_counters);
  CHECK_FALSE(sample.counters_32bit);
  CHECK(sample.counters.rx_packets == 0);
}

TEST_CASE("the link dump lists every interface of /sys/class/net with its index and counters") {
  LinkStatsReader reader;
  // Other programs may add or delete interfaces meanwhile: a listing that changed while it
  // was taken is taken again.
  for (int attempt = 1;; ++attempt) {
    const std::map<std::string, SysfsLink> before = sysfs_links();
    const std::vector<LinkSample> samples = reader.dump();
    const std::map<std::string, SysfsLink> after = sysfs_links();
    std::map<std::string, int> dumped;
    for (const LinkSample& s : samples) dumped[s.name] = s.ifindex;
    if ((names_and_indexes(before) != names_and_indexes(after) || dumped != names_and_indexes(after)) &&
        attempt < 5)
      continue;
    CHECK(dumped == names_and_indexes(after));
    for (const auto& [name, b] : before) {
      CAPTURE(name);
      const LinkSample* s = find_link(samples, name);
      REQUIRE(s != nullptr);
      const SysfsLink& a = after.at(name);
      CHECK(s->has_counters);
      CHECK_FALSE(s->counters_32bit);
      // Traffic between the reads moves the counters forward only.
      CHECK((b.rx_packets <= s->counters.rx_packets && s->counters.rx_packets <= a.rx_packets));
      CHECK((b.rx_bytes <= s->counters.rx_bytes && s->counters.rx_bytes <= a.rx_bytes));
      CHECK((b.tx_packets <= s->counters.tx_packets && s->counters.tx_packets <= a.tx_packets));
      CHECK((b.tx_bytes <= s->counters.tx_bytes && s->counters.tx_bytes <= a.tx_bytes));
      CHECK(s->loopback == (name == "lo"));
      // The flags file is hexadecimal ("0x1003").
      const unsigned long flags = std::stoul(read_text("/sys/class/net/" + name + "/flags"), nullptr, 16);
      CHECK(s->up == ((flags & IFF_UP) != 0));
    }
    break;
  }
}

TEST_CASE("a link dump into a grown vector allocates nothing") {
  LinkStatsReader reader;
  std::vector<LinkSample> samples;
  reader.dump(samples);
  REQUIRE_FALSE(samples.empty());
  const std::size_t count = samples.size();
  const std::size_t before = allocation_count();
  for (int i = 0; i < 10; ++i) reader.dump(samples);
  CHECK(allocation_count() == before);
  CHECK(samples.size() == count);
}

TEST_CASE("a veth pair counts exactly the frames sent across it") {
  if (!can_create_namespaces("veth counters")) return;
  VethNamespace ns;
  REQUIRE(ns.ok());
  // Both sockets belong to the namespace current when they are created: this one.
  LinkStatsReader reader;
  const int fd = ::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  sockaddr_ll address{};
  address.sll_family = AF_PACKET;
  address.sll_ifindex = static_cast<int>(::if_nametoindex("tifa"));
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);

  std::vector<LinkSample> start = reader.dump();
  const LinkSample* a0 = find_link(start, "tifa");
  const LinkSample* b0 = find_link(start, "tifb");
  REQUIRE(a0 != nullptr);
  REQUIRE(b0 != nullptr);
  CHECK(b0->ifindex == static_cast<int>(::if_nametoindex("tifb")));
  CHECK((b0->up && b0->running));

  // Broadcast frames of the local experimental EtherType 0x88b5: no protocol takes them, so
  // the receiver counts each one in rx_packets and, once its backlog has run, in rx_dropped.
  constexpr std::uint64_t kFrames = 1000;
  constexpr std::size_t kFrameSize = 100;
  std::vector<std::uint8_t> frame(kFrameSize, 0);
  std::fill_n(frame.begin(), 6, 0xff);
  const std::uint8_t source[6] = {0x02, 0, 0, 0, 0, 0x01};
  std::copy(source, source + 6, frame.begin() + 6);
  frame[12] = 0x88;
  frame[13] = 0xb5;
  for (std::uint64_t i = 0; i < kFrames; ++i)
    REQUIRE(::send(fd, frame.data(), frame.size(), 0) == static_cast<ssize_t>(kFrameSize));
  ::close(fd);

  // veth counts the receiver's rx_packets in the sender's transmit call: exact already.
  std::vector<LinkSample> end = reader.dump();
  REQUIRE(find_link(end, "tifb") != nullptr);
  CHECK(find_link(end, "tifb")->counters.rx_packets - b0->counters.rx_packets == kFrames);

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  for (;;) {
    reader.dump(end);
    const LinkSample* b = find_link(end, "tifb");
    REQUIRE(b != nullptr);
    if (b->counters.rx_dropped - b0->counters.rx_dropped >= kFrames ||
        std::chrono::steady_clock::now() > deadline)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const LinkSample* a1 = find_link(end, "tifa");
  const LinkSample* b1 = find_link(end, "tifb");
  REQUIRE(a1 != nullptr);
  CHECK(b1->counters.rx_packets - b0->counters.rx_packets == kFrames);
  CHECK(b1->counters.rx_bytes - b0->counters.rx_bytes == kFrames * kFrameSize);
  CHECK(b1->counters.rx_dropped - b0->counters.rx_dropped == kFrames);
  CHECK(a1->counters.tx_packets - a0->counters.tx_packets == kFrames);
  CHECK(a1->counters.tx_bytes - a0->counters.tx_bytes == kFrames * kFrameSize);
  CHECK(a1->counters.rx_packets == a0->counters.rx_packets);  // nothing came back
}

TEST_CASE("a dump too large for one read lists every interface once, in index order") {
  if (!can_create_namespaces("multi-part dump")) return;
  VethNamespace ns;
  REQUIRE(ns.ok());
  // 2 + 80 veth ends and lo: about 100 KiB of link messages, several reads of 32 KiB.
  std::string commands;
  for (int i = 0; i < 40; ++i)
    commands += "link add tifa" + std::to_string(i) + " type veth peer name tifb" + std::to_string(i) + "\\n";
  REQUIRE(ns.ip_batch(commands));
  LinkStatsReader reader;
  const std::vector<LinkSample> samples = reader.dump();
  std::vector<std::pair<int, std::string>> expected;
  struct if_nameindex* names = ::if_nameindex();
  REQUIRE(names != nullptr);
  for (struct if_nameindex* n = names; n->if_index != 0; ++n)
    expected.emplace_back(static_cast<int>(n->if_index), n->if_name);
  ::if_freenameindex(names);
  std::sort(expected.begin(), expected.end());
  std::vector<std::pair<int, std::string>> dumped;
  for (const LinkSample& s : samples) dumped.emplace_back(s.ifindex, s.name);
  CHECK(expected.size() == 83);
  CHECK(dumped == expected);
}

}  // TEST_SUITE

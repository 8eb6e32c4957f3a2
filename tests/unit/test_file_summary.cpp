// One-pass file summaries: capinfos' counters, truncated and out-of-order records, the series,
// damaged files, and capinfos' number style.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "capture_builder.hpp"
#include "frame_builder.hpp"
#include "slimcap/file_summary.hpp"
#include "slimcap/filter.hpp"

using namespace slimcap;
using namespace slimcap::test;

namespace {

constexpr std::int64_t kT0 = 1700000000LL * 1000000000LL;

Record udp_record(std::int64_t t, std::size_t payload = 20) {
  Ipv4Spec ip;
  ip.protocol = ip_proto::kUdp;
  return Record{udp4_frame(ip, 1, 2, payload), t, 0};
}

}  // namespace

TEST_SUITE("file_summary") {
  TEST_CASE("counts packets, wire bytes, times, order and truncated records of a pcap") {
    std::vector<Record> records = {udp_record(kT0 + 2000), udp_record(kT0 + 1000),
                                   udp_record(kT0 + 5000)};
    // A record cut to 40 of its bytes: truncated, and its wire length counts in the data size.
    Record cut = udp_record(kT0 + 6000, 100);
    cut.wire_length = static_cast<std::uint32_t>(cut.data.size());
    cut.data.resize(40);
    records.push_back(cut);
    TempPath path;
    write_file(path.path, pcap_file({}, records));
    const FileSummary s = summarize_file(path.path, {});
    CHECK(s.packets == 4);
    CHECK(s.records == 4);
    CHECK(s.data_bytes == 3 * records[0].data.size() + cut.wire_length);
    CHECK(s.captured_bytes == 3 * records[0].data.size() + 40);
    CHECK(s.first_ns == kT0 + 1000);
    CHECK(s.last_ns == kT0 + 6000);
    CHECK(s.out_of_order == 1);
    CHECK(s.truncated == 1);
    CHECK(s.inferred_snaplen_min == 40);
    CHECK(s.inferred_snaplen_max == 40);
    CHECK(s.header_snaplen == 262144);
    CHECK(s.interfaces.size() == 1);
    CHECK(s.interface_packets[0] == 4);
    CHECK(s.traffic.mix()[Protocol::udp].packets == 4);
    CHECK(s.error.empty());
  }

  TEST_CASE("summarises every complete packet of a damaged file, then names the damage") {
    const Bytes whole = pcap_file({}, std::vector<Record>{udp_record(kT0), udp_record(kT0 + 1)});
    TempPath path;
    write_file(path.path, Bytes(whole.begin(), whole.end() - 10));
    const FileSummary s = summarize_file(path.path, {});
    CHECK(s.packets == 1);
    CHECK(s.error.find("truncated capture file") != std::string::npos);
  }

  TEST_CASE("counts only what the filter selects, and every record read") {
    Ipv4Spec ip;
    std::vector<Record> records = {udp_record(kT0), Record{tcp4_frame(ip, {}, 0), kT0 + 1, 0}};
    TempPath path;
    write_file(path.path, pcap_file({}, records));
    Filter f("tcp");
    SummaryOptions o;
    o.filter = &f;
    const FileSummary s = summarize_file(path.path, o);
    CHECK(s.records == 2);
    CHECK(s.packets == 1);
    CHECK(s.filter == "tcp");
    CHECK(s.traffic.mix()[Protocol::tcp].packets == 1);
    CHECK(s.traffic.mix()[Protocol::udp].packets == 0);
  }

  TEST_CASE("counts packets per pcapng interface and reads its statistics blocks") {
    PcapngBuilder b;
    b.section().interface(1, 262144, 9).interface(101, 65535, 6);
    Ipv4Spec ip;
    ip.protocol = ip_proto::kUdp;
    b.packet(0, udp_record(kT0));
    b.packet(1, Record{ipv4_packet(ip, udp_datagram(1, 2, Bytes(4))), kT0 + 1000, 0});
    b.packet(1, Record{ipv4_packet(ip, udp_datagram(1, 2, Bytes(4))), kT0 + 2000, 0});
    Bytes isb(20, 0);  // interface 0, timestamp 0, no options
    b.block(5, isb);
    TempPath path(".pcapng");
    write_file(path.path, b.bytes());
    const FileSummary s = summarize_file(path.path, {});
    REQUIRE(s.interfaces.size() == 2);
    CHECK(s.interface_packets[0] == 1);
    CHECK(s.interface_packets[1] == 2);
    CHECK(s.interfaces[0].statistics == 1);
    CHECK(s.interfaces[0].has_tsresol);
    CHECK(s.interfaces[0].ticks_per_second == 1000000000);
    CHECK(s.interfaces[1].snaplen == 65535);
    CHECK(s.per_packet_link_type());
    CHECK(s.link_types.size() == 2);
    CHECK(s.first_digits == 9);
    CHECK(s.last_digits == 6);
    const std::string text = summary_text(s, 0);
    CHECK(text.find("File encapsulation:  Per packet\n") != std::string::npos);
    CHECK(text.find("                     Ethernet (1)\n                     Raw IP (2)\n") !=
          std::string::npos);
  }

  TEST_CASE("numbers the interfaces of a multi-section pcapng in the whole file, as capinfos") {
    // Interface ids restart at each section header: section 2's interface 0 is the file's
    // interface 1, with its own resolution and its own count.
    PcapngBuilder b;
    b.section().interface(1, 65535);  // µs
    b.packet(0, udp_record(kT0)).packet(0, udp_record(kT0 + 1000));
    b.section().interface(1, 262144, 9).interface(1, 1000, 6);
    b.packet(0, udp_record(kT0 + 2000)).packet(1, udp_record(kT0 + 3000));
    b.packet(0, udp_record(kT0 + 4000));
    Bytes isb(20, 0);  // section 2's interface 0
    b.block(5, isb);
    TempPath path(".pcapng");
    write_file(path.path, b.bytes());
    const FileSummary s = summarize_file(path.path, {});
    REQUIRE(s.interfaces.size() == 3);
    REQUIRE(s.interface_packets.size() == 3);
    CHECK(s.interface_packets[0] == 2);
    CHECK(s.interface_packets[1] == 2);
    CHECK(s.interface_packets[2] == 1);
    CHECK(s.interfaces[0].snaplen == 65535);
    CHECK(s.interfaces[1].ticks_per_second == 1000000000);
    CHECK(s.interfaces[1].statistics == 1);
    CHECK(s.interfaces[2].snaplen == 1000);
    CHECK(s.first_digits == 6);
    CHECK(s.last_digits == 9);  // section 2's interface 0 is a nanosecond one
    const std::string text = summary_text(s, 0);
    CHECK(text.find("Number of interfaces in file: 3\n") != std::string::npos);
  }

  TEST_CASE("puts packets in intervals from the first packet, out-of-order ones included") {
    std::vector<Record> records = {udp_record(kT0 + 500'000'000), udp_record(kT0 + 1'400'000'000),
                                   udp_record(kT0 + 100'000'000), udp_record(kT0 + 3'600'000'000)};
    TempPath path;
    write_file(path.path, pcap_file({}, records));
    SummaryOptions o;
    o.series_ns = 1'000'000'000;
    const FileSummary s = summarize_file(path.path, o);
    REQUIRE(s.series.size() == 3);
    CHECK(s.series[0].start_ns == kT0 - 500'000'000);  // the out-of-order packet's interval
    CHECK(s.series[1].start_ns == kT0 + 500'000'000);
    CHECK(s.series[1].packets == 2);
    CHECK(s.series[2].start_ns == kT0 + 3'500'000'000);
    // The outputs fill the two empty intervals between the rows.
    const std::string csv = series_csv(s);
    CHECK(std::count(csv.begin(), csv.end(), '\n') == 5);
  }

  TEST_CASE("prints sizes in capinfos' style") {
    CHECK(capinfos_size(58, SizeUnit::none) == "58");
    CHECK(capinfos_size(2000000, SizeUnit::none) == "2000 k");
    CHECK(capinfos_size(9999, SizeUnit::bytes) == "9999 bytes");
    CHECK(capinfos_size(10000, SizeUnit::bytes) == "10 kB");
    CHECK(capinfos_size(438173, SizeUnit::bytes) == "438 kB");
    CHECK(capinfos_size(25313470, SizeUnit::bits_per_second) == "25 Mbps");
    CHECK(capinfos_size(0, SizeUnit::bytes_per_second) == "0 bytes/s");
    CHECK(capinfos_size(7640, SizeUnit::packets_per_second) == "7640 packets/s");
    CHECK(capinfos_size(76400, SizeUnit::packets_per_second) == "76 kpackets/s");
  }

  TEST_CASE("writes one parseable JSON object with the version key") {
    TempPath path;
    write_file(path.path, pcap_file({}, std::vector<Record>{udp_record(kT0)}));
    const std::string j = summary_json(summarize_file(path.path, {}), 0);
    CHECK(j.rfind("{\"type\":\"file\",\"version\":1,", 0) == 0);
    CHECK(j.back() == '\n');
    CHECK(j.find("\"udp\":{\"packets\":1,") != std::string::npos);
  }

  TEST_CASE("writes a file name that is not UTF-8 into the SVG with U+FFFD, into JSON as \\u00XX") {
    TempPath path;
    write_file(path.path, pcap_file({}, std::vector<Record>{udp_record(kT0)}));
    SummaryOptions o;
    o.series_ns = 1'000'000'000;
    FileSummary s = summarize_file(path.path, o);
    s.path = "caf\xe9<\xed\xa0\x80>.pcap";  // latin-1 and a surrogate
    const std::string svg = series_svg(s);
    CHECK(svg.find("caf\xef\xbf\xbd&lt;\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd&gt;.pcap") !=
          std::string::npos);
    CHECK(svg.find('\xe9') == std::string::npos);
    CHECK(summary_json(s, 0).find("\"caf\\u00e9<\\u00ed\\u00a0\\u0080>.pcap\"") != std::string::npos);
  }

  TEST_CASE("keeps the CSV row as wide as the header") {
    TempPath path;
    write_file(path.path, pcap_file({}, std::vector<Record>{udp_record(kT0)}));
    const std::string header = summary_csv_header();
    const std::string row = summary_csv_row(summarize_file(path.path, {}));
    CHECK(std::count(header.begin(), header.end(), ',') == std::count(row.begin(), row.end(), ','));
  }
}

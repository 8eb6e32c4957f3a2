// The output formats of file summaries: capinfos' long report (labels, spacing and number
// style are capinfos 4.0's, so that people and scripts recognise it), JSON lines, CSV and the
// SVG I/O graph. Keys and columns are documented in docs/stats.md.

#include <time.h>

#include <algorithm>
#include <cmath>
#include <string_view>

#include <fmt/format.h>

#include "slimcap/file_summary.hpp"
#include "slimcap/link_type.hpp"
#include "slimcap/output_buffer.hpp"
#include "slimcap/stats_format.hpp"

namespace slimcap {
namespace {

constexpr std::int64_t kNsPerSecond = 1000000000;
// Empty intervals between two rows are filled in (as zero rows) while the whole span has at
// most this many intervals; beyond it (a stray timestamp years off) only rows with packets
// are shown, so that one bad record cannot make the output huge.
constexpr std::int64_t kMaxFilledRows = 1000000;

// Wireshark's names of the link types slimcap decodes: description, its WTAP_ENCAP number and
// short name, as capinfos prints them ("Ethernet (1 - ether)").
struct Encapsulation {
  std::uint32_t link_type;
  const char* description;
  int wtap;
  const char* name;
};
constexpr Encapsulation kEncapsulations[] = {
    {link_type::kNull, "NULL/Loopback", 15, "null"},
    {link_type::kEthernet, "Ethernet", 1, "ether"},
    {link_type::kRaw, "Raw IP", 7, "rawip"},
    {link_type::kLoop, "OpenBSD loopback", 174, "loop"},
    {link_type::kLinuxSll, "Linux cooked-mode capture v1", 25, "linux-sll"},
    {link_type::kIpv4, "Raw IPv4", 129, "rawip4"},
    {link_type::kIpv6, "Raw IPv6", 130, "rawip6"},
    {link_type::kLinuxSll2, "Linux cooked-mode capture v2", 210, "linux-sll2"},
};

const Encapsulation* encapsulation(std::uint32_t lt) {
  for (const auto& e : kEncapsulations)
    if (e.link_type == lt) return &e;
  return nullptr;
}

// Other link types: libpcap's name, which capinfos' differs from.
std::string encapsulation_description(std::uint32_t lt) {
  if (const Encapsulation* e = encapsulation(lt)) return e->description;
  const std::string_view d = link_type_description(lt);
  return d.empty() ? fmt::format("LINKTYPE {}", lt) : std::string(d);
}

std::string link_type_key(std::uint32_t lt) {
  const std::string_view n = link_type_name(lt);
  return n.empty() ? fmt::format("LINKTYPE_{}", lt) : std::string(n);
}

const char* precision_name(int digits) {
  switch (digits) {
    case 0: return "seconds";
    case 1: return "deciseconds";
    case 2: return "centiseconds";
    case 3: return "milliseconds";
    case 6: return "microseconds";
    case 9: return "nanoseconds";
    default: return "unknown";
  }
}

int file_digits(const FileSummary& s) {
  if (s.format == FileFormat::pcap || s.interfaces.empty())
    return s.precision == TimePrecision::nano ? 9 : 6;
  const FileInterface& i = s.interfaces.front();
  return (i.tsresol & 0x80) ? 9 : std::min<int>(i.tsresol, 9);
}

std::string file_type_text(const FileSummary& s) {
  std::string t = s.format == FileFormat::pcapng ? "Wireshark/... - pcapng"
                  : s.precision == TimePrecision::nano
                      ? "Wireshark/tcpdump/... - nanosecond pcap"
                      : "Wireshark/tcpdump/... - pcap";
  if (s.compression == Compression::zstd) t += " (zstd compressed)";
  if (s.compression == Compression::gzip) t += " (gzip compressed)";
  return t;
}

void split_ns(std::int64_t ns, std::int64_t& seconds, std::int64_t& fraction) {
  seconds = ns / kNsPerSecond;
  fraction = ns % kNsPerSecond;
  if (fraction < 0) {
    fraction += kNsPerSecond;
    --seconds;
  }
}

std::string fraction_text(std::int64_t fraction_ns, int digits) {
  if (digits <= 0) return {};
  std::int64_t v = fraction_ns;
  for (int d = 9; d > digits; --d) v /= 10;
  return fmt::format(".{:0{}}", v, digits);
}

// "2023-11-14 22:13:20.123456": local time, as capinfos prints it.
std::string local_time_text(std::int64_t ns, int digits) {
  std::int64_t seconds, fraction;
  split_ns(ns, seconds, fraction);
  const time_t t = static_cast<time_t>(seconds);
  struct tm tm{};
  if (!::localtime_r(&t, &tm)) return "n/a";
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}{}", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, fraction_text(fraction, digits));
}

// Seconds since the epoch with nine decimals, as `read --json` writes "ts".
std::string epoch_text(std::int64_t ns) {
  std::int64_t seconds, fraction;
  split_ns(ns, seconds, fraction);
  return fmt::format("{}.{:09}", seconds, fraction);
}

std::string duration_text(const FileSummary& s) {
  if (s.packets == 0) return "n/a";
  std::int64_t seconds, fraction;
  split_ns(s.last_ns - s.first_ns, seconds, fraction);
  const int digits = std::max(s.first_digits, s.last_digits);
  return fmt::format("{}{} second{}", seconds, fraction_text(fraction, digits),
                     seconds == 1 ? "" : "s");
}

std::string resolution_text(const FileInterface& i) {
  return fmt::format("{} ({})", precision_name((i.tsresol & 0x80) ? 9 : std::min<int>(i.tsresol, 9)),
                     (i.tsresol & 0x80) ? 9 : std::min<int>(i.tsresol, 9));
}


// The series with the empty intervals filled in (see kMaxFilledRows).
std::vector<SeriesRow> filled_series(const FileSummary& s) {
  if (s.series.empty() || s.series_ns <= 0) return s.series;
  const std::int64_t span = (s.series.back().start_ns - s.series.front().start_ns) / s.series_ns + 1;
  if (span > kMaxFilledRows) return s.series;
  std::vector<SeriesRow> rows;
  rows.reserve(static_cast<std::size_t>(span));
  for (const SeriesRow& r : s.series) {
    while (!rows.empty() && rows.back().start_ns + s.series_ns < r.start_ns)
      rows.push_back({rows.back().start_ns + s.series_ns, 0, 0});
    rows.push_back(r);
  }
  return rows;
}

double interval_seconds(const FileSummary& s) {
  return static_cast<double>(s.series_ns) / static_cast<double>(kNsPerSecond);
}

// Offsets of rows from the first interval's start, in seconds.
double offset_seconds(const FileSummary& s, const SeriesRow& r) {
  return static_cast<double>(r.start_ns - s.series.front().start_ns) /
         static_cast<double>(kNsPerSecond);
}

void json_number(OutputBuffer& out, double v) { out.append(fmt::format("{:.2f}", v)); }

// XML text must be UTF-8 (as the SVG declares): a file name's invalid bytes become U+FFFD.
std::string xml_escape(std::string_view text) {
  std::string out;
  for (const char c : utf8_replacing_invalid(text)) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default:
        // XML 1.0 allows no control characters but tab, LF and CR.
        out += static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r' ? '?' : c;
    }
  }
  return out;
}

// Axis ticks: a step of 1, 2 or 5 times a power of ten giving about `want` ticks up to max.
double nice_step(double max, int want) {
  if (max <= 0) return 1;
  const double raw = max / want;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (const double m : {1.0, 2.0, 5.0, 10.0})
    if (raw <= m * power) return m * power;
  return 10 * power;
}

}  // namespace

std::string capinfos_size(std::int64_t value, SizeUnit unit) {
  constexpr std::int64_t p = 1000;
  std::string text;
  bool small = false;
  if (value / p / p / p / p >= 10) {
    text = fmt::format("{} T", value / p / p / p / p);
  } else if (value / p / p / p >= 10) {
    text = fmt::format("{} G", value / p / p / p);
  } else if (value / p / p >= 10) {
    text = fmt::format("{} M", value / p / p);
  } else if (value / p >= 10) {
    text = fmt::format("{} k", value / p);
  } else {
    text = fmt::format("{}", value);
    small = true;
  }
  switch (unit) {
    case SizeUnit::none: break;
    case SizeUnit::bytes: text += small ? " bytes" : "B"; break;
    case SizeUnit::bytes_per_second: text += small ? " bytes/s" : "Bps"; break;
    case SizeUnit::bits_per_second: text += small ? " bits/s" : "bps"; break;
    case SizeUnit::packets_per_second: text += small ? " packets/s" : "packets/s"; break;
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

std::string summary_text(const FileSummary& s, std::size_t top) {
  std::string out;
  auto line = [&out](std::string_view label, const std::string& value) {
    out += label;
    out += value;
    out += '\n';
  };
  line("File name:           ", s.path);
  line("File type:           ", file_type_text(s));
  if (s.per_packet_link_type()) {
    line("File encapsulation:  ", "Per packet");
    out += "Encapsulation in use by packets (# of pkts):\n";
    std::vector<LinkTypeCount> by_wtap = s.link_types;
    std::sort(by_wtap.begin(), by_wtap.end(), [](const LinkTypeCount& a, const LinkTypeCount& b) {
      const Encapsulation* ea = encapsulation(a.link_type);
      const Encapsulation* eb = encapsulation(b.link_type);
      return (ea ? ea->wtap : 1000 + static_cast<int>(a.link_type)) <
             (eb ? eb->wtap : 1000 + static_cast<int>(b.link_type));
    });
    for (const LinkTypeCount& c : by_wtap)
      out += fmt::format("                     {} ({})\n", encapsulation_description(c.link_type),
                         c.packets);
  } else {
    line("File encapsulation:  ", encapsulation_description(s.link_type));
  }
  const int digits = file_digits(s);
  line("File timestamp precision:  ", fmt::format("{} ({})", precision_name(digits), digits));
  line("Packet size limit:   ", s.header_snaplen > 0 && s.format == FileFormat::pcap
                                    ? fmt::format("file hdr: {} bytes", s.header_snaplen)
                                    : std::string("file hdr: (not set)"));
  if (s.inferred_snaplen_max > 0) {
    line("Packet size limit:   ",
         s.inferred_snaplen_min == s.inferred_snaplen_max
             ? fmt::format("inferred: {} bytes", s.inferred_snaplen_min)
             : fmt::format("inferred: {} bytes - {} bytes (range)", s.inferred_snaplen_min,
                           s.inferred_snaplen_max));
  }
  line("Number of packets:   ", capinfos_size(static_cast<std::int64_t>(s.packets), SizeUnit::none));
  line("File size:           ",
       s.file_size < 0 ? std::string("n/a") : capinfos_size(s.file_size, SizeUnit::bytes));
  line("Data size:           ", capinfos_size(static_cast<std::int64_t>(s.data_bytes), SizeUnit::bytes));
  line("Capture duration:    ", duration_text(s));
  line("First packet time:   ", s.packets ? local_time_text(s.first_ns, s.first_digits) : "n/a");
  line("Last packet time:    ", s.packets ? local_time_text(s.last_ns, s.last_digits) : "n/a");
  const double rate = s.data_byte_rate();
  line("Data byte rate:      ",
       capinfos_size(static_cast<std::int64_t>(rate), SizeUnit::bytes_per_second));
  line("Data bit rate:       ",
       capinfos_size(static_cast<std::int64_t>(rate * 8), SizeUnit::bits_per_second));
  line("Average packet size: ", fmt::format("{:.2f} bytes", s.average_packet_size()));
  line("Average packet rate: ", capinfos_size(static_cast<std::int64_t>(s.packet_rate()),
                                              SizeUnit::packets_per_second));
  line("Strict time order:   ", s.out_of_order == 0 ? "True" : "False");
  if (!s.section.hardware.empty()) line("Capture hardware:    ", s.section.hardware);
  if (!s.section.os.empty()) line("Capture oper-sys:    ", s.section.os);
  if (!s.section.application.empty()) line("Capture application: ", s.section.application);
  if (!s.interfaces.empty()) {
    line("Number of interfaces in file: ", fmt::format("{}", s.interfaces.size()));
    constexpr std::string_view kIndent = "                     ";
    for (std::size_t n = 0; n < s.interfaces.size(); ++n) {
      const FileInterface& i = s.interfaces[n];
      out += fmt::format("Interface #{} info:\n", n);
      if (!i.name.empty()) out += fmt::format("{}Name = {}\n", kIndent, i.name);
      if (!i.description.empty()) out += fmt::format("{}Description = {}\n", kIndent, i.description);
      if (const Encapsulation* e = encapsulation(i.link_type)) {
        out += fmt::format("{}Encapsulation = {} ({} - {})\n", kIndent, e->description, e->wtap, e->name);
      } else {
        out += fmt::format("{}Encapsulation = {}\n", kIndent, encapsulation_description(i.link_type));
      }
      out += fmt::format("{}Capture length = {}\n", kIndent, i.snaplen);
      out += fmt::format("{}Time precision = {}\n", kIndent, resolution_text(i));
      out += fmt::format("{}Time ticks per second = {}\n", kIndent, i.ticks_per_second);
      if (i.has_tsresol) out += fmt::format("{}Time resolution = 0x{:02x}\n", kIndent, i.tsresol);
      if (!i.os.empty()) out += fmt::format("{}Operating system = {}\n", kIndent, i.os);
      out += fmt::format("{}Number of stat entries = {}\n", kIndent, i.statistics);
      out += fmt::format("{}Number of packets = {}\n", kIndent,
                         n < s.interface_packets.size() ? s.interface_packets[n] : 0);
    }
  }

  // slimcap's additions, after capinfos' report.
  out += '\n';
  if (!s.filter.empty()) line("Filter:              ", s.filter);
  if (!s.filter.empty() || s.records != s.packets)
    line("Records read:        ", fmt::format("{} ({} matched the filter)", s.records, s.packets));
  line("Truncated records:   ", fmt::format("{} (captured length < length on the wire)", s.truncated));
  line("Out-of-order records: ", fmt::format("{}", s.out_of_order));
  append_traffic_text(out, s.traffic, top);
  return out;
}

std::string summary_json(const FileSummary& s, std::size_t top) {
  OutputBuffer out(4096);
  out.append("{\"type\":\"file\",\"version\":1");
  append_json_key(out, "file");
  append_json_string(out, s.path);
  append_json_key(out, "file_type");
  append_json_string(out, s.format == FileFormat::pcapng ? "pcapng" : "pcap");
  append_json_key(out, "compression");
  append_json_string(out, s.compression == Compression::zstd   ? "zstd"
                          : s.compression == Compression::gzip ? "gzip"
                                                               : "none");
  append_json_key(out, "link_type");
  append_json_string(out, s.per_packet_link_type() ? "per-packet" : link_type_key(s.link_type));
  append_json_key(out, "link_types");
  out.append('{');
  for (std::size_t n = 0; n < s.link_types.size(); ++n) {
    if (n) out.append(',');
    append_json_string(out, link_type_key(s.link_types[n].link_type));
    out.append(':');
    out.append_uint(s.link_types[n].packets);
  }
  out.append('}');
  append_json_key(out, "precision_digits");
  out.append_uint(static_cast<std::uint64_t>(file_digits(s)));
  if (s.header_snaplen > 0 && s.format == FileFormat::pcap) {
    append_json_key(out, "snaplen");
    out.append_uint(s.header_snaplen);
  }
  if (s.file_size >= 0) {
    append_json_key(out, "file_size");
    out.append_uint(static_cast<std::uint64_t>(s.file_size));
  }
  if (!s.filter.empty()) {
    append_json_key(out, "filter");
    append_json_string(out, s.filter);
  }
  append_json_key(out, "records");
  out.append_uint(s.records);
  append_json_key(out, "packets");
  out.append_uint(s.packets);
  append_json_key(out, "data_bytes");
  out.append_uint(s.data_bytes);
  append_json_key(out, "captured_bytes");
  out.append_uint(s.captured_bytes);
  if (s.packets > 0) {
    append_json_key(out, "first_ts");
    out.append(epoch_text(s.first_ns));
    append_json_key(out, "last_ts");
    out.append(epoch_text(s.last_ns));
    append_json_key(out, "duration_ns");
    out.append_int(s.last_ns - s.first_ns);
  }
  append_json_key(out, "data_byte_rate");
  json_number(out, s.data_byte_rate());
  append_json_key(out, "data_bit_rate");
  json_number(out, s.data_byte_rate() * 8);
  append_json_key(out, "average_packet_size");
  json_number(out, s.average_packet_size());
  append_json_key(out, "packet_rate");
  json_number(out, s.packet_rate());
  append_json_key(out, "strict_time_order");
  out.append(s.out_of_order == 0 ? "true" : "false");
  append_json_key(out, "out_of_order");
  out.append_uint(s.out_of_order);
  append_json_key(out, "truncated");
  out.append_uint(s.truncated);
  if (s.inferred_snaplen_max > 0) {
    append_json_key(out, "inferred_snaplen_min");
    out.append_uint(s.inferred_snaplen_min);
    append_json_key(out, "inferred_snaplen_max");
    out.append_uint(s.inferred_snaplen_max);
  }
  for (const auto& [key, value] : {std::pair{"capture_hardware", &s.section.hardware},
                                   std::pair{"capture_os", &s.section.os},
                                   std::pair{"capture_application", &s.section.application}}) {
    if (value->empty()) continue;
    append_json_key(out, key);
    append_json_string(out, *value);
  }
  append_json_key(out, "interfaces");
  out.append('[');
  for (std::size_t n = 0; n < s.interfaces.size(); ++n) {
    const FileInterface& i = s.interfaces[n];
    if (n) out.append(',');
    out.append("{\"link_type\":");
    append_json_string(out, link_type_key(i.link_type));
    append_json_key(out, "snaplen");
    out.append_uint(i.snaplen);
    append_json_key(out, "ticks_per_second");
    out.append_uint(i.ticks_per_second);
    if (!i.name.empty()) {
      append_json_key(out, "name");
      append_json_string(out, i.name);
    }
    append_json_key(out, "statistics_blocks");
    out.append_uint(i.statistics);
    append_json_key(out, "packets");
    out.append_uint(n < s.interface_packets.size() ? s.interface_packets[n] : 0);
    out.append('}');
  }
  out.append(']');
  append_traffic_json(out, s.traffic, top);
  if (s.stopped) {
    append_json_key(out, "stopped");
    out.append("true");
  }
  if (!s.error.empty()) {
    append_json_key(out, "error");
    append_json_string(out, s.error);
  }
  out.append("}\n");
  return std::string(out.view());
}

std::string summary_csv_header() {
  std::string h =
      "file,file_type,compression,link_type,precision_digits,snaplen,file_size,records,packets,"
      "data_bytes,captured_bytes,first_ts,last_ts,duration_ns,data_byte_rate,data_bit_rate,"
      "average_packet_size,packet_rate,strict_time_order,out_of_order,truncated,interfaces";
  for (std::size_t p = 0; p < kProtocolCount; ++p) {
    const char* k = protocol_key(static_cast<Protocol>(p));
    h += fmt::format(",{}_packets,{}_bytes", k, k);
  }
  h += ",error\n";
  return h;
}

std::string summary_csv_row(const FileSummary& s) {
  std::string r = csv_field(s.path);
  r += s.format == FileFormat::pcapng ? ",pcapng" : ",pcap";
  r += s.compression == Compression::zstd ? ",zstd" : s.compression == Compression::gzip ? ",gzip" : ",none";
  r += ',' + csv_field(s.per_packet_link_type() ? "per-packet" : link_type_key(s.link_type));
  r += fmt::format(",{}", file_digits(s));
  r += s.header_snaplen > 0 && s.format == FileFormat::pcap ? fmt::format(",{}", s.header_snaplen) : ",";
  r += s.file_size >= 0 ? fmt::format(",{}", s.file_size) : ",";
  r += fmt::format(",{},{},{},{}", s.records, s.packets, s.data_bytes, s.captured_bytes);
  if (s.packets > 0) {
    r += fmt::format(",{},{},{}", epoch_text(s.first_ns), epoch_text(s.last_ns), s.last_ns - s.first_ns);
  } else {
    r += ",,,";
  }
  r += fmt::format(",{:.2f},{:.2f},{:.2f},{:.2f}", s.data_byte_rate(), s.data_byte_rate() * 8,
                   s.average_packet_size(), s.packet_rate());
  r += fmt::format(",{},{},{},{}", s.out_of_order == 0 ? "true" : "false", s.out_of_order,
                   s.truncated, s.interfaces.size());
  const ProtocolMix& mix = s.traffic.mix();
  for (std::size_t p = 0; p < kProtocolCount; ++p)
    r += fmt::format(",{},{}", mix.layers[p].packets, mix.layers[p].bytes);
  r += ',' + csv_field(s.error);
  r += '\n';
  return r;
}

std::string series_text(const FileSummary& s) {
  std::string out = fmt::format("Series: {} s intervals\n{:>12}  {:<26}  {:>12}  {:>14}  {:>11}  {:>12}\n",
                                interval_seconds(s), "Offset (s)", "Start", "Packets", "Bytes",
                                "Packets/s", "Bits/s");
  const double seconds = interval_seconds(s);
  for (const SeriesRow& r : filled_series(s)) {
    out += fmt::format("{:>12.3f}  {:<26}  {:>12}  {:>14}  {:>11}  {:>12}\n", offset_seconds(s, r),
                       local_time_text(r.start_ns, 6), r.packets, r.bytes,
                       human_units(static_cast<double>(r.packets) / seconds),
                       human_units(static_cast<double>(r.bytes) * 8 / seconds));
  }
  return out;
}

std::string series_json(const FileSummary& s) {
  OutputBuffer out(1 << 16);
  const double seconds = interval_seconds(s);
  for (const SeriesRow& r : filled_series(s)) {
    out.append("{\"type\":\"series\",\"version\":1");
    append_json_key(out, "file");
    append_json_string(out, s.path);
    append_json_key(out, "start_ts");
    out.append(epoch_text(r.start_ns));
    append_json_key(out, "offset");
    out.append(fmt::format("{:.9f}", offset_seconds(s, r)));
    append_json_key(out, "interval");
    out.append(fmt::format("{}", seconds));
    append_json_key(out, "packets");
    out.append_uint(r.packets);
    append_json_key(out, "bytes");
    out.append_uint(r.bytes);
    append_json_key(out, "packets_per_second");
    json_number(out, static_cast<double>(r.packets) / seconds);
    append_json_key(out, "bits_per_second");
    json_number(out, static_cast<double>(r.bytes) * 8 / seconds);
    out.append("}\n");
  }
  return std::string(out.view());
}

std::string series_csv_header() {
  return "file,start_ts,offset,interval,packets,bytes,packets_per_second,bits_per_second\n";
}

std::string series_csv(const FileSummary& s) {
  std::string out;
  const double seconds = interval_seconds(s);
  const std::string file = csv_field(s.path);
  for (const SeriesRow& r : filled_series(s)) {
    out += fmt::format("{},{},{:.9f},{},{},{},{:.2f},{:.2f}\n", file, epoch_text(r.start_ns),
                       offset_seconds(s, r), seconds, r.packets, r.bytes,
                       static_cast<double>(r.packets) / seconds,
                       static_cast<double>(r.bytes) * 8 / seconds);
  }
  return out;
}

std::string series_svg(const FileSummary& s) {
  const std::vector<SeriesRow> rows = filled_series(s);
  const double seconds = interval_seconds(s);
  constexpr int kWidth = 960, kLeft = 90, kRight = 30, kTop = 50, kPanel = 220, kGap = 70;
  constexpr int kPlotWidth = kWidth - kLeft - kRight;
  constexpr int kHeight = kTop + 2 * kPanel + kGap + 60;
  double span = rows.empty() ? seconds : offset_seconds(s, rows.back()) + seconds;
  if (span <= 0) span = seconds;
  double max_pps = 0, max_bps = 0;
  for (const SeriesRow& r : rows) {
    max_pps = std::max(max_pps, static_cast<double>(r.packets) / seconds);
    max_bps = std::max(max_bps, static_cast<double>(r.bytes) * 8 / seconds);
  }
  std::string out;
  auto add = [&out](const std::string& text) { out += text; };
  add(fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "font-family=\"sans-serif\" font-size=\"12\">\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      "<text x=\"{2}\" y=\"24\" font-size=\"15\" font-weight=\"bold\">I/O graph: {3} ({4} s intervals)</text>\n",
      kWidth, kHeight, kLeft, xml_escape(s.path), seconds));
  const double x_step = nice_step(span, 8);
  auto panel = [&](int top, double max, const char* unit, const char* colour, auto value) {
    const double y_step = nice_step(max, 5);
    const double y_max = max > 0 ? std::ceil(max / y_step) * y_step : 1;
    auto x_of = [&](double t) { return kLeft + t / span * kPlotWidth; };
    auto y_of = [&](double v) { return top + kPanel - v / y_max * kPanel; };
    add(fmt::format("<g>\n<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#888\"/>\n",
                    kLeft, top, kPlotWidth, kPanel));
    for (int k = 0; k * y_step <= y_max * 1.0001; ++k) {
      const double v = k * y_step;
      add(fmt::format("<line x1=\"{0}\" x2=\"{1}\" y1=\"{2:.1f}\" y2=\"{2:.1f}\" stroke=\"#ddd\"/>"
                      "<text x=\"{3}\" y=\"{4:.1f}\" text-anchor=\"end\">{5}</text>\n",
                      kLeft, kLeft + kPlotWidth, y_of(v), kLeft - 6, y_of(v) + 4,
                      xml_escape(human_units(v))));
    }
    // Ticks as multiples of the step, not sums of it: 0.06, never 0.060000000000000005.
    for (int k = 0; k * x_step <= span * 1.0001; ++k) {
      const double t = k * x_step;
      add(fmt::format("<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#888\"/>"
                      "<text x=\"{0:.1f}\" y=\"{3}\" text-anchor=\"middle\">{4:g}</text>\n",
                      x_of(t), top + kPanel, top + kPanel + 5, top + kPanel + 18, t));
    }
    add(fmt::format("<text transform=\"translate(20 {}) rotate(-90)\" text-anchor=\"middle\">{}</text>\n",
                    top + kPanel / 2, unit));
    add(fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">time since the first interval (s)</text>\n",
                    kLeft + kPlotWidth / 2, top + kPanel + 34));
    // A step line: each interval's rate is flat across the interval.
    std::string points;
    for (const SeriesRow& r : rows) {
      const double t = offset_seconds(s, r);
      const double y = y_of(value(r));
      points += fmt::format("{:.1f},{:.1f} {:.1f},{:.1f} ", x_of(t), y, x_of(t + seconds), y);
    }
    if (!points.empty()) points.pop_back();
    add(fmt::format("<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"1.5\" points=\"{}\"/>\n</g>\n",
                    colour, points));
  };
  panel(kTop, max_pps, "packets/s", "#1f77b4",
        [&](const SeriesRow& r) { return static_cast<double>(r.packets) / seconds; });
  panel(kTop + kPanel + kGap, max_bps, "bits/s", "#d62728",
        [&](const SeriesRow& r) { return static_cast<double>(r.bytes) * 8 / seconds; });
  add("</svg>\n");
  return out;
}

}  // namespace slimcap

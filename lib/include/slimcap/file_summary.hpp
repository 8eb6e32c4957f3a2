#pragma once
// One-pass summaries of capture files (`slimcap stats FILE`): capinfos' fields with its
// values, the protocol mix and top talkers (traffic.hpp), truncated and out-of-order records,
// and optional per-interval rows. Memory does not grow with the packets or the flows: the
// reader streams, the talker tables are fixed, and the series holds one row per interval
// that has packets. The formats (capinfos' long text, JSON, CSV, the SVG I/O graph) are in the
// second half of this header; docs/stats.md describes every key.

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "slimcap/pcap_reader.hpp"
#include "slimcap/traffic.hpp"

namespace slimcap {

class Filter;

struct SummaryOptions {
  Filter* filter = nullptr;             // only matching packets count (nullptr: all)
  std::uint32_t talker_capacity = 4096; // per top-k table; 0: no talkers
  std::int64_t series_ns = 0;           // interval of the series rows; 0: no series
  const std::atomic<bool>* stop = nullptr;  // Ctrl-C: ends the pass as at the end of the file
  // Called once the file header is read, before any packet (the CLI checks its filter
  // against the file's link type there, as `read` does); may throw.
  std::function<void(const PcapReader&)> on_open;
};

// One interval of the series: packets and bytes (on the wire) with a time in
// [start_ns, start_ns + interval).
struct SeriesRow {
  std::int64_t start_ns = 0;
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;
};

struct LinkTypeCount {
  std::uint32_t link_type = 0;
  std::uint64_t packets = 0;
};

struct FileSummary {
  std::string path;
  std::string filter;               // the expression packets were counted through ("": all)
  FileFormat format = FileFormat::pcap;
  Compression compression = Compression::none;
  TimePrecision precision = TimePrecision::micro;  // the file's (pcapng: interface 0)
  std::uint32_t link_type = 0;                     // the file's (pcapng: interface 0)
  std::uint32_t header_snaplen = 0;                // pcap header field; 0: not set / pcapng
  std::int64_t file_size = -1;                     // bytes on disk; -1: not a regular file
  SectionInfo section;
  std::vector<FileInterface> interfaces;
  std::vector<std::uint64_t> interface_packets;    // per interface (counted packets)
  std::vector<LinkTypeCount> link_types;           // per link type seen, ascending

  std::uint64_t records = 0;        // packet records read (before the filter)
  std::uint64_t packets = 0;        // counted (matching the filter)
  std::uint64_t data_bytes = 0;     // sum of wire lengths (capinfos' "Data size")
  std::uint64_t captured_bytes = 0; // sum of captured lengths
  std::uint64_t truncated = 0;      // records with caplen < wire length
  std::uint32_t inferred_snaplen_min = 0;  // smallest/largest caplen of those (0: none)
  std::uint32_t inferred_snaplen_max = 0;
  std::uint64_t out_of_order = 0;   // records older than the one before them
  std::int64_t first_ns = 0;        // earliest and latest times (not the first and last records)
  std::int64_t last_ns = 0;
  int first_digits = 6;             // fraction digits of those records' time resolution
  int last_digits = 6;
  bool stopped = false;             // a stop request ended the pass early
  std::string error;                // the damage that ended the pass ("" when it reached the end)

  TrafficStats traffic;
  std::int64_t series_ns = 0;
  std::vector<SeriesRow> series;    // ascending start_ns; intervals without packets omitted

  double duration_seconds() const noexcept;  // as capinfos computes it (0 without packets)
  double data_byte_rate() const noexcept;    // bytes per second; 0 when the duration is 0
  double packet_rate() const noexcept;
  double average_packet_size() const noexcept;
  bool per_packet_link_type() const noexcept { return link_types.size() > 1; }
};

// Reads `path` once ("-": standard input). Throws Error when it cannot be opened or is not a
// capture file; damage after the header ends the pass and lands in `error`, after every
// complete packet was counted. A filter that cannot compile for a packet's link type throws
// FilterError.
FileSummary summarize_file(const std::string& path, const SummaryOptions& options);

// ---- Output formats ------------------------------------------------------------------------

// capinfos' long report (same labels and values, hashes left out), then the protocol mix,
// truncated and out-of-order records and, with top > 0, the top endpoints and conversations.
std::string summary_text(const FileSummary& s, std::size_t top);
// One JSON object and a newline: "type":"file", "version":1, raw integers (docs/stats.md).
std::string summary_json(const FileSummary& s, std::size_t top);
// CSV: the header line and one row per file; the columns never depend on the file.
std::string summary_csv_header();
std::string summary_csv_row(const FileSummary& s);

// The series: a text table, JSON lines ("type":"series") and a CSV section.
std::string series_text(const FileSummary& s);
std::string series_json(const FileSummary& s);
std::string series_csv_header();
std::string series_csv(const FileSummary& s);
// A self-contained SVG I/O graph: packets/s and bits/s against time, two panels.
std::string series_svg(const FileSummary& s);

// capinfos' number style (wsutil format_size): "1058", "438 kB", "25 Mbps".
enum class SizeUnit { none, bytes, bytes_per_second, bits_per_second, packets_per_second };
std::string capinfos_size(std::int64_t value, SizeUnit unit);

}  // namespace slimcap

// The protocol mix and the top talkers as text and JSON: one form for file summaries
// (file_summary_output.cpp) and for live rows (`stats --capture`).

#include <algorithm>
#include <iterator>

#include <fmt/format.h>

#include "slimcap/stats_format.hpp"
#include "slimcap/traffic.hpp"

namespace slimcap {
namespace {

std::string address_column(const Talker& t, bool pair) {
  return pair ? t.a.text() + " <-> " + t.b.text() : t.a.text();
}

void talkers_text(std::string& out, const char* title, const std::vector<Talker>& talkers,
                  bool pair, bool exact) {
  if (talkers.empty()) return;
  std::size_t width = 0;
  for (const Talker& t : talkers) width = std::max(width, address_column(t, pair).size());
  width = std::max<std::size_t>(width, 24);
  fmt::format_to(std::back_inserter(out), "{}{}\n  {:<{}}  {:>12}  {:>14}{}\n", title,
                 exact ? "" : " (approximate: counts are upper bounds)", pair ? "Addresses" : "Address",
                 width, "Packets", "Bytes", exact ? "" : "  Over by <=");
  for (const Talker& t : talkers) {
    fmt::format_to(std::back_inserter(out), "  {:<{}}  {:>12}  {:>14}", address_column(t, pair),
                   width, t.packets, t.bytes);
    if (!exact) fmt::format_to(std::back_inserter(out), "  {:>11}", t.error);
    out += '\n';
  }
}

void json_count(OutputBuffer& out, const PacketCount& c) {
  out.append("{\"packets\":");
  out.append_uint(c.packets);
  out.append(",\"bytes\":");
  out.append_uint(c.bytes);
  out.append('}');
}

double share(const ProtocolMix& mix, const PacketCount& c) {
  return mix.total.packets ? 100.0 * static_cast<double>(c.packets) /
                                 static_cast<double>(mix.total.packets)
                           : 0.0;
}

}  // namespace

void append_traffic_text(std::string& out, const TrafficStats& traffic, std::size_t top,
                         bool with_mix) {
  const ProtocolMix& mix = traffic.mix();
  if (with_mix) {
    out += fmt::format("Protocol mix:        {:>12}  {:>14}  {:>7}\n", "Packets", "Bytes", "Share");
    auto line = [&](std::string_view name, const PacketCount& c) {
      out += fmt::format("  {:<18}{:>12}  {:>14}  {:>6.2f}%\n", name, c.packets, c.bytes,
                         share(mix, c));
    };
    for (std::size_t p = 0; p < kProtocolCount; ++p)
      line(protocol_key(static_cast<Protocol>(p)), mix.layers[p]);
    line("total", mix.total);
  }
  if (top > 0) {
    const bool exact = traffic.talkers_exact();
    if (with_mix) out += '\n';
    talkers_text(out, "Top endpoints:", traffic.top_endpoints(top), false, exact);
    talkers_text(out, "Top conversations:", traffic.top_conversations(top), true, exact);
  }
}

void append_traffic_json(OutputBuffer& out, const TrafficStats& traffic, std::size_t top) {
  const ProtocolMix& mix = traffic.mix();
  append_json_key(out, "protocols");
  out.append("{\"total\":");
  json_count(out, mix.total);
  for (std::size_t p = 0; p < kProtocolCount; ++p) {
    append_json_key(out, protocol_key(static_cast<Protocol>(p)));
    json_count(out, mix.layers[p]);
  }
  out.append('}');
  if (top == 0) return;
  append_json_key(out, "talkers_exact");
  out.append(traffic.talkers_exact() ? "true" : "false");
  for (const bool pairs : {false, true}) {
    append_json_key(out, pairs ? "top_conversations" : "top_endpoints");
    out.append('[');
    const auto talkers = pairs ? traffic.top_conversations(top) : traffic.top_endpoints(top);
    for (std::size_t n = 0; n < talkers.size(); ++n) {
      const Talker& t = talkers[n];
      if (n) out.append(',');
      out.append(pairs ? "{\"a\":" : "{\"address\":");
      append_json_string(out, t.a.text());
      if (pairs) {
        append_json_key(out, "b");
        append_json_string(out, t.b.text());
      }
      append_json_key(out, "packets");
      out.append_uint(t.packets);
      append_json_key(out, "bytes");
      out.append_uint(t.bytes);
      append_json_key(out, "error");
      out.append_uint(t.error);
      out.append('}');
    }
    out.append(']');
  }
}

std::string mix_prometheus(std::string_view label, const std::vector<LabelledMix>& mixes) {
  std::string out;
  for (const bool bytes : {false, true}) {
    const char* what = bytes ? "bytes" : "packets";
    out += fmt::format(
        "# HELP slimcap_capture_protocol_{0}_total Captured {0} per protocol layer (a packet "
        "counts in every layer it has)\n# TYPE slimcap_capture_protocol_{0}_total counter\n",
        what);
    for (const LabelledMix& m : mixes) {
      for (std::size_t p = 0; p < kProtocolCount; ++p) {
        const PacketCount& c = m.mix->layers[p];
        out += fmt::format("slimcap_capture_protocol_{}_total{{{}=\"{}\",protocol=\"{}\"}} {}\n",
                           what, label, prometheus_label_value(m.source),
                           protocol_key(static_cast<Protocol>(p)), bytes ? c.bytes : c.packets);
      }
    }
  }
  return out;
}

std::string mix_line(const ProtocolMix& mix) {
  std::string out;
  for (std::size_t p = 0; p < kProtocolCount; ++p) {
    const PacketCount& c = mix.layers[p];
    if (c.packets == 0) continue;
    const double pct = share(mix, c);
    if (!out.empty()) out += ' ';
    out += protocol_key(static_cast<Protocol>(p));
    out += pct >= 99.95 ? std::string(" 100%") : fmt::format(" {:.1f}%", pct);
  }
  return out.empty() ? std::string("no packets") : out;
}

}  // namespace slimcap

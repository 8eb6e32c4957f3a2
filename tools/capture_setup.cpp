#include "capture_setup.hpp"

#include <net/if.h>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <vector>

#include "command_support.hpp"
#include "signals.hpp"
#include "slimcap/error.hpp"
#include "slimcap/link_type.hpp"

namespace slimcap::cli {

std::string interface_name(std::uint32_t index) {
  char name[IF_NAMESIZE] = {};
  return ::if_indextoname(index, name) ? name : "";
}

std::string resolve_interface(const std::string& given) {
  if (!given.empty() &&
      (given == kAnyInterface || ::if_nametoindex(given.c_str()) != 0))
    return given;
  long number = 0;
  const char* end = given.data() + given.size();
  const auto [rest, error] = std::from_chars(given.data(), end, number);
  const bool numeric = !given.empty() && error == std::errc{} && rest == end;
  if (!given.empty() && !numeric) return given;  // the capture says "no such interface"
  if (numeric && number <= 0) throw Error(fmt::format("Invalid adapter index {}", given));
  const std::vector<InterfaceInfo> list = list_interfaces();
  if (given.empty()) return list.front().name;  // "any" is always listed
  if (static_cast<unsigned long>(number) > list.size())
    throw Error(fmt::format("Invalid adapter index {}: only {} interfaces found", number,
                            list.size()));
  return list[static_cast<std::size_t>(number - 1)].name;
}

std::uint32_t requested_link_type(const LiveFlags& flags) {
  if (flags.link_type.empty()) return 0;
  const std::int64_t value = link_type_from_name(flags.link_type);
  if (value < 0) throw UsageError(fmt::format("invalid data link type {}", flags.link_type));
  return static_cast<std::uint32_t>(value);
}

std::uint32_t chosen_link_type(const std::string& interface, std::uint32_t requested) {
  if (requested == 0) return default_link_type(interface);
  const std::vector<std::uint32_t> offered = interface_link_types(interface);
  if (std::find(offered.begin(), offered.end(), requested) == offered.end())
    throw Error(fmt::format("{} is not one of the DLTs supported by this device",
                            link_type_name(requested)));
  return requested;
}

TimestampSource chosen_timestamp_source(const LiveFlags& flags, const std::string& interface) {
  if (flags.timestamp_type.empty()) return TimestampSource::host;
  const int type = timestamp_type_from_name(flags.timestamp_type);
  if (type < 0) throw UsageError(fmt::format("invalid time stamp type {}", flags.timestamp_type));
  for (const TimestampSource source : interface_timestamp_sources(interface))
    if (static_cast<int>(source) == type) return source;
  fmt::print(stderr,
             "slimcap: WARNING: When trying to set timestamp type '{}' on {}: That type of time "
             "stamp is not supported by that device\n",
             timestamp_type_name(type), interface);
  return TimestampSource::host;
}

RotationOptions rotation_options(const LiveFlags& flags) {
  RotationOptions r;
  if (!flags.rotate_size.empty()) r.max_bytes = parse_rotate_size(flags.rotate_size);
  r.seconds = flags.rotate_seconds;
  r.max_files = flags.rotate_files;
  r.post_rotate_command = flags.post_rotate_command;
  if (r.max_files > 0 && !r.enabled()) throw UsageError("-W needs -C or -G");
  if (!r.post_rotate_command.empty() && !r.enabled()) throw UsageError("-z needs -C or -G");
  if (r.enabled() && flags.write_file.empty()) throw UsageError("-C and -G need -w FILE");
  if (r.enabled() && flags.write_file == "-")
    throw UsageError("-C and -G rotate files; they cannot rotate standard output (-w -)");
  return r;
}

CaptureOptions live_capture_options(const LiveFlags& flags, const std::string& interface) {
  CaptureOptions options = capture_options(flags.ring, interface);
  // --immediate-mode: a TPACKET_V2 frame ring, each packet handed over as it arrives; socket
  // mode hands packets over that way already.
  options.immediate = flags.immediate;
  options.link_type = chosen_link_type(interface, requested_link_type(flags));
  if (!flags.link_type.empty())
    fmt::print(stderr, "slimcap: data link type {}\n", link_type_name(options.link_type));
  options.timestamp = chosen_timestamp_source(flags, interface);
  options.sample = flags.sample;
  return options;
}

WriterOptions live_writer_options(const LiveFlags& flags, const std::string& path,
                                  std::uint32_t link_type) {
  WriterOptions w;
  w.link_type = link_type;
  w.snaplen = flags.ring.snaplen;
  w.precision = flags.print_flags.nano ? TimePrecision::nano : TimePrecision::micro;
  set_output_kind(w, path, flags.compress_level);
  w.interface_name = interface_name;
  w.stop = &g_stop_requested;
  return w;
}

void note_smaller_ring(const CaptureSocket& capture, const CaptureOptions& options) {
  const std::size_t asked = options.ring.block_size * options.ring.block_count;
  if (capture.buffer_size() < asked)
    fmt::print(stderr, "slimcap: {}: the kernel refused a {} KiB ring; using {} KiB\n",
               options.interface, asked / 1024, capture.buffer_size() / 1024);
}

std::string counter_text(std::uint64_t captured, const CaptureCounters& c, bool one_line) {
  const auto plural = [](std::uint64_t n) { return n == 1 ? "" : "s"; };
  if (one_line)
    return fmt::format(
        "slimcap: {} packet{} captured, {} packet{} received by filter, {} packet{} dropped "
        "by kernel\n",
        captured, plural(captured), c.received, plural(c.received), c.dropped,
        plural(c.dropped));
  std::string text = fmt::format(
      "{} packet{} captured\n{} packet{} received by filter\n{} packet{} dropped by kernel\n",
      captured, plural(captured), c.received, plural(c.received), c.dropped, plural(c.dropped));
  if (c.freezes != 0) text += fmt::format("{} ring freeze{}\n", c.freezes, plural(c.freezes));
  return text;
}

std::string sampled_out_text(std::uint64_t received, std::uint32_t sample) {
  if (sample <= 1) return {};
  // The kernel counts only what passed the random test: of the packets the filter would have
  // taken, about N - 1 were sampled out for each one received.
  return fmt::format("about {} packets sampled out (1 in {} kept; an estimate)\n",
                     received * (sample - 1), sample);
}

void run_capture_loop(CaptureSocket& capture, PacketSink& sink, const LoopLimits& limits,
                      LoopCounts& counts) {
  using Clock = std::chrono::steady_clock;
  const bool timed = limits.deadline != Clock::time_point::max();
  std::uint64_t packets = counts.packets.load(std::memory_order_relaxed);
  std::uint64_t bytes = counts.bytes.load(std::memory_order_relaxed);
  PacketView packet;
  while (!stop_requested() && !(limits.stop && limits.stop->load(std::memory_order_relaxed)) &&
         !(limits.budget && limits.budget->exhausted())) {
    auto wait = std::chrono::milliseconds(sink.pending() ? 0 : 250);
    if (timed) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(limits.deadline - Clock::now());
      if (left.count() <= 0) break;
      if (left < wait) wait = left;
    }
    if (!capture.next(packet, wait)) {
      sink.caught_up();
      continue;
    }
    if (limits.budget && !limits.budget->take()) break;
    counts.packets.store(++packets, std::memory_order_relaxed);
    counts.bytes.store(bytes += packet.wire_length, std::memory_order_relaxed);
    sink.packet(packet);
  }
}

}  // namespace slimcap::cli

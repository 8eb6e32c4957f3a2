// `slimcap live`: packets from an interface's TPACKET_V3 ring out as text, JSON or a file,
// with tcpdump's banner and closing counters.

#include <net/if.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "command_support.hpp"
#include "commands.hpp"
#include "output.hpp"
#include "print_setup.hpp"
#include "signals.hpp"
#include "slimcap/capture.hpp"
#include "slimcap/filter.hpp"
#include "slimcap/json.hpp"
#include "slimcap/link_type.hpp"
#include "slimcap/pcap_writer.hpp"
#include "slimcap/print.hpp"
#include "slimcap/rotation.hpp"
#include "slimcap/timestamp.hpp"

namespace slimcap::cli {
namespace {

// The name of interface `index`, for the IDBs of a pcapng file (asked once per interface; on
// `-i any` every interface the packets came from gets its own IDB).
std::string interface_name(std::uint32_t index) {
  char name[IF_NAMESIZE] = {};
  return ::if_indextoname(index, name) ? name : "";
}

// -D as tcpdump prints a device: "1.eth0 [Up, Running, Connected]", the description in
// parentheses when there is one, the flags in brackets unless libpcap's flags word is 0.
std::string interface_line(std::size_t number, const InterfaceInfo& i) {
  std::string line = fmt::format("{}.{}", number, i.name);
  if (!i.description.empty()) line += fmt::format(" ({})", i.description);
  std::vector<std::string_view> flags;
  if (i.up) flags.push_back("Up");
  if (i.running) flags.push_back("Running");
  if (i.loopback) flags.push_back("Loopback");
  if (i.wireless) flags.push_back("Wireless");
  std::string_view status;
  switch (i.link) {
    case LinkStatus::unknown:
      status = i.wireless ? ", Association status unknown" : ", Connection status unknown";
      break;
    case LinkStatus::connected: status = i.wireless ? ", Associated" : ", Connected"; break;
    case LinkStatus::disconnected:
      status = i.wireless ? ", Not associated" : ", Disconnected";
      break;
    case LinkStatus::not_applicable: break;
  }
  if (!flags.empty() || i.link != LinkStatus::unknown)
    line += fmt::format(" [{}{}]", flags.empty() ? "none" : fmt::format("{}", fmt::join(flags, ", ")),
                        status);
  return line;
}

int list_interfaces_and_exit() {
  std::string text;
  std::size_t n = 0;
  for (const InterfaceInfo& i : list_interfaces()) text += interface_line(++n, i) + '\n';
  write_all(STDOUT_FILENO, text.data(), text.size());
  return kExitOk;
}

// -i as tcpdump reads it: an interface name, else the number -D prints for one; no -i: the
// first interface -D lists ("any" when no other interface is up and running but loopback).
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

// -y TYPE as a LINKTYPE_* value; 0 without -y. Checked against the interface by the capture.
std::uint32_t requested_link_type(const LiveFlags& flags) {
  if (flags.link_type.empty()) return 0;
  const std::int64_t value = link_type_from_name(flags.link_type);
  if (value < 0) throw UsageError(fmt::format("invalid data link type {}", flags.link_type));
  return static_cast<std::uint32_t>(value);
}

// The link type a capture on `interface` uses: -y's after checking it is offered (tcpdump's
// refusal text otherwise), else the interface's default.
std::uint32_t chosen_link_type(const std::string& interface, std::uint32_t requested) {
  if (requested == 0) return default_link_type(interface);
  const std::vector<std::uint32_t> offered = interface_link_types(interface);
  if (std::find(offered.begin(), offered.end(), requested) == offered.end())
    throw Error(fmt::format("{} is not one of the DLTs supported by this device",
                            link_type_name(requested)));
  return requested;
}

// The link types slimcap's printer decodes; tcpdump's -L marks the others.
bool printable(std::uint32_t link_type) {
  return link_type == link_type::kEthernet || link_type == link_type::kRaw ||
         link_type == link_type::kLinuxSll || link_type == link_type::kLinuxSll2;
}

int list_link_types_and_exit(const std::string& interface) {
  std::string text =
      fmt::format("Data link types for {} (use option -y to set):\n", interface);
  for (const std::uint32_t type : interface_link_types(interface))
    text += fmt::format("  {} ({}){}\n", link_type_name(type), link_type_description(type),
                        printable(type) ? "" : " (printing not supported)");
  write_all(STDOUT_FILENO, text.data(), text.size());
  return kExitOk;
}

int list_timestamp_types_and_exit(const std::string& interface) {
  std::string text =
      fmt::format("Time stamp types for {} (use option -j to set):\n", interface);
  for (const TimestampSource source : interface_timestamp_sources(interface)) {
    const int type = static_cast<int>(source);
    text += fmt::format("  {} ({})\n", timestamp_type_name(type), timestamp_type_description(type));
  }
  write_all(STDOUT_FILENO, text.data(), text.size());
  return kExitOk;
}

// -j TYPE: a type the interface does not offer is a warning, as in tcpdump, and the capture
// goes on with host time stamps.
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

// -d: the program for the interface's link type (-y's if given); with neither -i nor -y,
// Ethernet, with tcpdump's warning.
int dump_filter_and_exit(const LiveFlags& flags, const std::string& expression) {
  std::uint32_t link = requested_link_type(flags);
  if (!flags.interface.empty()) {
    link = chosen_link_type(resolve_interface(flags.interface), link);
    // As tcpdump, which reports -y once it has opened the interface.
    if (!flags.link_type.empty())
      fmt::print(stderr, "slimcap: data link type {}\n", link_type_name(link));
  } else if (link == 0) {
    fmt::print(stderr, "Warning: assuming Ethernet\n");
    link = link_type::kEthernet;
  }
  Filter filter(expression, flags.ring.snaplen);
  const std::string text = filter.dump(link, flags.dump_filter);
  write_all(STDOUT_FILENO, text.data(), text.size());
  return kExitOk;
}

// The closing counters, one per line, or (SIGUSR1) tcpdump's one-line report.
void print_counters(CaptureSocket& capture, std::uint64_t captured, bool one_line = false) {
  const CaptureCounters c = capture.counters();
  const auto plural = [](std::uint64_t n) { return n == 1 ? "" : "s"; };
  if (one_line) {
    fmt::print(stderr,
               "slimcap: {} packet{} captured, {} packet{} received by filter, {} packet{} "
               "dropped by kernel\n",
               captured, plural(captured), c.received, plural(c.received), c.dropped,
               plural(c.dropped));
    return;
  }
  fmt::print(stderr,
             "{} packet{} captured\n{} packet{} received by filter\n{} packet{} dropped by "
             "kernel\n",
             captured, plural(captured), c.received, plural(c.received), c.dropped,
             plural(c.dropped));
  if (c.freezes != 0) fmt::print(stderr, "{} ring freeze{}\n", c.freezes, plural(c.freezes));
}

// Closes the -w file (its last batch may still fail: ENOSPC) and prints the counters either way.
void finish_file(RotatingWriter* writer, CaptureSocket& capture, std::uint64_t captured) {
  try {
    if (writer) writer->close();
  } catch (const Error&) {
    print_counters(capture, captured);
    throw;
  }
  print_counters(capture, captured);
}

// -C, -G and -W; the combinations are documented in rotation.hpp and the man page.
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

}  // namespace

int run_live(const LiveFlags& flags) {
  if (flags.list_interfaces) return list_interfaces_and_exit();
  const std::string expression = filter_expression(flags.positionals, 0, flags.filter_file);
  if (flags.dump_filter > 0) return dump_filter_and_exit(flags, expression);
  const std::string interface = resolve_interface(flags.interface);
  if (flags.list_link_types) return list_link_types_and_exit(interface);
  if (flags.list_timestamp_types) return list_timestamp_types_and_exit(interface);
  const bool writing = !flags.write_file.empty();
  const PrintFlags& pf = flags.print_flags;
  const bool printing = !writing || flags.print;
  if (writing && flags.write_file == "-" && printing)
    throw UsageError("-w - writes the capture to standard output; it cannot also carry text "
                     "(--print)");
  const RotationOptions rotation = rotation_options(flags);

  Filter filter(expression, flags.ring.snaplen);
  CaptureOptions options = capture_options(flags.ring, interface);
  // --immediate-mode: a TPACKET_V2 frame ring, each packet handed over as it arrives; socket
  // mode hands packets over that way already.
  options.immediate = flags.immediate;
  options.link_type = chosen_link_type(interface, requested_link_type(flags));
  if (!flags.link_type.empty())
    fmt::print(stderr, "slimcap: data link type {}\n", link_type_name(options.link_type));
  options.timestamp = chosen_timestamp_source(flags, interface);
  std::unique_ptr<CaptureSocket> capture = open_capture(options, filter);

  const std::size_t asked = options.ring.block_size * options.ring.block_count;
  if (capture->buffer_size() < asked)
    fmt::print(stderr, "slimcap: {}: the kernel refused a {} KiB ring; using {} KiB\n", interface,
               asked / 1024, capture->buffer_size() / 1024);
  // The socket is open: from here on nothing needs root (-Z), and files belong to USER.
  if (!flags.user.empty()) drop_privileges(flags.user);

  std::unique_ptr<RotatingWriter> writer;
  if (writing) {
    WriterOptions w;
    w.link_type = capture->link_type();
    w.snaplen = flags.ring.snaplen;
    w.precision = pf.nano ? TimePrecision::nano : TimePrecision::micro;
    set_output_kind(w, flags.write_file, flags.compress_level);
    w.interface_name = interface_name;
    w.stop = &g_stop_requested;
    writer = std::make_unique<RotatingWriter>(flags.write_file, w, rotation, realtime_ns());
  }
  install_report_handler();
  fmt::print(stderr, "listening on {}, link-type {}, snapshot length {} bytes\n", interface,
             link_type_text(capture->link_type()), flags.ring.snaplen);

  TextOutput text(STDOUT_FILENO, pf.line_buffered);
  std::optional<Printer> printer;
  if (printing && !pf.json) printer.emplace(print_options(pf));

  const std::uint64_t limit =
      flags.max_packets < 0 ? UINT64_MAX : static_cast<std::uint64_t>(flags.max_packets);
  using Clock = std::chrono::steady_clock;
  const auto deadline = flags.duration > 0
                            ? Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                 std::chrono::duration<double>(flags.duration))
                            : Clock::time_point::max();
  std::uint64_t captured = 0;
  PacketView packet;
  // -U: the file gets the packets as soon as the capture has caught up with the ring (no
  // packet ready), not after each packet: a flush is a round trip to the writer thread
  // (about 20 µs), and the kernel hands packets over a block at a time anyway.
  bool unflushed = false;
  const std::int64_t idle_grace_ns = (2 * std::int64_t{flags.ring.block_timeout_ms} + 500) * 1'000'000;
  try {
    while (captured < limit && !stop_requested()) {
      auto wait = std::chrono::milliseconds(unflushed ? 0 : 250);
      if (deadline != Clock::time_point::max()) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) break;
        if (left < wait) wait = left;
      }
      if (!capture->next(packet, wait)) {
        // Caught up, or idle: send out what is pending, so a quiet link still shows its last
        // packets.
        text.flush();
        if (unflushed) writer->flush();
        unflushed = false;
        // A -G file is closed once its period is over, with a grace for packets still in a
        // block the kernel has not handed over (up to --block-timeout).
        if (writer) writer->idle(realtime_ns() - idle_grace_ns);
        if (g_report_requested.exchange(false)) print_counters(*capture, captured, true);
        continue;
      }
      ++captured;
      if (writer) {
        writer->write(packet);
        unflushed = pf.packet_buffered;
      }
      if (printing) {
        if (printer)
          printer->print(packet, text.buffer());
        else
          append_json(text.buffer(), packet);
        text.packet_done();
      }
      if (g_report_requested.exchange(false)) {
        text.flush();
        print_counters(*capture, captured, true);
      }
    }
  } catch (const Error&) {
    // The error at hand is the one reported; output and file are finished as well as they can.
    try {
      text.flush();
    } catch (...) {
    }
    try {
      if (writer) writer->close();
    } catch (...) {
    }
    print_counters(*capture, captured);
    throw;
  } catch (const OutputClosed&) {
    // `--print | head`: the text reader went away; the file still gets closed and checked.
    finish_file(writer.get(), *capture, captured);
    throw;
  }
  text.flush();
  finish_file(writer.get(), *capture, captured);
  return kExitOk;
}

}  // namespace slimcap::cli

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

#include "capture_setup.hpp"
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

// Closes the -w file (its last batch may still fail: ENOSPC) and prints the counters either way.
template <typename Report>
void finish_file(RotatingWriter* writer, const Report& print_counters) {
  try {
    if (writer) writer->close();
  } catch (const Error&) {
    print_counters();
    throw;
  }
  print_counters();
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
  CaptureOptions options = live_capture_options(flags, interface);
  FanoutSpec fanout;
  if (flags.fanout_group >= 0) {
    fanout.group = static_cast<std::uint16_t>(flags.fanout_group);
    options.held = true;  // joins the group before any packet is taken
  }
  std::unique_ptr<CaptureSocket> capture = open_capture(options, filter);
  if (fanout.group) capture->join_fanout(fanout, 0, false);
  capture->start();
  note_smaller_ring(*capture, options);
  // The socket is open: from here on nothing needs root (-Z), and files belong to USER.
  if (!flags.user.empty()) drop_privileges(flags.user);

  std::unique_ptr<RotatingWriter> writer;
  if (writing)
    writer = std::make_unique<RotatingWriter>(
        flags.write_file, live_writer_options(flags, flags.write_file, capture->link_type()),
        rotation, realtime_ns());
  install_report_handler();
  fmt::print(stderr, "listening on {}, link-type {}, snapshot length {} bytes\n", interface,
             link_type_text(capture->link_type()), flags.ring.snaplen);
  if (fanout.group) fmt::print(stderr, "slimcap: in fanout group {} (hash)\n", *fanout.group);
  if (flags.sample > 1)
    fmt::print(stderr, "slimcap: keeping about 1 in {} packets, chosen at random in the kernel\n",
               flags.sample);

  TextOutput text(STDOUT_FILENO, pf.line_buffered);
  OutputSink sink(writer.get(), printing, pf, &text,
                  (2 * std::int64_t{flags.ring.block_timeout_ms} + 500) * 1'000'000);
  sink.report_to(capture.get());
  std::optional<PacketBudget> budget;
  if (flags.max_packets >= 0) budget.emplace(static_cast<std::uint64_t>(flags.max_packets));
  LoopLimits limits;
  limits.budget = budget ? &*budget : nullptr;
  if (flags.duration > 0)
    limits.deadline = std::chrono::steady_clock::now() +
                      std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                          std::chrono::duration<double>(flags.duration));
  const auto print_counters = [&] {
    const std::uint64_t captured = sink.counts.packets.load(std::memory_order_relaxed);
    const std::string report = counter_text(captured, capture->counters(), false) +
                               sampled_out_text(capture->counters().received, flags.sample);
    write_all(STDERR_FILENO, report.data(), report.size());
  };
  try {
    run_capture_loop(*capture, sink, limits, sink.counts);
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
    print_counters();
    throw;
  } catch (const OutputClosed&) {
    // `--print | head`: the text reader went away; the file still gets closed and checked.
    finish_file(writer.get(), print_counters);
    throw;
  }
  text.flush();
  finish_file(writer.get(), print_counters);
  return kExitOk;
}

}  // namespace slimcap::cli

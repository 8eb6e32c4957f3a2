// `slimcap read`: capture files in, filtered packets out as text, JSON, a count or a new file.

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "command_support.hpp"
#include "commands.hpp"
#include "output.hpp"
#include "print_setup.hpp"
#include "signals.hpp"
#include "slimcap/filter.hpp"
#include "slimcap/json.hpp"
#include "slimcap/link_type.hpp"
#include "slimcap/pcap_reader.hpp"
#include "slimcap/pcap_writer.hpp"
#include "slimcap/print.hpp"

namespace slimcap::cli {
namespace {

struct ReadPlan {
  std::vector<std::string> files;
  std::string expression;
};

// Positional arguments are capture files first, then the filter expression, as in
// `slimcap read a.pcap b.pcap tcp port 80`. Without -r or -V the first argument is always a
// file; later ones are files while they name something that exists (or are "-"). With -r or
// -V every positional argument is expression.
ReadPlan plan_inputs(const ReadFlags& flags) {
  ReadPlan plan;
  std::size_t first_word = 0;
  if (!flags.file_list.empty()) {
    if (!flags.read_files.empty()) throw UsageError("-V and -r cannot be combined");
    plan.files = read_file_list(flags.file_list);
  } else if (!flags.read_files.empty()) {
    plan.files = flags.read_files;
  } else {
    first_word = take_file_arguments(flags.positionals, flags.dump_filter == 0, plan.files);
  }
  plan.expression = filter_expression(flags.positionals, first_word, flags.filter_file);
  if (plan.files.empty() && flags.dump_filter == 0)
    throw UsageError("read: no capture file given ('-' reads standard input)");
  int stdin_uses = flags.file_list == "-";
  for (const auto& f : plan.files) stdin_uses += f == "-";
  if (stdin_uses > 1) throw UsageError("read: standard input ('-') can be read only once");
  return plan;
}

// tcpdump's banner on stderr, which scripts parse.
void print_banner(const PcapReader& reader) {
  fmt::print(stderr, "reading from file {}, link-type {}, snapshot length {}\n", reader.path(),
             link_type_text(reader.link_type()), reader.snaplen());
}

// tcpdump --count's line.
void print_count(TextOutput& text, std::uint64_t matched) {
  OutputBuffer& out = text.buffer();
  out.append_uint(matched);
  out.append(matched == 1 ? " packet\n" : " packets\n");
  text.flush();
}

int dump_filter(const ReadFlags& flags, const ReadPlan& plan) {
  std::uint32_t link_type = link_type::kEthernet;
  if (!plan.files.empty()) link_type = PcapReader(plan.files.front()).link_type();
  Filter filter(plan.expression);
  const std::string text = filter.dump(link_type, flags.dump_filter);
  write_all(STDOUT_FILENO, text.data(), text.size());
  return kExitOk;
}

// The file's snaplen is the largest of the inputs': a smaller one would make every reader cut
// the records of the inputs with a larger one.
WriterOptions writer_options(const ReadFlags& flags, const PrintFlags& pf,
                             const std::vector<std::unique_ptr<PcapReader>>& readers) {
  WriterOptions options;
  options.link_type = readers.front()->link_type();
  options.snaplen = 0;
  for (const auto& reader : readers) options.snaplen = std::max(options.snaplen, reader->snaplen());
  options.precision = pf.nano ? TimePrecision::nano : TimePrecision::micro;
  set_output_kind(options, flags.write_file, flags.compress_level);
  options.stop = &g_stop_requested;
  // pcapng output: the interfaces keep their names (run_read numbers them per input).
  options.interface_name = [&readers](std::uint32_t index) {
    const std::uint32_t input = (index >> 16) - 1;
    return input < readers.size() ? readers[input]->interface_name(index & 0xffff) : std::string();
  };
  return options;
}

}  // namespace

int run_read(const ReadFlags& flags) {
  const ReadPlan plan = plan_inputs(flags);
  if (flags.dump_filter > 0) return dump_filter(flags, plan);

  PrintFlags pf = flags.print_flags;
  if (!flags.time_stamp_precision.empty()) pf.nano = flags.time_stamp_precision == "nano";
  const bool writing = !flags.write_file.empty();
  const bool printing = !flags.count && (!writing || flags.print);
  if (writing && flags.write_file == "-" && (printing || flags.count))
    throw UsageError("-w - writes the capture to standard output; it cannot also carry text "
                     "(--print, --count)");

  // Open every input first: a typo in the third file name should fail before any output.
  std::vector<std::unique_ptr<PcapReader>> readers;
  readers.reserve(plan.files.size());
  for (const auto& path : plan.files) {
    // The stop flag from the start: Ctrl-C also ends a wait for a FIFO's writer or header.
    readers.push_back(std::make_unique<PcapReader>(path, &g_stop_requested));
    if (stop_requested()) return kExitOk;
  }

  // Compile now for every input's link type, so a bad expression or link type fails before
  // any output.
  Filter any_packet("");
  Filter filter(plan.expression);
  for (const auto& reader : readers) {
    try {
      check_link_type(any_packet, filter, reader->path(), reader->link_type());
    } catch (const FilterError&) {
      // `slimcap read a.pcap typo.pcap`: the missing file became the expression.
      if (flags.file_list.empty() && flags.read_files.empty() && flags.filter_file.empty())
        throw_if_missing_file(plan.expression);
      throw;
    }
  }

  std::unique_ptr<PcapWriter> writer;
  if (writing) {
    if (flags.write_file != "-") {
      const FileIdentity out = file_identity(flags.write_file);
      for (const auto& reader : readers) {
        const FileIdentity in = reader->identity();
        if (out.regular && in.regular && out.device == in.device && out.inode == in.inode)
          throw UsageError(flags.write_file + ": refusing to overwrite an input file");
      }
    }
    writer = std::make_unique<PcapWriter>(flags.write_file, writer_options(flags, pf, readers));
  }

  TextOutput text(STDOUT_FILENO, pf.line_buffered);
  std::optional<Printer> printer;
  if (printing && !pf.json) printer.emplace(print_options(pf));

  std::uint64_t matched = 0;
  const std::uint64_t limit =
      flags.max_packets < 0 ? UINT64_MAX : static_cast<std::uint64_t>(flags.max_packets);
  bool done = limit == 0;
  bool unflushed = false;
  const bool pcapng_out = writer && writer->options().format == FileFormat::pcapng;
  std::uint32_t input_number = 0;
  PacketView packet;
  for (auto& reader : readers) {
    ++input_number;
    if (done) break;
    print_banner(*reader);
    std::uint32_t checked_link_type = reader->link_type();
    try {
      for (;;) {
        // -U: the output goes out before the reader may wait for more input, not after each
        // packet (a flush is a round trip to the writer thread).
        if (unflushed && !reader->next_is_buffered()) {
          writer->flush();
          unflushed = false;
        }
        if (stop_requested() || !reader->next(packet)) break;
        if (packet.link_type != checked_link_type) [[unlikely]] {
          check_link_type(any_packet, filter, reader->path(), packet.link_type);
          checked_link_type = packet.link_type;
        }
        if (!filter.matches(packet)) continue;
        ++matched;
        if (writer) {
          if (pcapng_out) {
            // One IDB per interface of each input: ids of different files stay apart.
            PacketView out = packet;
            out.interface_index += input_number << 16;
            writer->write(out);
          } else {
            if (packet.link_type != writer->options().link_type)
              throw Error(fmt::format(
                  "{}: cannot write a {} packet into a pcap file of link type {} (write .pcapng)",
                  flags.write_file, link_type_text(packet.link_type),
                  link_type_text(writer->options().link_type)));
            writer->write(packet);
          }
          unflushed = pf.packet_buffered;
        }
        if (printing) {
          if (printer)
            printer->print(packet, text.buffer());
          else
            append_json(text.buffer(), packet);
          text.packet_done();
        }
        if (matched >= limit) {
          done = true;
          break;
        }
      }
    } catch (const Error&) {
      // Everything read before the damage is delivered: the text, a valid -w file, and with
      // --count the number of complete packets (tcpdump prints it before the error).
      text.flush();
      if (writer) writer->close();
      if (flags.count) print_count(text, matched);
      throw;
    }
    if (stop_requested()) break;
  }

  text.flush();
  if (writer) writer->close();
  if (flags.count) print_count(text, matched);
  return kExitOk;
}

}  // namespace slimcap::cli

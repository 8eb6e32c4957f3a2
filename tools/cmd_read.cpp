// `slimcap read`: capture files in, filtered packets out as text, JSON, a count or a new file.

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

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

bool path_exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

// Positional arguments are capture files first, then the filter expression, as in
// `slimcap read a.pcap b.pcap tcp port 80`. Without -r the first argument is always a file;
// later ones are files while they name something that exists (or are "-"). With -r every
// positional argument is expression.
ReadPlan plan_inputs(const ReadFlags& flags) {
  ReadPlan plan;
  std::size_t first_word = 0;
  if (!flags.read_files.empty()) {
    plan.files = flags.read_files;
  } else {
    const auto& args = flags.positionals;
    while (first_word < args.size()) {
      const std::string& arg = args[first_word];
      const bool forced = first_word == 0 && flags.dump_filter == 0;
      if (!forced && arg != "-" && !path_exists(arg)) break;
      plan.files.push_back(arg);
      ++first_word;
    }
  }
  plan.expression = filter_expression(flags.positionals, first_word, flags.filter_file);
  if (plan.files.empty() && flags.dump_filter == 0)
    throw UsageError("read: no capture file given ('-' reads standard input)");
  int stdin_uses = 0;
  for (const auto& f : plan.files) stdin_uses += f == "-";
  if (stdin_uses > 1) throw UsageError("read: standard input ('-') can be read only once");
  return plan;
}

// tcpdump's banner on stderr, which scripts parse.
void print_banner(const PcapReader& reader) {
  std::fprintf(stderr, "reading from file %s, link-type %s, snapshot length %u\n",
               reader.path().c_str(), link_type_text(reader.link_type()).c_str(),
               reader.snaplen());
}

int dump_filter(const ReadFlags& flags, const ReadPlan& plan) {
  std::uint32_t link_type = link_type::kEthernet;
  if (!plan.files.empty()) link_type = PcapReader(plan.files.front()).link_type();
  Filter filter(plan.expression);
  const std::string text = filter.dump(link_type, flags.dump_filter);
  write_all(STDOUT_FILENO, text.data(), text.size());
  return kExitOk;
}

WriterOptions writer_options(const ReadFlags& flags, const PcapReader& first) {
  WriterOptions options;
  options.link_type = first.link_type();
  options.snaplen = first.snaplen();
  options.precision = flags.print_flags.nano ? TimePrecision::nano : TimePrecision::micro;
  set_output_kind(options, flags.write_file, flags.compress_level);
  return options;
}

}  // namespace

int run_read(const ReadFlags& flags) {
  const ReadPlan plan = plan_inputs(flags);
  if (flags.dump_filter > 0) return dump_filter(flags, plan);

  const bool writing = !flags.write_file.empty();
  const bool printing = !flags.count && (!writing || flags.print);
  if (writing && flags.write_file == "-" && (printing || flags.count))
    throw UsageError("-w - writes the capture to standard output; it cannot also carry text "
                     "(--print, --count)");

  // Open every input first: a typo in the third file name should fail before any output.
  std::vector<std::unique_ptr<PcapReader>> readers;
  readers.reserve(plan.files.size());
  for (const auto& path : plan.files) {
    readers.push_back(std::make_unique<PcapReader>(path));
    readers.back()->set_stop_flag(&g_stop_requested);
  }

  Filter filter(plan.expression);
  // Compile now for the first link type, so a bad expression fails before any output.
  if (!filter.matches_everything() && readers.front()->link_type() != 0)
    filter.program(readers.front()->link_type());

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
    writer = std::make_unique<PcapWriter>(flags.write_file, writer_options(flags, *readers.front()));
  }

  const PrintFlags& pf = flags.print_flags;
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
    try {
      for (;;) {
        // -U: the output goes out before the reader may wait for more input, not after each
        // packet (a flush is a round trip to the writer thread).
        if (unflushed && !reader->next_is_buffered()) {
          writer->flush();
          unflushed = false;
        }
        if (stop_requested() || !reader->next(packet)) break;
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
              throw Error(flags.write_file + ": cannot write a " +
                          link_type_text(packet.link_type) + " packet into a pcap file of link type " +
                          link_type_text(writer->options().link_type) + " (write .pcapng)");
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
      // Everything read before the damage is delivered: the text, and a valid -w file.
      text.flush();
      if (writer) writer->close();
      throw;
    }
    if (stop_requested()) break;
  }

  text.flush();
  if (writer) writer->close();
  if (flags.count) {
    OutputBuffer& out = text.buffer();
    out.append_uint(matched);
    out.append(matched == 1 ? " packet\n" : " packets\n");
    text.flush();
  }
  return kExitOk;
}

}  // namespace slimcap::cli

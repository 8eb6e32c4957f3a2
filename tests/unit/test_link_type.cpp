// Link-type numbers, names and limits, as files, libpcap and tcpdump's banner use them.

#include <doctest/doctest.h>
#include <pcap/pcap.h>

#include <string>
#include <vector>

#include "capture_builder.hpp"
#include "slimcap/link_type.hpp"

using namespace slimcap;
using namespace slimcap::test;

TEST_SUITE("link_type") {
  TEST_CASE("maps LINKTYPE_RAW (101 in files) to libpcap's DLT_RAW and keeps the others") {
    CHECK(dlt_from_link_type(link_type::kRaw) == DLT_RAW);
    CHECK(dlt_from_link_type(link_type::kEthernet) == DLT_EN10MB);
    CHECK(dlt_from_link_type(link_type::kLinuxSll) == DLT_LINUX_SLL);
    CHECK(dlt_from_link_type(link_type::kLinuxSll2) == DLT_LINUX_SLL2);
    CHECK(dlt_from_link_type(link_type::kNull) == DLT_NULL);
    CHECK(dlt_from_link_type(link_type::kIpv4) == DLT_IPV4);
    CHECK(dlt_from_link_type(link_type::kIpv6) == DLT_IPV6);
  }

  TEST_CASE("names link types as tcpdump's banner does") {
    CHECK(link_type_name(link_type::kEthernet) == "EN10MB");
    CHECK(link_type_description(link_type::kEthernet) == "Ethernet");
    CHECK(link_type_name(link_type::kRaw) == "RAW");
    CHECK(link_type_name(link_type::kLinuxSll) == "LINUX_SLL");
    CHECK(link_type_description(link_type::kLinuxSll2) == "Linux cooked v2");
    CHECK(link_type_name(link_type::kNull) == "NULL");
    CHECK(link_type_name(65000).empty());
  }

  TEST_CASE("maps the platform-dependent LINKTYPE values as libpcap reads them from files") {
    CHECK(dlt_from_link_type(100) == DLT_ATM_RFC1483);
    CHECK(dlt_from_link_type(102) == DLT_SLIP_BSDOS);
    CHECK(dlt_from_link_type(103) == DLT_PPP_BSDOS);
    CHECK(dlt_from_link_type(106) == DLT_ATM_CLIP);
    CHECK(link_type_name(100) == "ATM_RFC1483");
    CHECK(link_type_name(106) == "ATM_CLIP");
    CHECK(link_type_description(106) == "Linux Classical IP over ATM");
  }

  TEST_CASE("names every link type as tcpdump's banner does") {
    if (!have_program("tcpdump")) {
      MESSAGE("skipped: tcpdump is not installed, the banner comparison does not run");
      return;
    }
    // One file per link type (a record of one byte): tcpdump's banner is
    // "reading from file F, link-type NAME (DESCRIPTION), snapshot length N", or the bare
    // number for a type libpcap does not name.
    TempPath file;
    for (std::uint32_t lt = 0; lt <= 300; ++lt) {
      PcapSpec spec;
      spec.link_type = lt;
      const std::vector<Record> records{Record{Bytes{0}, 1700000000000000000, 0}};
      write_file(file.path, slimcap::test::pcap_file(spec, records));
      const std::string banner =
          run_command("tcpdump -r " + file.path + " -c 1 2>&1 >/dev/null | head -1");
      const std::string name(link_type_name(lt));
      const std::string expected =
          name.empty() ? "link-type " + std::to_string(lt) + ","
                       : "link-type " + name + " (" + std::string(link_type_description(lt)) + "),";
      CAPTURE(lt);
      CAPTURE(banner);
      CHECK(banner.find(expected) != std::string::npos);
    }
  }

  TEST_CASE("limits record sizes as libpcap does") {
    CHECK(max_snaplen_for(link_type::kEthernet) == kMaxSnaplen);
    CHECK(max_snaplen_for(231) == 128u * 1024 * 1024);
    CHECK(max_snaplen_for(220) == 1024u * 1024);
  }
}

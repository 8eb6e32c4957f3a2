// Link-type numbers, names and limits, as files, libpcap and tcpdump's banner use them.

#include <doctest/doctest.h>
#include <pcap/pcap.h>

#include "slimcap/link_type.hpp"

using namespace slimcap;

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

  TEST_CASE("limits record sizes as libpcap does") {
    CHECK(max_snaplen_for(link_type::kEthernet) == kMaxSnaplen);
    CHECK(max_snaplen_for(231) == 128u * 1024 * 1024);
    CHECK(max_snaplen_for(220) == 1024u * 1024);
  }
}

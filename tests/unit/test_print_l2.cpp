// The layer-2 control dissectors (print_llc.cpp, print_stp.cpp, print_lldp.cpp, print_cdp.cpp,
// print_slow.cpp, print_eapol.cpp): golden lines of the main shapes, and agreement with
// tcpdump -n -S (whole frames and every cut, every printing flag) on every message type.

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "capture_builder.hpp"
#include "frame_builder.hpp"
#include "print_agreement.hpp"
#include "slimcap/print.hpp"

using namespace slimcap;
using namespace slimcap::test;

namespace {

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes b;
  for (const Bytes& p : parts) b.insert(b.end(), p.begin(), p.end());
  return b;
}

Bytes text(std::string_view s) { return Bytes(s.begin(), s.end()); }

Bytes with_type(std::uint16_t ethertype, const Bytes& payload,
                const Mac& destination = mac("01:80:c2:00:00:0e")) {
  EthernetSpec e;
  e.destination = destination;
  e.source = mac("00:11:22:33:44:55");
  e.ethertype = ethertype;
  return ethernet_frame(e, payload);
}

Bytes stp_frame(const StpSpec& spec, const Bytes& extra = {}) {
  return ieee8023_frame(cat({llc_header(0x42, 0x42, 0x03), stp_bpdu(spec, extra)}));
}

// MSTP: the configuration identifier, CIST internal cost, bridge id and hops, then MSTIs.
Bytes mstp_extra(unsigned mstis) {
  Bytes b;
  const std::uint16_t v3 = static_cast<std::uint16_t>(64 + 16 * mstis);
  b.push_back(static_cast<std::uint8_t>(v3 >> 8));
  b.push_back(static_cast<std::uint8_t>(v3));
  b.push_back(0);  // configuration identifier format
  Bytes name = text("region-one");
  name.resize(32, 0);
  name[20] = 0xc1;  // a byte tcpdump escapes
  b.insert(b.end(), name.begin(), name.end());
  b.push_back(0);
  b.push_back(7);  // revision
  for (int i = 0; i < 16; ++i) b.push_back(static_cast<std::uint8_t>(0x10 + i));  // digest
  for (int v : {0, 0, 0x4e, 0x20}) b.push_back(static_cast<std::uint8_t>(v));  // internal cost
  for (int v : {0x80, 0x00, 0x02, 0, 0, 0, 0, 1}) b.push_back(static_cast<std::uint8_t>(v));  // bridge
  b.push_back(20);                                                                // hops
  for (unsigned m = 0; m < mstis; ++m) {
    b.push_back(m == 0 ? 0x7c : 0x09);  // flags: role and states
    b.push_back(static_cast<std::uint8_t>(0x80 | ((m + 1) >> 8)));
    b.push_back(static_cast<std::uint8_t>(m + 1));
    for (int v : {0, 0x11, 0x22, 0x33, 0x44, 0x55}) b.push_back(static_cast<std::uint8_t>(v));
    for (int v : {0, 0, 0, 200}) b.push_back(static_cast<std::uint8_t>(v));
    b.push_back(0x80);
    b.push_back(0x90);
    b.push_back(static_cast<std::uint8_t>(19 - m));
  }
  return b;
}

std::vector<Bytes> llc_frames() {
  std::vector<Bytes> f;
  StpSpec config;
  f.push_back(stp_frame(config));
  StpSpec flagged = config;
  flagged.flags = 0x81;
  flagged.message_age = 0x0120;  // 1.125 s: "%.2f" rounds the tie to even
  flagged.max_age = 0x14ff;
  f.push_back(stp_frame(flagged));
  StpSpec tcn;
  tcn.type = 0x80;
  f.push_back(stp_frame(tcn));
  StpSpec rstp;
  rstp.version = 2;
  rstp.type = 2;
  rstp.flags = 0x3c;  // designated, learning, forwarding
  f.push_back(stp_frame(rstp));
  StpSpec mstp;
  mstp.version = 3;
  mstp.type = 2;
  mstp.flags = 0x7d;
  f.push_back(stp_frame(mstp, mstp_extra(2)));
  f.push_back(stp_frame(mstp, mstp_extra(0)));
  StpSpec odd;
  odd.version = 7;
  f.push_back(stp_frame(odd));
  // A length field shorter than the payload: the rest is padding, not read.
  f.push_back(ieee8023_frame(cat({llc_header(0x42, 0x42, 0x03), stp_bpdu(config)}), 20));
  // VLAN-tagged.
  f.push_back(ieee8023_frame(cat({llc_header(0x42, 0x42, 0x03), stp_bpdu(rstp)}), 0,
                             {VlanTag{0x8100, 100, 3, false}}));
  // SNAP: ARP, IPv4/UDP, an unknown ethertype, an unknown OUI, Cisco PVST, a bridged BPDU.
  const Bytes arp = arp_packet(1, mac("00:11:22:33:44:55"), ipv4("192.0.2.1"), Mac{},
                               ipv4("192.0.2.2"));
  f.push_back(ieee8023_frame(cat({snap_header(0, 0x0806), arp})));
  Ipv4Spec ip;
  ip.protocol = ip_proto::kUdp;
  f.push_back(ieee8023_frame(cat({snap_header(0, 0x0800),
                                  ipv4_packet(ip, udp_datagram(5000, 6000, Bytes(10, 0x61)))})));
  f.push_back(ieee8023_frame(cat({snap_header(0, 0x1234), Bytes(12, 0xab)})));
  f.push_back(ieee8023_frame(cat({snap_header(0, 0x86dd),
                                  ipv6_packet({}, udp_datagram(5000, 6000, Bytes(4, 0x62)))})));
  f.push_back(ieee8023_frame(cat({llc_header(0x06, 0x06, 0x03),
                                  ipv4_packet(ip, udp_datagram(7, 9, Bytes(6, 0x63)))})));
  f.push_back(ieee8023_frame(cat({snap_header(0, 0x888e), Bytes{1, 1, 0, 0}})));
  f.push_back(ieee8023_frame(cat({snap_header(0x00a0ff, 0x0001), Bytes(6, 0xcd)})));
  f.push_back(ieee8023_frame(cat({snap_header(0x00000c, 0x010b), stp_bpdu(rstp)}), 0, {},
                             mac("01:00:0c:cc:cc:cd")));
  f.push_back(ieee8023_frame(cat({snap_header(0x0080c2, 0x000e), stp_bpdu(config)})));
  f.push_back(ieee8023_frame(cat({snap_header(0x00000c, 0x9999), Bytes(4, 1)})));
  // U frames: XID with its format id, TEST, UA with the final bit, SABME, DISC, FRMR, unknown.
  f.push_back(ieee8023_frame(cat({llc_header(0x00, 0x00, 0xaf), Bytes{0x81, 0x01, 0x00}})));
  f.push_back(ieee8023_frame(cat({llc_header(0x00, 0x01, 0xbf), Bytes{0x81, 0x01, 0x02}})));
  f.push_back(ieee8023_frame(llc_header(0x04, 0x04, 0xaf)));
  f.push_back(ieee8023_frame(cat({llc_header(0x04, 0x05, 0xaf), Bytes{0x11, 0x22}})));
  f.push_back(ieee8023_frame(cat({llc_header(0x04, 0x04, 0xe3), text("test data")})));
  f.push_back(ieee8023_frame(llc_header(0x04, 0x05, 0x73)));
  f.push_back(ieee8023_frame(llc_header(0xf0, 0xf0, 0x7f)));
  f.push_back(ieee8023_frame(llc_header(0x04, 0x04, 0x53)));
  f.push_back(ieee8023_frame(cat({llc_header(0x04, 0x05, 0x87), Bytes{1, 2, 3, 4, 5}})));
  f.push_back(ieee8023_frame(llc_header(0x04, 0x04, 0x1b)));
  // S frames: RR, RNR with poll, REJ response; I frames; SAPs without names, the group bit.
  f.push_back(ieee8023_frame(llc_header(0x04, 0x04, 0x0a01, true)));
  f.push_back(ieee8023_frame(llc_header(0x04, 0x05, 0x0305, true)));
  f.push_back(ieee8023_frame(llc_header(0x04, 0x05, 0x0109, true)));
  f.push_back(ieee8023_frame(llc_header(0x04, 0x04, 0x0d, true)));
  f.push_back(ieee8023_frame(cat({llc_header(0xf0, 0xf1, 0x0402, true), text("netbios")})));
  f.push_back(ieee8023_frame(cat({llc_header(0x80, 0x82, 0x03), Bytes(8, 0x5a)})));
  f.push_back(ieee8023_frame(cat({llc_header(0x81, 0x80, 0x03), Bytes(8, 0x5a)})));
  f.push_back(ieee8023_frame(cat({llc_header(0x43, 0x43, 0x03), Bytes(8, 0x5a)})));
  f.push_back(ieee8023_frame(Bytes{0x42, 0x42}, 2));
  return f;
}

Bytes lldp_frame() {
  const Bytes chassis = cat({Bytes{4}, Bytes{0x00, 0x11, 0x22, 0x33, 0x44, 0x55}});
  Bytes mgmt4{5, 1, 192, 0, 2, 10, 2, 0, 0, 0, 3, 0};
  Bytes mgmt6 = cat({Bytes{17, 2}, Bytes(15, 0), Bytes{1, 3, 0, 0, 0, 9, 3, 0x2b, 0x06, 0x01}});
  Bytes mac_mgmt{7, 6, 2, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0};
  Bytes other_af{3, 16, 1, 2, 2, 0, 0, 1, 0, 0};
  return with_type(
      0x88cc,
      cat({lldp_tlv(1, chassis), lldp_tlv(2, cat({Bytes{5}, text("eth0")})),
           lldp_tlv(3, Bytes{0, 120}), lldp_tlv(4, text("uplink\tport")),
           lldp_tlv(5, text("switch-1")), lldp_tlv(6, text("Linux 6.1 \x80x")),
           lldp_tlv(7, Bytes{0x00, 0x14, 0x00, 0x04}), lldp_tlv(8, mgmt4), lldp_tlv(8, mgmt6),
           lldp_tlv(8, mac_mgmt), lldp_tlv(8, other_af),
           lldp_tlv(127, Bytes{0x00, 0x80, 0xc2, 0x01, 0x00, 0x64}),
           lldp_tlv(127, Bytes{0x00, 0x80, 0xc2, 0x02, 0x06, 0x00, 0x65}),
           lldp_tlv(127, cat({Bytes{0x00, 0x80, 0xc2, 0x03, 0x00, 0x64, 5}, text("users")})),
           lldp_tlv(127, cat({Bytes{0x00, 0x80, 0xc2, 0x04, 3}, text("abc")})),
           lldp_tlv(127, Bytes{0x00, 0x80, 0xc2, 0x07, 0x03, 0, 0, 0, 9}),
           lldp_tlv(127, Bytes{0x00, 0x80, 0xc2, 0x05, 1}),
           // DCB: congestion notification, ETS configuration and recommendation, PFC,
           // application priority, EVB, CDCP.
           lldp_tlv(127, Bytes{0x00, 0x80, 0xc2, 8, 0x81, 0x42}),
           lldp_tlv(127, cat({Bytes{0x00, 0x80, 0xc2, 9, 0xc3, 0x01, 0x23, 0x45, 0x67},
                              Bytes{10, 20, 30, 40, 100, 0, 0, 255}, Bytes{0, 2, 2, 2, 0, 0, 0, 255}})),
           lldp_tlv(127, cat({Bytes{0x00, 0x80, 0xc2, 10, 0x07, 0x76, 0x54, 0x32, 0x10},
                              Bytes(8, 12), Bytes(8, 2)})),
           lldp_tlv(127, Bytes{0x00, 0x80, 0xc2, 11, 0xd8, 0x08}),
           lldp_tlv(127, Bytes{0x00, 0x80, 0xc2, 12, 0, 0x69, 0x89, 0x06, 0x82, 0x0c, 0xbc}),
           lldp_tlv(127, Bytes{0x00, 0x80, 0xc2, 12, 0, 1}),
           lldp_tlv(127, Bytes{0x00, 0x80, 0xc2, 13, 0x0f, 0x1e, 0x45, 0xa7, 0x6a}),
           lldp_tlv(127, Bytes{0x00, 0x80, 0xc2, 14, 0x98, 0, 0x01, 0x02, 0x00, 0x10, 0x64}),
           lldp_tlv(127, Bytes{0x00, 0x12, 0x0f, 0x01, 0x03, 0x6c, 0x01, 0x00, 0x10}),
           lldp_tlv(127, Bytes{0x00, 0x12, 0x0f, 0x02, 0x07, 0x01, 0x03}),
           lldp_tlv(127, Bytes{0x00, 0x12, 0x0f, 0x03, 0x01, 0, 0, 0, 5}),
           lldp_tlv(127, Bytes{0x00, 0x12, 0x0f, 0x04, 0x05, 0xee}),
           lldp_tlv(127, Bytes{0x00, 0x12, 0x0f, 0x09}),
           lldp_tlv(127, Bytes{0x12, 0x34, 0x56, 0x01, 0x02}), lldp_tlv(127, Bytes{0x00, 0x00, 0x5e, 1}),
           lldp_tlv(9, Bytes{1, 2, 3}), lldp_tlv(0, {})}),
      mac("01:80:c2:00:00:0e"));
}

std::vector<Bytes> lldp_frames() {
  std::vector<Bytes> f;
  f.push_back(lldp_frame());
  // Local and network-address ids, no system name; a TLV longer than the PDU.
  f.push_back(with_type(0x88cc, cat({lldp_tlv(1, cat({Bytes{7}, text("chassis")})),
                                     lldp_tlv(2, Bytes{4, 1, 10, 0, 0, 1}),
                                     lldp_tlv(3, Bytes{0, 0}), lldp_tlv(0, {})})));
  // LLDP-MED (TIA): capabilities, network policy, extended power, inventory, an unknown one.
  f.push_back(with_type(
      0x88cc,
      cat({lldp_tlv(1, Bytes{4, 0, 1, 2, 3, 4, 5}), lldp_tlv(2, Bytes{3, 0, 1, 2, 3, 4, 5}),
           lldp_tlv(3, Bytes{0, 120}), lldp_tlv(127, Bytes{0x00, 0x12, 0xbb, 1, 0x00, 0x33, 3}),
           lldp_tlv(127, Bytes{0x00, 0x12, 0xbb, 2, 1, 0x40, 0xc8, 0xae}),
           lldp_tlv(127, Bytes{0x00, 0x12, 0xbb, 2, 9, 0xa0, 0x01, 0x40}),
           lldp_tlv(127, Bytes{0x00, 0x12, 0xbb, 4, 0x51, 0x00, 0x35}),
           lldp_tlv(127, Bytes{0x00, 0x12, 0xbb, 4, 0x62, 0x04, 0x10}),
           lldp_tlv(127, cat({Bytes{0x00, 0x12, 0xbb, 5}, text("rev A")})),
           lldp_tlv(127, cat({Bytes{0x00, 0x12, 0xbb, 10}, text("phone")})),
           lldp_tlv(127, Bytes{0x00, 0x12, 0xbb, 12, 1}), lldp_tlv(127, Bytes{0x00, 0x12, 0xbb}),
           // Location: coordinates, civic address, ECS ELIN, an unknown format.
           lldp_tlv(127, Bytes{0x00, 0x12, 0xbb, 3, 1, 0x87, 0x12, 0x34, 0x56, 0x78, 0x8a, 0x01,
                               0x02, 0x03, 0x04, 0x13, 0x40, 0x00, 0x01, 0x90, 1}),
           lldp_tlv(127, cat({Bytes{0x00, 0x12, 0xbb, 3, 2, 16, 2, 'U', 'S', 1, 2, 'C', 'A', 3},
                              Bytes{7, 'P', 'a', 'l', 'o', ' ', 'A'}, Bytes{0, 0}})),
           lldp_tlv(127, cat({Bytes{0x00, 0x12, 0xbb, 3, 3}, text("5551234")})),
           lldp_tlv(127, Bytes{0x00, 0x12, 0xbb, 3, 9, 1, 2, 3}),
           // DCBX 1.01: control, priority groups, PFC, application, an unknown one; rev 1.
           lldp_tlv(127, cat({Bytes{0x00, 0x1b, 0x21, 2}, lldp_tlv(1, Bytes{0, 0, 0, 0, 0, 7, 0, 0, 0, 6}),
                              lldp_tlv(2, cat({Bytes{0, 0, 0xa0, 0, 0x01, 0x23, 0x45, 0x67},
                                               Bytes{10, 20, 30, 40, 0, 0, 0, 0, 8}})),
                              lldp_tlv(3, Bytes{0, 0, 0xc0, 0, 0x09, 8}),
                              lldp_tlv(4, Bytes{0, 0, 0x80, 0, 0x89, 0x06, 0x00, 0x19, 0x22, 0x08,
                                                0x0c, 0xbc, 0x40, 0x00, 0x00, 0x10}),
                              lldp_tlv(9, Bytes{1}), lldp_tlv(0, {})})),
           lldp_tlv(127, Bytes{0x00, 0x1b, 0x21, 1, 5, 6}),
           lldp_tlv(127, cat({Bytes{0x00, 0x1b, 0x21, 2}, lldp_tlv(1, Bytes{0, 0, 0, 0, 0})})),
           lldp_tlv(0, {})})));
  f.push_back(with_type(0x88cc, cat({lldp_tlv(1, Bytes{4, 1, 2}), lldp_tlv(5, Bytes{'x', 0, 'y'})})));
  f.push_back(with_type(0x88cc, cat({lldp_tlv(1, Bytes{9, 1, 2}), lldp_tlv(3, Bytes{1}),
                                     lldp_tlv(7, Bytes{0, 1}), lldp_tlv(0, {})})));
  return f;
}

Bytes actor_partner(std::uint8_t type, const Mac& system, std::uint16_t key, std::uint8_t state) {
  return Bytes{type,      20,        0x80,      0x00,      system[0], system[1],
               system[2], system[3], system[4], system[5], static_cast<std::uint8_t>(key >> 8),
               static_cast<std::uint8_t>(key), 0, 0xff, 0, 7, state, 0, 0, 0};
}

std::vector<Bytes> slow_frames() {
  std::vector<Bytes> f;
  const Mac slow = mac("01:80:c2:00:00:02");
  const Bytes lacp =
      cat({Bytes{1, 1}, actor_partner(1, mac("00:11:22:33:44:55"), 13, 0x3d),
           actor_partner(2, mac("00:aa:bb:cc:dd:ee"), 0x1234, 0), Bytes{3, 16, 0, 50},
           Bytes(12, 0), Bytes{0, 0}, Bytes(50, 0)});
  f.push_back(with_type(0x8809, lacp, slow));
  const Bytes marker = cat({Bytes{2, 1, 1, 16, 0, 7, 0, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0,
                                  0x12, 0x34, 0, 0},
                            Bytes{0, 0}, Bytes(90, 0)});
  f.push_back(with_type(0x8809, marker, slow));
  f.push_back(with_type(0x8809, cat({Bytes{1, 1, 1, 3, 0, 9, 4, 0, 0, 0}}), slow));
  f.push_back(with_type(0x8809, cat({Bytes{1, 1, 7, 6, 1, 2, 3, 4, 1, 1}}), slow));
  f.push_back(with_type(0x8809, Bytes{1, 2, 0}, slow));
  f.push_back(with_type(0x8809, Bytes{9, 1, 2, 3}, slow));
  // OAM: information (local and remote TLVs), event notification, loopback, variable request.
  const Bytes info{1, 16, 1, 0, 2, 0x05, 0x1d, 0x05, 0xee, 0x00, 0x12, 0x0f, 0, 0, 0, 7};
  Bytes remote = info;
  remote[0] = 2;
  f.push_back(with_type(0x8809, cat({Bytes{3, 0, 0x50, 0}, info, remote, Bytes{0xfe, 4, 1, 2},
                                     Bytes{0, 0}}), slow));
  Bytes event{1, 40, 0, 5};
  for (int i = 0; i < 32; ++i) event.push_back(static_cast<std::uint8_t>(i == 7 ? 9 : 0));
  for (std::uint8_t v : Bytes{0, 0, 0, 3}) event.push_back(v);
  f.push_back(with_type(0x8809, cat({Bytes{3, 0, 0x01, 1, 0, 42}, event, Bytes{2, 3, 0}}), slow));
  f.push_back(with_type(0x8809, Bytes{3, 0, 0x40, 4, 1}, slow));
  f.push_back(with_type(0x8809, Bytes{3, 0, 0, 2, 7, 0, 1}, slow));
  f.push_back(with_type(0x8809, Bytes{3, 0, 0, 0, 1, 9, 1}, slow));
  return f;
}

Bytes eapol(std::uint8_t type, const Bytes& body) {
  return with_type(0x888e, cat({Bytes{2, type, static_cast<std::uint8_t>(body.size() >> 8),
                                      static_cast<std::uint8_t>(body.size())},
                                body}),
                   mac("01:80:c2:00:00:03"));
}

Bytes eap(std::uint8_t code, std::uint8_t id, const Bytes& data) {
  const auto n = static_cast<std::uint16_t>(4 + data.size());
  return cat({Bytes{code, id, static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)}, data});
}

std::vector<Bytes> eapol_frames() {
  std::vector<Bytes> f;
  f.push_back(eapol(1, {}));
  f.push_back(eapol(2, {}));
  f.push_back(eapol(3, Bytes(95, 0)));
  f.push_back(eapol(0, eap(1, 1, Bytes{1})));
  f.push_back(eapol(0, eap(2, 1, cat({Bytes{1}, text("user@example.net")}))));
  f.push_back(eapol(0, eap(1, 2, cat({Bytes{4, 16}, Bytes(16, 0x77)}))));
  f.push_back(eapol(0, eap(2, 2, Bytes{3, 13, 21, 25})));
  f.push_back(eapol(0, eap(1, 3, Bytes{13, 0x20})));
  f.push_back(eapol(0, eap(2, 4, Bytes{13, 0xc0, 0, 0, 1, 0, 0x16})));
  f.push_back(eapol(0, eap(1, 5, Bytes{21, 0x81, 0, 0, 0, 10})));
  f.push_back(eapol(0, eap(1, 5, Bytes{43, 0x01})));
  f.push_back(eapol(0, eap(1, 6, Bytes{18, 10, 0, 0})));
  f.push_back(eapol(0, eap(1, 6, cat({Bytes{2}, text("hello")}))));
  f.push_back(eapol(0, eap(3, 6, {})));
  f.push_back(eapol(0, eap(4, 7, {})));
  f.push_back(eapol(0, Bytes{1, 8, 0, 3}));
  f.push_back(eapol(0, Bytes{1, 8, 0, 60, 1}));
  return f;
}

Bytes cdp_frame(const Bytes& body) {
  return ieee8023_frame(cat({snap_header(0x00000c, 0x2000), Bytes{2, 180, 0xb2, 0x5e}, body}), 0,
                        {}, mac("01:00:0c:cc:cc:cc"));
}

std::vector<Bytes> cdp_frames() {
  std::vector<Bytes> f;
  const Bytes ipv4_address{0, 0, 0, 1, 1, 1, 0xcc, 0, 4, 192, 0, 2, 9};
  f.push_back(cdp_frame(cat({cdp_tlv(1, text("switch-1.example")), cdp_tlv(2, ipv4_address),
                             cdp_tlv(3, text("GigabitEthernet0/1")), cdp_tlv(4, Bytes{0, 0, 0, 0x29}),
                             cdp_tlv(5, text("Cisco IOS Software\nVersion 15.2")),
                             cdp_tlv(6, text("cisco WS-C2960")), cdp_tlv(9, text("vtp")),
                             cdp_tlv(10, Bytes{0, 1}), cdp_tlv(11, Bytes{1}),
                             cdp_tlv(0x11, Bytes{0, 0, 5, 0xdc}), cdp_tlv(0x12, Bytes{0}),
                             cdp_tlv(0x13, Bytes{0}), cdp_tlv(0x16, ipv4_address),
                             cdp_tlv(0x07, Bytes{10, 0, 0, 0, 8}),
                             cdp_tlv(0x14, text("sys")), cdp_tlv(0x77, Bytes{1, 2})})));
  f.push_back(cdp_frame(cat({cdp_tlv(1, Bytes{'r', '1', 0, 'x'}), cdp_tlv(0x17, cat({Bytes{1}, text("rack")})),
                             cdp_tlv(0x0e, Bytes{1, 0, 100}), cdp_tlv(0x0f, Bytes{0x20, 0}),
                             cdp_tlv(0x1a, Bytes{0, 1, 0, 2, 0, 0, 0x3a, 0x98}),
                             cdp_tlv(4, Bytes{0, 0}), cdp_tlv(0x0c, Bytes{5}),
                             cdp_tlv(0x08, Bytes{0, 0, 0x0c, 1, 0x12})})));
  f.push_back(cdp_frame(cat({cdp_tlv(1, text("r2")), Bytes{0, 3, 0, 2}})));
  f.push_back(cdp_frame(cat({cdp_tlv(1, text("r3")), Bytes{0, 3, 0, 200, 1}})));
  return f;
}

// The LLC payloads of a few 802.3 frames in Linux cooked headers (protocol 4, 802.2), as
// "-i any" captures them: SLL (113) or SLL2 (276).
std::vector<Bytes> cooked_llc_frames(std::uint32_t link_type) {
  std::vector<Bytes> payloads;
  StpSpec rstp;
  rstp.version = 2;
  rstp.type = 2;
  rstp.flags = 0x3c;
  payloads.push_back(cat({llc_header(0x42, 0x42, 0x03), stp_bpdu(rstp)}));
  payloads.push_back(llc_header(0x04, 0x05, 0x0305, true));
  payloads.push_back(cat({llc_header(0x80, 0x82, 0x03), Bytes(8, 0x5a)}));
  payloads.push_back(cat({llc_header(0xf0, 0xf0, 0x0402, true), text("netbios")}));
  payloads.push_back(cat({snap_header(0, 0x1234), Bytes(12, 0xab)}));
  payloads.push_back(cat({snap_header(0x00000c, 0x2000), Bytes{2, 180, 0, 0},
                          cdp_tlv(1, text("sw")), cdp_tlv(3, text("Gi0/2"))}));
  std::vector<Bytes> frames;
  for (const Bytes& p : payloads) {
    Bytes h;
    if (link_type == 113) {
      h = {0, 0, 0, 1, 0, 6, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0, 0, 4};
    } else {
      h = {0, 4, 0, 0, 0, 0, 0, 1, 0, 1, 0, 6, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0};
    }
    frames.push_back(cat({h, p}));
  }
  return frames;
}

}  // namespace

TEST_SUITE("print_l2") {
  TEST_CASE("802.3 frames: LLC and STP, the lines tcpdump prints") {
    PrintOptions o = no_time();
    CHECK(print_one(stp_frame({}), o) ==
          "STP 802.1d, Config, Flags [none], bridge-id 8000.00:11:22:33:44:55.8001, length 35\n");
    o.link_header = true;
    CHECK(print_one(stp_frame({}), o) ==
          "00:11:22:33:44:55 > 01:80:c2:00:00:00, 802.3, length 38: LLC, dsap STP (0x42) "
          "Individual, ssap STP (0x42) Command, ctrl 0x03: STP 802.1d, Config, Flags [none], "
          "bridge-id 8000.00:11:22:33:44:55.8001, length 35\n");
    o = no_time();
    o.verbose = 1;
    StpSpec rstp;
    rstp.version = 2;
    rstp.type = 2;
    rstp.flags = 0x3c;
    rstp.message_age = 0x0120;
    CHECK(print_one(stp_frame(rstp), o) ==
          "STP 802.1w, Rapid STP, Flags [Learn, Forward], bridge-id "
          "8000.00:11:22:33:44:55.8001, length 36\n\tmessage-age 1.12s, max-age 20.00s, "
          "hello-time 2.00s, forwarding-delay 15.00s\n\troot-id 8000.00:11:22:33:44:55, "
          "root-pathcost 4, port-role Designated\n");
    o = no_time();
    CHECK(print_one(ieee8023_frame(llc_header(0x04, 0x05, 0x0305, true)), o) ==
          "00:11:22:33:44:55 > 01:80:c2:00:00:00 SNA Supervisory, Receiver not Ready, rcv "
          "seq 1, Flags [Final], length 4\n");
    // Cut in the bridge id: the flags, then the marker.
    const Bytes stp = stp_frame({});
    CHECK(print_one(cut(stp, 30), o, 1, static_cast<std::uint32_t>(stp.size())) ==
          "STP 802.1d, Config, Flags [none] [|stp]\n");
  }

  TEST_CASE("LLDP, LACP, EAPOL and CDP: the lines tcpdump prints") {
    PrintOptions o = no_time();
    CHECK(print_one(lldp_frames()[0], o) == "LLDP, length 373: switch-1\n");
    CHECK(print_one(slow_frames()[0], o) == "LACPv1, length 110\n");
    CHECK(print_one(eapol_frames()[4], o) == "EAP packet (0) v2, len 21\n");
    o.verbose = 1;
    CHECK(print_one(eapol_frames()[4], o) ==
          "EAP packet (0) v2, len 21, Response (2), id 1, len 21\n\t\t Type Identity (1), "
          "Identity: user@example.net\n");
    const std::string lacp = print_one(slow_frames()[0], o);
    CHECK(lacp.find("\n\tActor Information TLV (0x01), length 20\n\t  System "
                    "00:11:22:33:44:55, System Priority 32768, Key 13, Port 7, Port Priority "
                    "255\n\t  State Flags [Activity, Aggregation, Synchronization, Collecting, "
                    "Distributing]") != std::string::npos);
    const std::string lldp = print_one(lldp_frames()[0], o);
    CHECK(lldp.rfind("LLDP, length 373\n\tChassis ID TLV (1), length 7\n\t  Subtype MAC "
                     "address (4): 00:11:22:33:44:55\n",
                     0) == 0);
    CHECK(lldp.find("\n\t  Management Address length 5, AFI IPv4 (1): 192.0.2.10\n\t  Interface "
                    "Index Interface Numbering (2): 3") != std::string::npos);
    o = no_time();
    CHECK(print_one(cdp_frames()[2], o) == "CDPv2, ttl: 180s, Device-ID 'r2', Port-ID TLV length 2 too short (invalid)\n");
  }

  TEST_CASE("agrees with tcpdump on every message type, whole and cut") {
    if (!have_program("tcpdump")) {
      MESSAGE("skipped: tcpdump is not installed, the agreement check does not run");
      return;
    }
    // Every printing flag: the -x/-X/-A dumps start after the LLC and SNAP headers, as tcpdump's.
    const std::vector<FlagCase> cases = flag_cases();
    for (const auto& frames : {llc_frames(), lldp_frames(), slow_frames(), eapol_frames(),
                               cdp_frames()}) {
      agree_whole_and_cut(FrameSet{1, frames}, cases, 12);
    }
    for (std::uint32_t link_type : {113u, 276u})
      agree_whole_and_cut(FrameSet{link_type, cooked_llc_frames(link_type)}, cases, 12);
    MESSAGE("lines compared with tcpdump: " << agreement_lines());
  }
}

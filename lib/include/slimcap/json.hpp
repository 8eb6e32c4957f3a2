#pragma once
// --json: one JSON object per packet and line, with documented, stable keys (man/slimcap.1,
// section JSON OUTPUT). Absent fields are omitted, never null.

#include "slimcap/output_buffer.hpp"
#include "slimcap/packet.hpp"

namespace slimcap {

// Appends one object and a newline.
// `worker` (fanout's merged stream): a "worker" key after "ts"; -1: none.
void append_json(OutputBuffer& out, const PacketView& packet, std::int64_t worker = -1);

}  // namespace slimcap

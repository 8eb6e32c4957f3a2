#pragma once
// --json: one JSON object per packet and line, with documented, stable keys (man/slimcap.1,
// section JSON OUTPUT). Absent fields are omitted, never null.

#include "slimcap/output_buffer.hpp"
#include "slimcap/packet.hpp"

namespace slimcap {

// Appends one object and a newline.
void append_json(OutputBuffer& out, const PacketView& packet);

}  // namespace slimcap

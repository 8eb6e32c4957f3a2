#pragma once
// The decoder: link, network and transport headers of one packet into a small summary struct
// that the text and JSON printers share. (Defined by the decode module.)

namespace slimcap {}  // namespace slimcap

#include "capture_builder.hpp"

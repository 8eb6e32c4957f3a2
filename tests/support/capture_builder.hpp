#pragma once
// placeholder: owned by the reader/writer author

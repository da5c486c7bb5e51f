#pragma once
// The units a catalog number may be written in, and their factor to the base unit the library
// stores: FLOP/s (operations per second for integer precisions), bytes/s, bytes, watts.
// Decimal prefixes are powers of 1000 (datasheets print "3.35 TB/s" meaning 3.35e12 B/s); the
// binary ones (KiB, MiB, GiB, TiB) are powers of 1024. Spelling is exact: "TFLOP/s", not
// "tflops" — a catalog is reviewed by people, and one spelling per unit keeps it readable.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ridgeline::roofline {

enum class quantity_kind {
  flop_rate,  // floating-point FLOP/s (FLOP/s ... PFLOP/s)
  op_rate,    // integer operations per second (OP/s ... POP/s), for int8 roofs
  byte_rate,  // bandwidth (B/s ... TB/s, KiB/s ... TiB/s)
  bytes,      // capacity (B ... TB, KiB ... TiB)
  power,      // W, kW
};

const char* to_string(quantity_kind k);

// Factor from `unit` to the base unit of `kind`, or nothing when `unit` is not one of its units.
std::optional<double> unit_factor(quantity_kind kind, std::string_view unit);

// Every accepted spelling for `kind`, in increasing size, for error messages and docs.
const std::vector<std::string>& units_of(quantity_kind kind);

}  // namespace ridgeline::roofline

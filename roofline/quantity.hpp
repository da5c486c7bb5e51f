#pragma once
// One number of the device catalog, with where it came from and how far to trust it. Every roof,
// capacity and power figure is a `quantity`; prices are `price`s (a currency instead of a unit).
// Values are stored in base units (FLOP/s, bytes/s, bytes, W); `unit` keeps the spelling the
// file used so that a printout can quote the catalog as written.
#include <optional>
#include <string>
#include <string_view>

#include "roofline/units.hpp"

namespace ridgeline::roofline {

// How far a catalog number can be trusted:
//   datasheet   — published by the vendor (dense figures; sparse ones are halved),
//   third_party — published by someone else (reviews, press, other tools' measurements),
//   estimate    — derived, uncertain or conflicting figures; the note says why,
//   unknown     — not published anywhere we found: the entry has no value.
enum class confidence { datasheet, third_party, estimate, unknown };

const char* to_string(confidence c);  // "datasheet", "third-party", "estimate", "unknown"
std::optional<confidence> parse_confidence(std::string_view text);

struct value_range {
  double low = 0, high = 0;  // base units, low <= high
};

struct quantity {
  quantity_kind kind = quantity_kind::flop_rate;
  std::optional<double> value;       // base units; empty exactly when confidence is unknown
  std::optional<value_range> range;  // published figures disagree: their spread (base units)
  std::string unit;                  // as written in the file, e.g. "TFLOP/s"
  std::string source;                // where the number comes from (never empty)
  roofline::confidence confidence = confidence::unknown;
  std::string note;  // why an estimate, what a range means, ...
  int line = 0;      // 1-based line in the catalog file, for messages

  bool known() const { return value.has_value(); }
};

// A market price. `per` says what was priced: one card, or a server of `cards` cards.
struct price {
  double amount = 0;  // in `currency`
  std::optional<value_range> range;
  std::string currency;  // ISO 4217 code: "CNY", "USD", ...
  std::string date;      // "2024", "2024-06" or "2024-06-30"
  enum class basis { card, server } per = basis::card;
  int cards = 1;  // cards in what was priced (1 for basis::card)
  std::string source;
  roofline::confidence confidence = confidence::unknown;
  std::string note;
  int line = 0;

  double amount_per_card() const { return amount / cards; }
};

}  // namespace ridgeline::roofline

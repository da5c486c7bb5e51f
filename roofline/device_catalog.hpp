#pragma once
// The device catalog: every card of configs/devices/*.yaml, validated strictly. Any problem in
// any file is a usage_error with one line "FILE:LINE: FIELD: problem" — an unknown key, a missing
// unit or source, a negative or non-numeric value, an unknown unit or confidence, malformed YAML,
// or the same card (id or name) in two files, naming both. The file format is documented in
// docs/device-catalog.md.
#include <string>
#include <string_view>
#include <vector>

#include "roofline/device_card.hpp"

namespace ridgeline::roofline {

struct device_catalog {
  std::vector<device_card> cards;  // ordered by directory, then file name

  const device_card* find(std::string_view id) const;  // by id; nullptr when absent
};

// Every "*.yaml" file directly in `directory` (other files are ignored). A directory that does
// not exist or cannot be read is a usage_error; an empty one gives an empty catalog.
device_catalog load_catalog(const std::string& directory);

// Several directories as one catalog (e.g. the shipped one plus a site's own): a card id or name
// that appears twice is an error, never an override.
device_catalog load_catalog(const std::vector<std::string>& directories);

// One file; its id is the file's stem.
device_card load_card(const std::string& path);

}  // namespace ridgeline::roofline

#include "roofline/device_catalog.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>

#include "core/error.hpp"
#include "core/strict_yaml.hpp"
#include "roofline/detail/card_reader.hpp"

namespace ridgeline::roofline {

namespace {

namespace fs = std::filesystem;

// Names compare without regard to case and runs of spaces: "NVIDIA H100" and "nvidia  h100" are
// the same card to a reader, so they are a duplicate to the loader.
std::string name_key(const std::string& name) {
  std::string out;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isspace(u)) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += static_cast<char>(std::tolower(u));
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::vector<fs::path> yaml_files(const std::string& directory) {
  std::error_code ec;
  if (!fs::is_directory(directory, ec)) {
    throw usage_error(fmt::format("{}: device catalog directory not found", directory));
  }
  std::vector<fs::path> files;
  for (fs::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".yaml" && it->is_regular_file()) files.push_back(it->path());
  }
  if (ec) throw usage_error(fmt::format("{}: cannot read directory: {}", directory, ec.message()));
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

const device_card* device_catalog::find(std::string_view id) const {
  for (const auto& c : cards) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

device_card load_card(const std::string& path) {
  const std::string text = strict_yaml::read_file(path, "device card");
  const std::string id = fs::path(path).stem().string();
  if (!detail::valid_card_id(id)) {
    throw usage_error(fmt::format(
        "{}:1: id: file name '{}' is not a card id (lowercase letters, digits, '_', '-')", path,
        id));
  }
  return detail::read_card(path, text, id);
}

device_catalog load_catalog(const std::vector<std::string>& directories) {
  device_catalog catalog;
  std::map<std::string, std::size_t> by_name;  // name_key -> index in cards
  for (const auto& dir : directories) {
    for (const auto& file : yaml_files(dir)) {
      device_card card = load_card(file.string());
      if (const device_card* other = catalog.find(card.id)) {
        throw usage_error(fmt::format("{}:1: id: duplicate card id '{}' (also {})", card.file,
                                      card.id, other->file));
      }
      const auto [it, inserted] = by_name.emplace(name_key(card.name), catalog.cards.size());
      if (!inserted) {
        const device_card& other = catalog.cards[it->second];
        throw usage_error(fmt::format("{}:{}: name: duplicate card name '{}' (also in {}:{})",
                                      card.file, card.name_line, card.name, other.file,
                                      other.name_line));
      }
      catalog.cards.push_back(std::move(card));
    }
  }
  return catalog;
}

device_catalog load_catalog(const std::string& directory) {
  return load_catalog(std::vector<std::string>{directory});
}

}  // namespace ridgeline::roofline

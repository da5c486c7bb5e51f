#include "service/import_results.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <regex>

#include "core/error.hpp"
#include "importers/formats.hpp"
#include "profiler/counters/metric_formulas.hpp"
#include "profiler/provenance.hpp"
#include "roofline/detection.hpp"

namespace ridgeline::service {

namespace fs = std::filesystem;

bool import_summary::any_refused() const {
  return std::any_of(files.begin(), files.end(),
                     [](const file_import& f) { return !f.error.empty(); });
}

namespace {

// SHA-256 of a file's bytes, or of a directory's regular files (relative name and bytes, in name
// order): what "the same file" means for the duplicate check, whatever its path.
class content_hash {
 public:
  content_hash() : ctx_(EVP_MD_CTX_new(), EVP_MD_CTX_free) {
    if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1) {
      throw runtime_error("import: OpenSSL SHA-256 is unavailable");
    }
  }
  void add(const std::string& bytes) { EVP_DigestUpdate(ctx_.get(), bytes.data(), bytes.size()); }
  std::string hex() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_DigestFinal_ex(ctx_.get(), digest, &n);
    std::string out;
    for (unsigned int i = 0; i < n; ++i) out += fmt::format("{:02x}", digest[i]);
    return out;
  }

 private:
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx_;
};

std::string file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw usage_error(fmt::format("{}: cannot read", path.string()));
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string sha256_of(const std::string& path) {
  content_hash h;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(path)) {
      if (e.is_regular_file()) files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      h.add(fs::relative(f, path).generic_string());
      h.add(std::string(1, '\0'));
      h.add(file_bytes(f));
    }
  } else {
    h.add(file_bytes(path));
  }
  return h.hex();
}

// "sm_90" or "gfx942" from a card's arch text ("Hopper (sm_90)", "CDNA 3 (gfx942)"): which
// metric formulas apply to a file that does not name its GPU.
std::string arch_target(const roofline::device_card* card) {
  if (card == nullptr) return "";
  static const std::regex target(R"(\b(sm_[0-9]+[a-z]?|gfx[0-9a-f]+)\b)");
  std::smatch m;
  return std::regex_search(card->arch, m, target) ? m[1].str() : "";
}

// The device kind and vendor a tool implies when no card says.
std::pair<std::string, std::string> tool_device(const std::string& tool) {
  if (tool == "ncu") return {"gpu", "NVIDIA"};
  if (tool == "rocprof" || tool == "rocprofv3" || tool == "rocprof-compute") return {"gpu", "AMD"};
  if (tool == "msprof") return {"npu", "Huawei"};
  return {"accelerator", ""};
}

// The catalog names 8-bit integer work "int8"; the metric files say "i8".
std::string catalog_precision(const std::string& precision) {
  return precision == "i8" ? "int8" : precision;
}

std::string dominant_precision(const profiler::work_model& w) {
  const profiler::flop_count* main = nullptr;
  for (const auto& f : w.flops) {
    if (main == nullptr || f.count > main->count) main = &f;
  }
  return main ? main->precision : "";
}

struct card_choice {
  const roofline::device_card* card = nullptr;
  std::string how;  // "--device", "device name 'NVIDIA H200' matches h200 (...)"
};

card_choice choose_card(const roofline::device_catalog& catalog, const std::string& device_option,
                        const std::string& device_name) {
  if (!device_option.empty()) return {catalog.find(device_option), "--device " + device_option};
  if (device_name.empty()) return {};
  const roofline::detection d = roofline::detect_gpu(catalog, device_name);
  return {d.card, d.reason};
}

}  // namespace

nlohmann::ordered_json to_json(const import_summary& summary) {
  nlohmann::ordered_json files = nlohmann::ordered_json::array();
  for (const auto& f : summary.files) {
    files.push_back({{"path", f.path},
                     {"format", f.format},
                     {"tool", f.tool},
                     {"launches", f.launches},
                     {"placeable", f.placeable},
                     {"already_imported", f.already_imported},
                     {"run_id", f.run_id ? nlohmann::ordered_json(*f.run_id) : nullptr},
                     {"card", f.card},
                     {"note", f.note},
                     {"error", f.error}});
  }
  return {{"schema", "ridgeline.import/1"}, {"files", files}};
}

std::vector<imported_measurement> to_measurements(const importers::imported_file& file,
                                                  const roofline::device_card* card) {
  const auto [kind, vendor] = tool_device(file.tool);
  const std::string variant = "imported:" + file.tool;
  const std::string imported_at = profiler::utc_now_iso8601();
  std::vector<imported_measurement> out;
  for (const auto& launch : file.launches) {
    imported_measurement row;
    storage::device_identity& d = row.device;
    d.kind = card ? roofline::to_string(card->kind) : kind;
    d.vendor = card ? card->vendor : vendor;
    d.name = !launch.device.empty() ? launch.device : card ? card->name : "unnamed device";
    d.arch = arch_target(card);
    d.backend = variant;
    d.host = launch.host;
    if (card) d.catalog_id = card->id;

    profiler::measurement& m = row.record;
    m.kernel = launch.kernel;
    m.variant = variant;
    m.backend = variant;
    m.work = launch.work;
    for (auto& f : m.work.flops) f.precision = catalog_precision(f.precision);
    m.dtype = dominant_precision(m.work);
    m.counts_source = file.tool;
    m.outcome = profiler::status::ok;
    m.reason = launch.unplaceable;
    if (launch.time_s) {
      profiler::timing_result t;
      t.samples = {*launch.time_s};
      t.summary = profiler::summarize(t.samples);
      t.stopped = profiler::stop_reason::application;
      t.timer = fmt::format("{}: the launch's duration as recorded in the file", file.tool);
      m.timing = t;
    } else if (m.reason.empty()) {
      m.reason = "the file states no time for this launch";
    }
    profiler::counted_work c;
    c.source = file.tool;
    c.replay = "imported";
    c.passes = 1;
    c.metrics_file = file.metrics_file;
    c.device_id = launch.device;
    c.work = m.work;
    c.time_s = launch.time_s;
    c.raw = launch.raw;
    m.counted = std::move(c);
    // Where the numbers came from, enough to find the row in the file again.
    m.provenance = {{"imported_at", imported_at},
                    {"tool", file.tool},
                    {"tool_version", file.tool_version},
                    {"format", file.format},
                    {"file", file.path},
                    {"line", std::to_string(launch.line)},
                    {"launch", launch.launch},
                    {"device_as_read", launch.device},
                    {"host_as_read", launch.host},
                    {"metrics_file", file.metrics_file},
                    {"card", card ? card->id : ""}};
    out.push_back(std::move(row));
  }
  return out;
}

import_summary import_results(storage::database& db, const roofline::device_catalog& catalog,
                              const import_request& request) {
  if (request.paths.empty()) throw usage_error("FILE: name at least one file or directory");
  const importers::import_format* forced = nullptr;
  if (request.format != "auto") {
    forced = importers::find_import_format(request.format);
    if (forced == nullptr) {
      std::string names = "auto";
      for (const auto& f : importers::import_formats()) names += ", " + f.name;
      throw usage_error(
          fmt::format("--format: '{}' is not a format (one of {})", request.format, names));
    }
  }
  if (!request.device.empty() && catalog.find(request.device) == nullptr) {
    throw usage_error(fmt::format("--device: no catalog card '{}'", request.device));
  }
  std::optional<std::regex> filter;
  if (!request.kernel_filter.empty()) {
    try {
      filter.emplace(request.kernel_filter, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      throw usage_error(fmt::format("--kernel-filter: '{}' is not a regular expression ({})",
                                    request.kernel_filter, e.what()));
    }
  }
  importers::read_context context;
  context.metrics_dir =
      request.metrics_dir.empty() ? profiler::counters::default_metrics_dir() : request.metrics_dir;
  const roofline::device_card* named =
      request.device.empty() ? nullptr : catalog.find(request.device);
  context.device_arch = arch_target(named);

  import_summary summary;
  for (const auto& path : request.paths) {
    file_import result;
    result.path = path;
    try {
      std::error_code ec;
      if (!fs::exists(path, ec))
        throw usage_error(fmt::format("{}: no such file or directory", path));
      const importers::import_format& format =
          forced ? *forced : importers::detect_import_format(path);
      importers::imported_file file = format.read(path, context);
      result.format = file.format;
      result.tool = file.tool;
      if (filter) {
        auto& l = file.launches;
        l.erase(std::remove_if(l.begin(), l.end(),
                               [&](const importers::imported_launch& x) {
                                 return !std::regex_search(x.kernel, *filter);
                               }),
                l.end());
      }
      // One card per device name in the file (a file may hold several GPUs).
      std::map<std::string, card_choice> cards;
      std::vector<storage::imported_row> rows;
      for (auto& launch : file.launches) {
        if (cards.count(launch.device) == 0) {
          // A launch on no named device could never be placed nor told apart from another
          // card's: refused, so a later import with --device is not taken for a duplicate.
          if (launch.device.empty() && request.device.empty()) {
            throw usage_error(fmt::format(
                "{}:{}: '{}': the file does not name the device it ran on: pass --device CARD "
                "(ridgeline devices lists the cards)",
                path, launch.line, launch.kernel));
          }
          cards[launch.device] = choose_card(catalog, request.device, launch.device);
        }
      }
      for (const auto& [name, choice] : cards) {
        importers::imported_file part = file;
        part.launches.clear();
        for (const auto& l : file.launches) {
          if (l.device == name) part.launches.push_back(l);
        }
        for (auto& m : to_measurements(part, choice.card)) {
          if (m.record.timing && !m.record.work.flops.empty() && !m.record.work.bytes.empty())
            ++result.placeable;
          rows.push_back({std::move(m.device), std::move(m.record)});
        }
        if (choice.card) {
          result.card += (result.card.empty() ? "" : ",") + choice.card->id;
        } else {
          result.note += (result.note.empty() ? "" : "; ") +
                         fmt::format(
                             "no catalog card matches '{}': stored without a card, so "
                             "without datasheet roofs (--device CARD)",
                             name);
        }
      }
      result.launches = rows.size();
      storage::import_record record;
      record.content_sha256 = sha256_of(path);
      record.device_option = request.device;
      record.path = fs::absolute(path).lexically_normal().string();
      record.format = file.format;
      record.tool = file.tool;
      record.tool_version = file.tool_version;
      const std::string command =
          request.command.empty() ? "ridgeline import " + path : request.command;
      result.run_id = db.record_import(rows, storage::run_info{command}, record);
      if (!result.run_id) {
        result.already_imported = true;
        result.launches = 0;
        result.placeable = 0;
      }
    } catch (const usage_error& e) {
      result.error = e.what();
    } catch (const runtime_error& e) {
      result.error = fmt::format("{}: {}", path, e.what());
    }
    summary.files.push_back(std::move(result));
  }
  return summary;
}

}  // namespace ridgeline::service

#include "nightly/fleet_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "core/error.hpp"
#include "core/xml_escape.hpp"
#include "nightly/history.hpp"
#include "nightly/report_text.hpp"

namespace ridgeline::nightly {

namespace fs = std::filesystem;

namespace {

std::optional<profiler::measurement> measurement_by_id(storage::database& db, std::int64_t id) {
  storage::measurement_filter f;
  f.id = id;
  f.include_unfinished = true;  // a re-measured previous best belongs to the nightly run itself
  auto rows = db.stored_measurements(f);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front().record);
}

// The latest complete nightly run of the job on this hardware type: latest start, then id.
std::optional<storage::nightly_run_record> latest_run(storage::database& db,
                                                      const std::string& hardware_type,
                                                      const std::string& job_name) {
  std::optional<storage::nightly_run_record> latest;
  for (auto& run : db.nightly_runs(hardware_type)) {
    if (run.status != storage::run_status::complete || run.setup.job_name != job_name) continue;
    if (!latest || run.started_at > latest->started_at ||
        (run.started_at == latest->started_at && run.run_id > latest->run_id)) {
      latest = std::move(run);
    }
  }
  return latest;
}

fleet_type read_type(storage::database& db, const std::string& name, const job& j,
                     const roofline::device_catalog& catalog) {
  fleet_type t;
  t.hardware_type = name;
  t.run = latest_run(db, name, j.name);
  if (!t.run) return t;
  t.report_html = t.run->report_path.value_or("");
  if (const auto dev = db.device(t.run->device_id)) {
    t.device = device_text(*dev);
    auto datasheet = db.roofs(*dev, profiler::roof_source::datasheet);
    if (!datasheet && dev->catalog_id) {
      if (const roofline::device_card* card = catalog.find(*dev->catalog_id)) {
        datasheet = roofline::datasheet_roofs(*card);
      }
    }
    if (datasheet) t.roofs.push_back(std::move(*datasheet));
    if (auto measured = db.roofs(*dev, profiler::roof_source::measured)) {
      t.roofs.push_back(std::move(*measured));
    }
  }
  return t;
}

fleet_cell read_cell(storage::database& db, const fleet_type& t, const std::string& key,
                     const std::vector<storage::nightly_entry_record>& entries,
                     const std::vector<storage::nightly_flag_record>& flags) {
  fleet_cell cell;
  if (!t.run) {
    cell.verdict = "no run";
    return cell;
  }
  const auto entry = std::find_if(entries.begin(), entries.end(),
                                  [&](const auto& e) { return e.entry_key == key; });
  if (entry == entries.end()) {
    cell.verdict = fmt::format("not in run {}", t.run->run_id);
    return cell;
  }
  if (const auto night = night_of(db, *t.run, *entry)) {
    cell.best = measurement_by_id(db, night->measurement_id);
  }
  std::string fired;
  for (const auto& f : flags) {
    if (f.entry_key != key) continue;
    fired += fmt::format("{}{} {:+.1f}%", fired.empty() ? "" : ", ", f.test, 100 * f.effect);
  }
  cell.regression = !fired.empty();
  if (!entry->checks_passed) {
    cell.verdict = "checks failed: " + entry->note;
  } else if (cell.regression) {
    cell.verdict = "REGRESSION (" + fired + ")";
  } else {
    cell.verdict = "ok";
  }
  return cell;
}

std::string gflops_text(const fleet_cell& c) {
  return c.best && c.best->outcome == profiler::status::ok ? fmt::format("{:.2f}", gflops(*c.best))
                                                           : "—";
}

std::string run_verdict_text(const fleet_type& t) {
  if (!t.run) return "no complete run";
  return t.run->verdict ? storage::to_string(*t.run->verdict) : "?";
}

// The type's report as a link target from DIR: relative when it lies under DIR (the Slurm layout,
// so the folder can be copied or served as a whole), else as stored.
std::string link_from(const std::string& dir, const std::string& target) {
  if (target.empty()) return "";
  std::error_code ec;
  const fs::path rel = fs::relative(fs::absolute(target, ec), fs::absolute(dir, ec), ec);
  if (ec || rel.empty() || *rel.begin() == "..") return target;
  return rel.string();
}

}  // namespace

fleet_view read_fleet(storage::database& db, const job& j,
                      const roofline::device_catalog& catalog) {
  fleet_view v;
  v.job_name = j.name;
  v.generated = utc_now();
  std::vector<std::string> names;
  for (const auto& t : j.hardware_types) {
    if (std::find(names.begin(), names.end(), t.name) == names.end()) names.push_back(t.name);
  }
  std::set<std::string> others;
  for (const auto& run : db.nightly_runs()) {
    if (run.status == storage::run_status::complete && run.setup.job_name == j.name &&
        std::find(names.begin(), names.end(), run.setup.hardware_type) == names.end()) {
      others.insert(run.setup.hardware_type);
    }
  }
  names.insert(names.end(), others.begin(), others.end());

  std::vector<std::vector<storage::nightly_entry_record>> entries;
  std::vector<std::vector<storage::nightly_flag_record>> flags;
  for (const std::string& name : names) {
    v.types.push_back(read_type(db, name, j, catalog));
    const auto& run = v.types.back().run;
    entries.push_back(run ? db.nightly_entries(run->run_id)
                          : std::vector<storage::nightly_entry_record>{});
    flags.push_back(run ? db.nightly_flags(run->run_id)
                        : std::vector<storage::nightly_flag_record>{});
  }
  for (const job_case& c : j.cases) {
    fleet_case fc;
    fc.key = c.key;
    for (std::size_t i = 0; i < v.types.size(); ++i) {
      fc.cells.push_back(read_cell(db, v.types[i], c.key, entries[i], flags[i]));
    }
    v.cases.push_back(std::move(fc));
  }
  return v;
}

std::string render_fleet_bars_svg(const fleet_view& v, const fleet_case& c) {
  const int width = 640, left = 150, right = 110, top = 30, row = 26, bottom = 34;
  const int height =
      top + row * static_cast<int>(std::max<std::size_t>(1, v.types.size())) + bottom;
  const double plot_w = width - left - right;
  double hi = 0;
  for (const fleet_cell& cell : c.cells) {
    if (cell.best && cell.best->outcome == profiler::status::ok) {
      hi = std::max(hi, gflops(*cell.best));
    }
  }
  hi = hi > 0 ? hi * 1.05 : 1;
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} "
      "{1}\" font-family=\"sans-serif\" font-size=\"11\">\n<rect width=\"{0}\" height=\"{1}\" "
      "fill=\"white\"/>\n<text x=\"8\" y=\"17\" font-size=\"12\" font-weight=\"bold\">{2}</text>\n",
      width, height, xml_escape(c.key));
  const int plot_bottom = top + row * static_cast<int>(v.types.size());
  for (int g = 0; g <= 4; ++g) {
    const double value = hi * g / 4;
    const double x = left + plot_w * g / 4;
    svg += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\" stroke=\"#e5e5e5\"/>\n<text "
        "x=\"{0:.1f}\" y=\"{3}\" text-anchor=\"middle\">{4:.3g}</text>\n",
        x, top, plot_bottom, plot_bottom + 13, value);
  }
  svg += fmt::format(
      "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">GFLOP/s (latest complete night of each "
      "hardware type)</text>\n",
      left + plot_w / 2, height - 6);
  for (std::size_t i = 0; i < v.types.size() && i < c.cells.size(); ++i) {
    const fleet_cell& cell = c.cells[i];
    const double y = top + row * static_cast<double>(i);
    svg += fmt::format("<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n", left - 6,
                       y + row / 2.0 + 4, xml_escape(v.types[i].hardware_type));
    if (!cell.best || cell.best->outcome != profiler::status::ok) {
      svg += fmt::format("<text x=\"{}\" y=\"{:.1f}\" fill=\"#888\">no result ({})</text>\n",
                         left + 4, y + row / 2.0 + 4, xml_escape(cell.verdict));
      continue;
    }
    const double value = gflops(*cell.best);
    const double w = std::max(1.0, plot_w * value / hi);
    const char* colour = cell.regression                    ? "#d62728"
                         : cell.verdict.rfind("ok", 0) == 0 ? "#1f77b4"
                                                            : "#999999";
    svg += fmt::format(
        "<rect x=\"{}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{}\" fill=\"{}\"><title>{}: {:.3g} "
        "GFLOP/s, {} ({})</title></rect>\n<text x=\"{:.1f}\" y=\"{:.1f}\">{:.3g}{}</text>\n",
        left, y + 4, w, row - 8, colour, xml_escape(v.types[i].hardware_type), value,
        xml_escape(cell.best->params_text()), xml_escape(cell.verdict), left + w + 4,
        y + row / 2.0 + 4, value, cell.regression ? " (regression)" : "");
  }
  svg += "</svg>\n";
  return svg;
}

report_paths write_fleet_report(const fleet_view& v, const std::string& dir) {
  const fs::path folder(dir);
  const fs::path assets = folder / "fleet";
  std::error_code ec;
  fs::create_directories(assets, ec);
  if (ec) {
    throw runtime_error(
        fmt::format("fleet report: cannot create {}: {}", assets.string(), ec.message()));
  }
  std::vector<std::string> charts;
  for (std::size_t i = 0; i < v.cases.size(); ++i) {
    charts.push_back(render_fleet_bars_svg(v, v.cases[i]));
    write_text_file((assets / fmt::format("case-{}.svg", i + 1)).string(), charts.back());
  }
  std::vector<std::string> links;
  for (const fleet_type& t : v.types) links.push_back(link_from(dir, t.report_html));

  // --- Markdown.
  std::string md =
      fmt::format("# Fleet report: `{}` — {} hardware type{}\n\n- Generated: {}\n", v.job_name,
                  v.types.size(), v.types.size() == 1 ? "" : "s", v.generated);
  md +=
      "\n## Hardware types\n\n| hardware type | run id (this database) | started | device | "
      "software | "
      "verdict | report |\n|---|---|---|---|---|---|---|\n";
  for (std::size_t i = 0; i < v.types.size(); ++i) {
    const fleet_type& t = v.types[i];
    md += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", t.hardware_type,
                      t.run ? std::to_string(t.run->run_id) : "—", t.run ? t.run->started_at : "—",
                      t.device.empty() ? "—" : t.device,
                      t.run ? "`" + t.run->setup.software_key + "`" : "—", run_verdict_text(t),
                      links[i].empty() ? "—" : fmt::format("[{0}]({0})", links[i]));
  }
  md += "\n## Cases\n";
  for (std::size_t ci = 0; ci < v.cases.size(); ++ci) {
    const fleet_case& c = v.cases[ci];
    md += fmt::format(
        "\n### {}\n\n| hardware type | best | GFLOP/s | % of attainable | configuration | "
        "verdict | report |\n|---|---|---|---|---|---|---|\n",
        c.key);
    for (std::size_t i = 0; i < v.types.size(); ++i) {
      const fleet_cell& cell = c.cells[i];
      md += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", v.types[i].hardware_type,
                        seconds_text(cell.best), gflops_text(cell),
                        attainable_text(cell.best, v.types[i].roofs),
                        cell.best ? "`" + cell.best->params_text() + "`" : "—", cell.verdict,
                        links[i].empty() ? "—" : fmt::format("[report]({})", links[i]));
    }
    md += fmt::format("\n![{}](fleet/case-{}.svg)\n", c.key, ci + 1);
  }

  // --- HTML: the same, SVGs inline.
  std::string html = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Fleet report: {} "
      "</title>\n<style>body{{font-family:sans-serif;margin:24px;max-width:1200px}}"
      "table{{border-collapse:collapse;font-size:13px;margin-bottom:10px}}td,th{{border:1px solid "
      "#ccc;padding:4px 6px;text-align:left;vertical-align:top}}th{{background:#f3f3f3}}"
      ".regression{{background:#f2dede}}.failed{{background:#eee}}code{{font-size:12px}}"
      "</style></head><body>\n<h1>Fleet report: <code>{}</code> — {} hardware type{}</h1>\n"
      "<p>Generated {}. Per hardware type, its latest complete nightly run.</p>\n",
      xml_escape(v.job_name), xml_escape(v.job_name), v.types.size(),
      v.types.size() == 1 ? "" : "s", xml_escape(v.generated));
  html +=
      "<h2>Hardware types</h2>\n<table><tr><th>hardware type</th><th>run id (this "
      "database)</th><th>started"
      "</th><th>device</th><th>software</th><th>verdict</th><th>report</th></tr>\n";
  for (std::size_t i = 0; i < v.types.size(); ++i) {
    const fleet_type& t = v.types[i];
    const std::string verdict = run_verdict_text(t);
    html += fmt::format(
        "<tr{}><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td>"
        "<td>{}</td></tr>\n",
        verdict == "pass" ? "" : " class=\"regression\"", xml_escape(t.hardware_type),
        t.run ? std::to_string(t.run->run_id) : "—", t.run ? xml_escape(t.run->started_at) : "—",
        t.device.empty() ? "—" : xml_escape(t.device),
        t.run ? xml_escape(t.run->setup.software_key) : "—", xml_escape(verdict),
        links[i].empty() ? "—" : fmt::format("<a href=\"{0}\">{0}</a>", xml_escape(links[i])));
  }
  html += "</table>\n<h2>Cases</h2>\n";
  for (std::size_t ci = 0; ci < v.cases.size(); ++ci) {
    const fleet_case& c = v.cases[ci];
    html += fmt::format(
        "<h3>{}</h3>\n<table><tr><th>hardware type</th><th>best</th><th>GFLOP/s</th><th>% of "
        "attainable</th><th>configuration</th><th>verdict</th><th>report</th></tr>\n",
        xml_escape(c.key));
    for (std::size_t i = 0; i < v.types.size(); ++i) {
      const fleet_cell& cell = c.cells[i];
      const char* css = cell.regression        ? " class=\"regression\""
                        : cell.verdict == "ok" ? ""
                                               : " class=\"failed\"";
      html += fmt::format(
          "<tr{}><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td>"
          "<td>{}</td></tr>\n",
          css, xml_escape(v.types[i].hardware_type), seconds_text(cell.best), gflops_text(cell),
          xml_escape(attainable_text(cell.best, v.types[i].roofs)),
          cell.best ? xml_escape(cell.best->params_text()) : "—", xml_escape(cell.verdict),
          links[i].empty() ? "—" : fmt::format("<a href=\"{}\">report</a>", xml_escape(links[i])));
    }
    html += "</table>\n" + charts[ci];
  }
  html += "</body></html>\n";

  report_paths paths{(folder / "fleet.md").string(), (folder / "fleet.html").string()};
  write_text_file(paths.markdown, md);
  write_text_file(paths.html, html);
  return paths;
}

}  // namespace ridgeline::nightly

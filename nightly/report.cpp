#include "nightly/report.hpp"

#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/xml_escape.hpp"
#include "nightly/history_chart.hpp"
#include "nightly/report_text.hpp"
#include "profiler/placement.hpp"
#include "roofline/chart.hpp"

namespace ridgeline::nightly {

namespace fs = std::filesystem;

namespace {

struct row {
  std::string key, best, gflop, attainable, params, default_time, speedup, previous, status;
};

std::vector<row> table_rows(const report_input& in) {
  std::vector<row> rows;
  for (const case_result& c : in.outcome.cases) {
    row r;
    r.key = c.entry.entry_key;
    r.best = seconds_text(c.best);
    r.gflop = c.best && c.best->outcome == profiler::status::ok
                  ? fmt::format("{:.2f}", gflops(*c.best))
                  : "—";
    r.attainable = attainable_text(c.best, in.roofs);
    r.params = c.best ? c.best->params_text() : "—";
    r.default_time = seconds_text(c.default_config);
    r.speedup = c.best && c.default_config && c.default_config->timing && c.best->timing
                    ? fmt::format("{:.2f}x", c.default_config->timing->summary.median /
                                                 c.best->timing->summary.median)
                    : "—";
    r.previous = c.previous_best
                     ? seconds_text(c.previous_best) + " (" + c.previous_best->params_text() + ")"
                     : "— (no good night before)";
    r.status = c.entry.checks_passed ? "ok" : "checks failed: " + c.entry.note;
    rows.push_back(std::move(r));
  }
  return rows;
}

// Escaped, with a line-break opportunity after each comma: configurations are long "a=1,b=2,..."
// lists that would otherwise stretch the table past the page.
std::string breakable(const std::string& text) {
  std::string out;
  for (char c : xml_escape(text)) {
    out += c;
    if (c == ',') out += "<wbr>";
  }
  return out;
}

std::string verdict_text(storage::nightly_verdict v, std::size_t flags) {
  switch (v) {
    case storage::nightly_verdict::regression:
      return fmt::format("REGRESSION ({} flag{})", flags, flags == 1 ? "" : "s");
    case storage::nightly_verdict::checks_failed:
      return "CHECKS FAILED (nothing of this run feeds wisdom)";
    case storage::nightly_verdict::pass:
      return "pass";
  }
  return "?";
}

std::vector<roofline::chart_point> chart_points(const report_input& in) {
  std::vector<roofline::chart_point> points;
  for (const case_result& c : in.outcome.cases) {
    if (!c.best || c.best->outcome != profiler::status::ok) continue;
    const profiler::derived_metrics d = profiler::derive(*c.best);
    roofline::chart_point p{c.best->kernel, c.best->variant, c.entry.entry_key,
                            d.arithmetic_intensity, d.flop_per_s};
    for (const auto& roofs : in.roofs) {
      const profiler::placement pl = profiler::place(*c.best, roofs);
      if (pl.roof_below_achieved) {
        p.roof_below_achieved +=
            (p.roof_below_achieved.empty() ? "" : "; ") + pl.roof_below_achieved_reason;
      }
    }
    points.push_back(std::move(p));
  }
  return points;
}

}  // namespace

report_paths write_report(const report_input& in, const std::string& dir) {
  const nightly_outcome& out = in.outcome;
  const fs::path folder = fs::path(dir) / folder_name(out.hardware_type);
  const std::string stem = fmt::format("run-{}", out.run_id);
  const fs::path assets = folder / stem;
  std::error_code ec;
  fs::create_directories(assets, ec);
  if (ec) {
    throw runtime_error(
        fmt::format("nightly report: cannot create {}: {}", assets.string(), ec.message()));
  }

  // --- The pictures: one history per case, one roofline of tonight's best points.
  history_chart_options hopt;
  hopt.max_p_value = in.the_job.regression.max_p_value;
  std::vector<std::pair<std::string, std::string>> histories;  // key, svg
  for (const case_result& c : out.cases) {
    const auto it = in.histories.find(c.entry.entry_key);
    const std::vector<night_point> none;
    const std::string svg =
        render_history_svg(c.entry.entry_key, it == in.histories.end() ? none : it->second, hopt);
    histories.emplace_back(c.entry.entry_key, svg);
    write_text_file(assets / fmt::format("history-{}.svg", histories.size()), svg);
  }
  roofline::chart_options copt;
  copt.title = fmt::format("{} — nightly run {}", out.hardware_type, out.run_id);
  const std::string roofline_svg = render_svg(in.roofs, chart_points(in), copt);
  write_text_file(assets / "roofline.svg", roofline_svg);

  const std::vector<row> rows = table_rows(in);
  const nlohmann::json software = nlohmann::json::parse(in.software_json);
  const std::string generated = utc_now();
  const std::string previous =
      in.previous_report ? fs::relative(fs::path(*in.previous_report), folder, ec).string()
                         : std::string();

  // --- Markdown.
  std::string md =
      fmt::format("# Nightly `{}` on {} — run {}\n\n**Verdict: {}**\n\n", in.the_job.name,
                  out.hardware_type, out.run_id, verdict_text(out.verdict, out.flags.size()));
  md += fmt::format("- Device: {}\n- Generated: {}\n", device_text(in.device), generated);
  for (const auto& [name, value] : software.items()) {
    md += fmt::format("- {}: {}\n", name, value.get<std::string>());
  }
  if (!previous.empty()) md += fmt::format("- Previous report: [{0}]({0})\n", previous);
  md += "\n## Regressions\n\n";
  if (out.flags.empty()) md += "None.\n";
  for (const auto& f : out.flags) {
    md +=
        fmt::format("- **{}** — {} (effect {:+.1f}%{}): {}\n", f.entry_key, f.test, 100 * f.effect,
                    f.p_value ? fmt::format(", p = {:.2g}", *f.p_value) : "", f.message);
  }
  md += "\n## Failed checks\n\n";
  bool any_failed = false;
  for (const case_result& c : out.cases) {
    if (c.entry.checks_passed) continue;
    any_failed = true;
    md += fmt::format("- **{}**: {}\n", c.entry.entry_key, c.entry.note);
  }
  if (!any_failed) md += "None.\n";
  md +=
      "\n## Best configurations\n\n| case | best | GFLOP/s | % of attainable | configuration | "
      "default | best vs default | last good best, re-measured | status |\n|---|---|---|---|"
      "---|---|---|---|---|\n";
  for (const row& r : rows) {
    md += fmt::format("| {} | {} | {} | {} | `{}` | {} | {} | {} | {} |\n", r.key, r.best, r.gflop,
                      r.attainable, r.params, r.default_time, r.speedup, r.previous, r.status);
  }
  md += "\n## History\n\n";
  for (std::size_t i = 0; i < histories.size(); ++i) {
    md += fmt::format("![{}]({}/history-{}.svg)\n\n", histories[i].first, stem, i + 1);
  }
  md += fmt::format("## Roofline\n\n![roofline]({}/roofline.svg)\n", stem);

  // --- HTML: the same, SVGs inline so the page is one file to open or mail.
  std::string html = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Nightly {} on {} "
      "— run {}</title>\n<style>body{{font-family:sans-serif;margin:24px;max-width:1200px}}"
      "table{{border-collapse:collapse;font-size:13px}}td,th{{border:1px solid #ccc;padding:4px "
      "6px;text-align:left;vertical-align:top}}th{{background:#f3f3f3}}.verdict{{font-size:20px;"
      "font-weight:bold;padding:8px 12px;display:inline-block}}.pass{{background:#dff0d8}}"
      ".regression,.checks_failed{{background:#f2dede}}.flag{{border-left:4px solid #d62728;"
      "padding:4px 10px;margin:8px 0;background:#fff5f5}}code{{font-size:12px}}h1 "
      "code{{font-size:inherit}}"
      ".histories{{display:flex;flex-wrap:wrap;gap:12px}}</style></head><body>\n",
      xml_escape(in.the_job.name), xml_escape(out.hardware_type), out.run_id);
  html += fmt::format("<h1>Nightly <code>{}</code> on {} — run {}</h1>\n",
                      xml_escape(in.the_job.name), xml_escape(out.hardware_type), out.run_id);
  html += fmt::format("<div class=\"verdict {}\">{}</div>\n", storage::to_string(out.verdict),
                      xml_escape(verdict_text(out.verdict, out.flags.size())));
  html += "<h2>Regressions</h2>\n";
  if (out.flags.empty()) html += "<p>None.</p>\n";
  for (const auto& f : out.flags) {
    html += fmt::format("<div class=\"flag\"><b>{}</b> — {} (effect {:+.1f}%{})<br>{}</div>\n",
                        xml_escape(f.entry_key), f.test, 100 * f.effect,
                        f.p_value ? fmt::format(", p = {:.2g}", *f.p_value) : "",
                        xml_escape(f.message));
  }
  html += "<h2>Failed checks</h2>\n";
  if (!any_failed) html += "<p>None.</p>\n";
  for (const case_result& c : out.cases) {
    if (c.entry.checks_passed) continue;
    html += fmt::format("<div class=\"flag\"><b>{}</b>: {}</div>\n", xml_escape(c.entry.entry_key),
                        xml_escape(c.entry.note));
  }
  html +=
      "<h2>Best configurations</h2>\n<table><tr><th>case</th><th>best</th><th>GFLOP/s</th>"
      "<th>% of attainable</th><th>configuration</th><th>default</th><th>best vs "
      "default</th><th>last good best, re-measured</th><th>status</th></tr>\n";
  for (const row& r : rows) {
    html += fmt::format(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td>"
        "<td>{}</td><td>{}</td><td>{}</td></tr>\n",
        xml_escape(r.key), r.best, r.gflop, xml_escape(r.attainable), breakable(r.params),
        r.default_time, r.speedup, breakable(r.previous), xml_escape(r.status));
  }
  html += "</table>\n<h2>History</h2>\n<div class=\"histories\">\n";
  for (const auto& h : histories) html += h.second;
  html += "</div>\n<h2>Roofline</h2>\n" + roofline_svg;
  html += "<h2>Run</h2>\n<ul>\n";
  html += fmt::format("<li>Device: {}</li>\n<li>Generated: {}</li>\n",
                      xml_escape(device_text(in.device)), generated);
  for (const auto& [name, value] : software.items()) {
    html +=
        fmt::format("<li>{}: {}</li>\n", xml_escape(name), xml_escape(value.get<std::string>()));
  }
  if (!previous.empty()) {
    html +=
        fmt::format("<li><a href=\"{0}\">Previous report: {0}</a></li>\n", xml_escape(previous));
  }
  html += "</ul>\n</body></html>\n";

  report_paths paths{(folder / (stem + ".md")).string(), (folder / (stem + ".html")).string()};
  write_text_file(paths.markdown, md);
  write_text_file(paths.html, html);
  return paths;
}

}  // namespace ridgeline::nightly

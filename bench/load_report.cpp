// Turns merged recorders and server samples into the table, the JSON line and run.sh's summary.
#include "bench/load_report.hpp"

#include <boost/json.hpp>
#include <iomanip>
#include <sstream>

namespace anquanli::bench {

namespace json = boost::json;

namespace {

// A rate over the window; 0 for an empty window.
double per_second(std::uint64_t count, double seconds) {
  return seconds > 0 ? static_cast<double>(count) / seconds : 0.0;
}

// The writer's average group size over the window; 0 without /metrics.
double jobs_per_commit(const run_report& report) {
  if (!report.writer_before.valid || !report.writer_after.valid) {
    return 0;
  }
  const auto commits = report.writer_after.commits - report.writer_before.commits;
  const auto jobs = report.writer_after.jobs - report.writer_before.jobs;
  return commits == 0 ? 0.0 : static_cast<double>(jobs) / static_cast<double>(commits);
}

// Answers made durable per fsync over the window; 0 without /metrics.
double answers_per_commit(const run_report& report) {
  if (!report.writer_before.valid || !report.writer_after.valid) {
    return 0;
  }
  const auto commits = report.writer_after.commits - report.writer_before.commits;
  const auto answers = report.writer_after.answers - report.writer_before.answers;
  return commits == 0 ? 0.0 : static_cast<double>(answers) / static_cast<double>(commits);
}

// Server CPU per request over the measurement window; 0 without --server-pid.
double cpu_us_per_request(const run_report& report) {
  std::uint64_t measured = 0;
  for (const auto& [route, stats] : report.totals.routes) {
    measured += stats.latency.count();
  }
  if (!report.server_before.valid || !report.server_after.valid || measured == 0) {
    return 0;
  }
  const double cpu = report.server_after.cpu_seconds - report.server_before.cpu_seconds;
  return cpu * 1e6 / static_cast<double>(measured);
}

// "200:1234 409:5 conn:1".
std::string statuses_text(const route_stats& stats) {
  std::ostringstream out;
  for (const auto& [status, count] : stats.statuses) {
    out << (out.tellp() > 0 ? " " : "")
        << (status == 0 ? std::string{"conn"} : std::to_string(status)) << ':' << count;
  }
  return out.str();
}

}  // namespace

void recorder::record(const std::string& route, unsigned status, std::uint64_t micros,
                      bool unexpected, bool measured, std::uint64_t deadline_micros) {
  ++requests_all;
  if (unexpected) {
    ++unexpected_all;
    ++unexpected_by[route + " → " +
                    (status == 0 ? std::string{"connection error"} : std::to_string(status))];
  }
  if (!measured) {
    return;
  }
  served_in_time += !unexpected && status != 503 && micros <= deadline_micros ? 1 : 0;
  refused += status == 503 ? 1 : 0;
  // Refusals get their own latency row: how fast the excess is turned away is a result in itself.
  route_stats& stats = routes[status == 503 ? route + " (503)" : route];
  stats.latency.record(micros);
  ++stats.statuses[status];
  stats.unexpected += unexpected ? 1 : 0;
}

void recorder::merge(const recorder& other) {
  for (const auto& [route, theirs] : other.routes) {
    route_stats& mine = routes[route];
    mine.latency.merge(theirs.latency);
    for (const auto& [status, count] : theirs.statuses) {
      mine.statuses[status] += count;
    }
    mine.unexpected += theirs.unexpected;
  }
  challenges += other.challenges;
  challenges_in_time += other.challenges_in_time;
  answers += other.answers;
  served_in_time += other.served_in_time;
  refused += other.refused;
  requests_all += other.requests_all;
  unexpected_all += other.unexpected_all;
  for (const auto& [what, count] : other.unexpected_by) {
    unexpected_by[what] += count;
  }
}

void print_table(std::ostream& out, const run_report& report) {
  out << report.mode << " against " << report.target << ": " << report.connections
      << " connection(s), " << report.threads << " thread(s), " << std::fixed
      << std::setprecision(1) << report.seconds << " s measured\n";
  out << std::left << std::setw(44) << "route" << std::right << std::setw(10) << "req/s"
      << std::setw(9) << "p50 µs" << std::setw(9) << "p90 µs" << std::setw(9) << "p99 µs"
      << std::setw(10) << "p99.9 µs"
      << "  statuses\n";
  for (const auto& [route, stats] : report.totals.routes) {
    const auto& latency = stats.latency;
    out << std::left << std::setw(44) << route << std::right << std::setw(10)
        << std::setprecision(0) << per_second(latency.count(), report.seconds) << std::setw(9)
        << latency.percentile(50) << std::setw(9) << latency.percentile(90) << std::setw(9)
        << latency.percentile(99) << std::setw(10) << latency.percentile(99.9) << "  "
        << statuses_text(stats) << (stats.unexpected > 0 ? "  UNEXPECTED " : "")
        << (stats.unexpected > 0 ? std::to_string(stats.unexpected) : "") << '\n';
  }
  out << std::setprecision(1);
  if (report.mode == "mixed") {
    out << "challenges/s " << per_second(report.totals.challenges, report.seconds) << " (in time "
        << per_second(report.totals.challenges_in_time, report.seconds) << "), answers/s "
        << per_second(report.totals.answers, report.seconds) << ", writer jobs/commit "
        << jobs_per_commit(report) << ", answers/commit " << answers_per_commit(report)
        << (report.tokens_exhausted ? ", TOKENS EXHAUSTED" : "") << '\n';
  }
  if (report.totals.refused > 0) {
    out << "served in time/s " << per_second(report.totals.served_in_time, report.seconds)
        << ", refused (503)/s " << per_second(report.totals.refused, report.seconds) << '\n';
  }
  if (report.server_after.valid) {
    out << "server: " << cpu_us_per_request(report) << " CPU µs/request, peak RSS "
        << report.server_after.peak_rss_kib / 1024 << " MiB (" << report.server_after.processes
        << " process(es))\n";
  }
  out << "unexpected replies: " << report.totals.unexpected_all << '\n';
  for (const auto& [what, count] : report.totals.unexpected_by) {
    out << "  " << what << ": " << count << '\n';
  }
}

std::string json_line(const run_report& report) {
  json::array routes;
  for (const auto& [route, stats] : report.totals.routes) {
    json::object statuses;
    for (const auto& [status, count] : stats.statuses) {
      statuses[status == 0 ? std::string{"connection_error"} : std::to_string(status)] = count;
    }
    const auto& latency = stats.latency;
    routes.push_back(json::object{{"route", route},
                                  {"requests", latency.count()},
                                  {"rps", per_second(latency.count(), report.seconds)},
                                  {"p50_us", latency.percentile(50)},
                                  {"p90_us", latency.percentile(90)},
                                  {"p99_us", latency.percentile(99)},
                                  {"p999_us", latency.percentile(99.9)},
                                  {"max_us", latency.max()},
                                  {"statuses", std::move(statuses)},
                                  {"unexpected", stats.unexpected}});
  }
  return json::serialize(json::object{
      {"mode", report.mode},
      {"target", report.target},
      {"connections", report.connections},
      {"threads", report.threads},
      {"seconds", report.seconds},
      {"routes", std::move(routes)},
      {"challenges_per_s", per_second(report.totals.challenges, report.seconds)},
      {"challenges_in_time_per_s", per_second(report.totals.challenges_in_time, report.seconds)},
      {"answers_per_s", per_second(report.totals.answers, report.seconds)},
      {"writer_jobs_per_commit", jobs_per_commit(report)},
      {"answers_per_commit", answers_per_commit(report)},
      {"server_cpu_us_per_request", cpu_us_per_request(report)},
      {"server_peak_rss_kib", report.server_after.peak_rss_kib},
      {"tokens_exhausted", report.tokens_exhausted},
      {"unexpected", report.totals.unexpected_all}});
}

std::string summary_tsv(const run_report& report) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(1);
  // Unexpected replies count whenever they came, warm-up included: a route may have only those.
  std::map<std::string, std::uint64_t> unexpected;
  for (const auto& [what, count] : report.totals.unexpected_by) {
    unexpected[what.substr(0, what.find(" → "))] += count;
  }
  for (const auto& [route, stats] : report.totals.routes) {
    unexpected.try_emplace(route, 0);
  }
  for (const auto& [route, count] : unexpected) {
    const auto found = report.totals.routes.find(route);
    const route_stats empty;
    const route_stats& stats = found == report.totals.routes.end() ? empty : found->second;
    out << route << '\t' << per_second(stats.latency.count(), report.seconds) << '\t'
        << stats.latency.percentile(50) << '\t' << stats.latency.percentile(99) << '\t' << count
        << '\t' << stats.latency.max() << '\n';
  }
  const auto line = [&out](std::string_view name, double value) {
    out << name << '\t' << value << "\t0\t0\t0\n";
  };
  line("challenges/s", per_second(report.totals.challenges, report.seconds));
  line("challenges_in_time/s", per_second(report.totals.challenges_in_time, report.seconds));
  line("answers/s", per_second(report.totals.answers, report.seconds));
  line("served_in_time/s", per_second(report.totals.served_in_time, report.seconds));
  line("refused/s", per_second(report.totals.refused, report.seconds));
  line("jobs/commit", jobs_per_commit(report));
  line("answers/commit", answers_per_commit(report));
  line("cpu_us/request", cpu_us_per_request(report));
  line("peak_rss_kib", static_cast<double>(report.server_after.peak_rss_kib));
  line("open_connections_at_end", static_cast<double>(report.writer_after.open_connections));
  return out.str();
}

}  // namespace anquanli::bench

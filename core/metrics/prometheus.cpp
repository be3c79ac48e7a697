#include "prometheus.hpp"

#include <cmath>
#include <cstdio>

namespace frontdesk::metrics {
namespace {

std::string_view kind_name(Kind kind) {
  switch (kind) {
    case Kind::counter: return "counter";
    case Kind::gauge: return "gauge";
    case Kind::histogram: return "histogram";
  }
  return "untyped";
}

// Counts print as integers; the rest with enough digits to read back the same double.
std::string number(double value) {
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (std::isnan(value)) return "NaN";
  char text[32];
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    std::snprintf(text, sizeof text, "%.0f", value);
  } else {
    std::snprintf(text, sizeof text, "%.17g", value);
  }
  return text;
}

// Label values escape backslash, double quote and newline; HELP text all but the quote.
void append_escaped(std::string& out, std::string_view text, bool quote) {
  for (const char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"' && quote) {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

}  // namespace

void add_histogram(Family& family, const std::vector<Label>& labels, std::span<const double> bounds,
                   std::span<const double> cumulative, double count, double sum) {
  for (std::size_t i = 0; i < bounds.size() && i < cumulative.size(); ++i) {
    auto with_le = labels;
    with_le.push_back({"le", number(bounds[i])});
    family.samples.push_back({"_bucket", std::move(with_le), cumulative[i]});
  }
  auto with_inf = labels;
  with_inf.push_back({"le", "+Inf"});
  family.samples.push_back({"_bucket", std::move(with_inf), count});
  family.samples.push_back({"_sum", labels, sum});
  family.samples.push_back({"_count", labels, count});
}

std::string render(std::span<const Family> families) {
  std::string out;
  for (const auto& family : families) {
    out.append("# HELP ").append(family.name).append(" ");
    append_escaped(out, family.help, false);
    out.append("\n# TYPE ").append(family.name).append(" ").append(kind_name(family.kind)).append("\n");
    for (const auto& sample : family.samples) {
      out.append(family.name).append(sample.suffix);
      if (!sample.labels.empty()) {
        out += '{';
        for (std::size_t i = 0; i < sample.labels.size(); ++i) {
          if (i) out += ',';
          out.append(sample.labels[i].name).append("=\"");
          append_escaped(out, sample.labels[i].value, true);
          out += '"';
        }
        out += '}';
      }
      out.append(" ").append(number(sample.value)).append("\n");
    }
  }
  return out;
}

}  // namespace frontdesk::metrics

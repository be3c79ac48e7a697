#include "prometheus.hpp"

#include <cmath>
#include <string>

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

// Counts print as integers; the rest with six decimals at most (durations to the
// microsecond), trailing zeros dropped. to_chars for doubles is missing from the Emscripten
// build's libc++.
std::string number(double value) {
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (std::isnan(value)) return "NaN";
  constexpr long long micro = 1'000'000;
  if (value == std::floor(value) || std::fabs(value) >= 1e12) return std::to_string(std::llround(value));
  const auto scaled = std::llround(value * static_cast<double>(micro));
  const auto magnitude = scaled < 0 ? -scaled : scaled;
  std::string fraction = std::to_string(magnitude % micro);
  fraction.insert(0, 6 - fraction.size(), '0');
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  std::string text = scaled < 0 ? "-" : "";
  text += std::to_string(magnitude / micro);
  if (!fraction.empty()) text.append(".").append(fraction);
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

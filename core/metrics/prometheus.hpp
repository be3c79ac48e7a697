#pragma once
// The Prometheus text exposition format (version 0.0.4): metric families rendered with
// their HELP and TYPE lines, label values escaped.
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace frontdesk::metrics {

inline constexpr std::string_view content_type = "text/plain; version=0.0.4; charset=utf-8";

enum class Kind { counter, gauge, histogram };

struct Label {
  std::string name;
  std::string value;
};

struct Sample {
  std::string suffix;  // "" or, in a histogram, "_bucket", "_sum", "_count"
  std::vector<Label> labels;
  double value = 0;
};

struct Family {
  std::string name;
  std::string help;
  Kind kind = Kind::counter;
  std::vector<Sample> samples;
};

// A histogram's samples from cumulative bucket counts: one "_bucket" per bound plus +Inf,
// then "_sum" and "_count". bounds and cumulative have the same size.
void add_histogram(Family& family, const std::vector<Label>& labels, std::span<const double> bounds,
                   std::span<const double> cumulative, double count, double sum);

std::string render(std::span<const Family> families);

}  // namespace frontdesk::metrics

#include "notifier/alert.h"

#include <algorithm>

namespace cerniq::notifier {

void AddExternalLabels(LabelSet& labels, const LabelSet& external) {
  for (const auto& [name, value] : external) {
    auto it =
        std::lower_bound(labels.begin(), labels.end(), name,
                         [](const auto& label, const std::string& n) { return label.first < n; });
    if (it != labels.end() && it->first == name) {
      if (it->second.empty()) it->second = value;
      continue;
    }
    labels.insert(it, {name, value});
  }
}

}  // namespace cerniq::notifier

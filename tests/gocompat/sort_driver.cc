// The C++ side of the sort.Slice differential test: same input and output as sort_oracle.go.
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "gocompat/sort.h"

namespace {

struct Item {
  long key;
  int pos;
};

}  // namespace

int main() {
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream words(line);
    std::string op;
    words >> op;
    std::vector<Item> items;
    for (long key; words >> key;) items.push_back({key, static_cast<int>(items.size())});
    if (op == "<=") {
      cerniq::gocompat::SortSlice(items,
                                  [](const Item& a, const Item& b) { return a.key <= b.key; });
    } else {
      cerniq::gocompat::SortSlice(items,
                                  [](const Item& a, const Item& b) { return a.key < b.key; });
    }
    for (size_t i = 0; i < items.size(); ++i) std::cout << (i ? " " : "") << items[i].pos;
    std::cout << '\n';
  }
}

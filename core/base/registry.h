#pragma once
// A name → constructor table. Balancers and caches each have one; adding a policy adds one
// line to its table. Unknown names get an error that lists the known ones.
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace loadlab {

template <class Product, class Options>
class Registry {
 public:
  struct Entry {
    std::string name;
    std::string summary;  // one sentence for --help and the GUI
    std::function<std::unique_ptr<Product>(const Options&)> make;
  };

  Registry(std::string kind, std::vector<Entry> entries) : kind_(std::move(kind)), entries_(std::move(entries)) {}

  const std::vector<Entry>& entries() const { return entries_; }

  bool contains(std::string_view name) const { return find(name) != nullptr; }

  std::string names() const {
    std::string out;
    for (const auto& e : entries_) out += (out.empty() ? "" : ", ") + e.name;
    return out;
  }

  std::unique_ptr<Product> make(std::string_view name, const Options& options) const {
    if (const Entry* e = find(name)) return e->make(options);
    throw std::invalid_argument("unknown " + kind_ + " '" + std::string(name) + "' (known: " + names() + ")");
  }

 private:
  const Entry* find(std::string_view name) const {
    for (const auto& e : entries_)
      if (e.name == name) return &e;
    return nullptr;
  }

  std::string kind_;
  std::vector<Entry> entries_;
};

}  // namespace loadlab

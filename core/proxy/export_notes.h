#pragma once
// What a config writer could not say exactly, collected while it writes. One object per
// export, so strict and best-effort exports share every mapping decision.
#include <string>
#include <vector>

#include "proxy/proxy_config.h"

namespace loadlab {

class ExportNotes {
 public:
  ExportNotes(std::string product, bool best_effort) : product_(std::move(product)), best_effort_(best_effort) {}

  // The product cannot express `setting`: an error, or with best_effort a note saying what
  // the file does instead (`fallback`).
  void unsupported(const std::string& setting, const std::string& problem, const std::string& fallback) {
    if (!best_effort_)
      throw ProxyExportError(setting, problem + " (--best-effort writes " + fallback + " and says so in the file)");
    notes_.push_back("NOT EXPRESSED " + setting + ": " + problem + "; written as " + fallback);
  }
  // Expressed, but the product's behaviour differs in a detail worth knowing.
  void note(const std::string& text) { notes_.push_back(text); }

  const std::string& product() const { return product_; }
  bool best_effort() const { return best_effort_; }
  const std::vector<std::string>& notes() const { return notes_; }

 private:
  std::string product_;
  bool best_effort_;
  std::vector<std::string> notes_;
};

}  // namespace loadlab

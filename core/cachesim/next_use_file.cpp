#include "cachesim/next_use_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <unordered_map>

#include "cachesim/trace_reader.h"

namespace loadlab {

NextUseFile::NextUseFile(TraceReader& reader) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "loadlab-next-use-XXXXXX").string();
  fd_ = mkstemp(tmpl.data());
  if (fd_ < 0) throw std::runtime_error(fmt::format("cannot create a temporary file in {}: {}", tmpl, strerror(errno)));
  path_ = tmpl;
  unlink(tmpl.c_str());  // gone with the process, whatever happens
  try {
    map(1 << 20);
    std::unordered_map<std::uint64_t, std::uint64_t> last;  // key → index of its latest request
    TraceBatch batch;
    while (reader.read(batch, 1 << 16)) {
      if (requests_ + batch.size() > mapped_) map(std::max(2 * mapped_, requests_ + batch.size()));
      for (std::uint64_t k : batch.keys) {
        auto [it, inserted] = last.try_emplace(k, requests_);
        if (!inserted) {
          data_[it->second] = requests_;
          it->second = requests_;
        }
        data_[requests_++] = kNever;
      }
    }
  } catch (...) {
    release();
    throw;
  }
}

NextUseFile::~NextUseFile() { release(); }

void NextUseFile::release() {
  if (data_) munmap(data_, mapped_ * sizeof(std::uint64_t));
  data_ = nullptr;
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

void NextUseFile::map(std::uint64_t entries) {
  if (data_) munmap(data_, mapped_ * sizeof(std::uint64_t));
  data_ = nullptr;
  const auto bytes = static_cast<off_t>(entries * sizeof(std::uint64_t));
  if (ftruncate(fd_, bytes) != 0)
    throw std::runtime_error(
        fmt::format("cannot grow the temporary file {} to {} bytes: {}", path_, bytes, strerror(errno)));
  void* p = mmap(nullptr, static_cast<std::size_t>(bytes), PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0);
  if (p == MAP_FAILED) throw std::runtime_error(fmt::format("cannot map {}: {}", path_, strerror(errno)));
  data_ = static_cast<std::uint64_t*>(p);
  mapped_ = entries;
}

void NextUseFile::read(std::uint64_t first, std::size_t n, std::vector<std::uint64_t>& out) const {
  if (first + n > requests_)
    throw std::out_of_range(
        fmt::format("next-use entries {}..{} beyond the {} requests of the first pass", first, first + n, requests_));
  out.assign(data_ + first, data_ + first + n);
}

}  // namespace loadlab

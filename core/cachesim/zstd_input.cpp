#include "cachesim/zstd_input.h"

#include <fmt/format.h>
#include <zstd.h>

#include "cachesim/trace.h"

namespace loadlab {

struct ZstdInputBuffer::State {
  ZSTD_DStream* stream = ZSTD_createDStream();
  ~State() { ZSTD_freeDStream(stream); }
};

ZstdInputBuffer::ZstdInputBuffer(std::istream& compressed, std::string name)
    : compressed_(compressed),
      name_(std::move(name)),
      state_(std::make_unique<State>()),
      in_(ZSTD_DStreamInSize()),
      out_(ZSTD_DStreamOutSize()) {
  if (state_->stream == nullptr) throw TraceError(fmt::format("{}: cannot start the zstd decoder", name_));
  ZSTD_initDStream(state_->stream);
  setg(out_.data(), out_.data(), out_.data());
}

ZstdInputBuffer::~ZstdInputBuffer() = default;

ZstdInputBuffer::int_type ZstdInputBuffer::underflow() {
  if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
  // Loop until the decoder yields bytes: a block may need several reads, and a read may
  // finish a frame without producing output.
  for (;;) {
    if (in_pos_ == in_end_) {
      compressed_.read(in_.data(), static_cast<std::streamsize>(in_.size()));
      in_end_ = static_cast<std::size_t>(compressed_.gcount());
      in_pos_ = 0;
      if (in_end_ == 0) {
        if (!any_input_) throw TraceError(fmt::format("{}: empty file (not a zstd stream)", name_));
        if (frame_open_)
          throw TraceError(
              fmt::format("{}: truncated zstd stream: the data ends inside a frame at byte {}", name_, consumed_));
        return traits_type::eof();
      }
      any_input_ = true;
    }
    ZSTD_inBuffer input{in_.data() + in_pos_, in_end_ - in_pos_, 0};
    ZSTD_outBuffer output{out_.data(), out_.size(), 0};
    const std::size_t result = ZSTD_decompressStream(state_->stream, &output, &input);
    if (ZSTD_isError(result))
      throw TraceError(fmt::format("{}: not a valid zstd stream at byte {}: {}", name_, consumed_ + input.pos,
                                   ZSTD_getErrorName(result)));
    in_pos_ += input.pos;
    consumed_ += input.pos;
    frame_open_ = result != 0;  // 0: a frame just ended
    if (output.pos > 0) {
      setg(out_.data(), out_.data(), out_.data() + output.pos);
      return traits_type::to_int_type(*gptr());
    }
  }
}

ZstdInput::ZstdInput(std::istream& compressed, std::string name)
    : std::istream(nullptr), buffer_(compressed, std::move(name)) {
  rdbuf(&buffer_);
  exceptions(std::ios::badbit);  // let the decoder's TraceError through
}

bool is_zstd_path(const std::string& file) { return file.size() > 4 && file.ends_with(".zst"); }

}  // namespace loadlab

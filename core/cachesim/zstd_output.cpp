#include "cachesim/zstd_output.h"

#include <fmt/format.h>
#include <zstd.h>

#include <stdexcept>
#include <vector>

namespace loadlab {

struct ZstdOutput::State {
  ZSTD_CCtx* context = ZSTD_createCCtx();
  std::vector<char> buffer = std::vector<char>(ZSTD_CStreamOutSize());
  ~State() { ZSTD_freeCCtx(context); }
};

ZstdOutput::ZstdOutput(std::ostream& out, int level) : out_(out), state_(std::make_unique<State>()) {
  if (state_->context == nullptr) throw std::runtime_error("cannot start the zstd encoder");
  ZSTD_CCtx_setParameter(state_->context, ZSTD_c_compressionLevel, level);
}

ZstdOutput::~ZstdOutput() = default;

namespace {
// Feeds `input` through the encoder with `mode`, writing what comes out, until the encoder
// has taken all of it (and, for ZSTD_e_end, closed the frame).
void pump(ZSTD_CCtx* context, std::vector<char>& buffer, std::ostream& out, ZSTD_inBuffer& input,
          ZSTD_EndDirective mode) {
  for (;;) {
    ZSTD_outBuffer output{buffer.data(), buffer.size(), 0};
    const std::size_t left = ZSTD_compressStream2(context, &output, &input, mode);
    if (ZSTD_isError(left)) throw std::runtime_error(fmt::format("zstd: {}", ZSTD_getErrorName(left)));
    out.write(buffer.data(), static_cast<std::streamsize>(output.pos));
    if (mode == ZSTD_e_end ? left == 0 : input.pos == input.size) return;
  }
}
}  // namespace

void ZstdOutput::write(std::string_view bytes) {
  ZSTD_inBuffer input{bytes.data(), bytes.size(), 0};
  pump(state_->context, state_->buffer, out_, input, ZSTD_e_continue);
}

void ZstdOutput::finish() {
  ZSTD_inBuffer input{nullptr, 0, 0};
  pump(state_->context, state_->buffer, out_, input, ZSTD_e_end);
}

}  // namespace loadlab

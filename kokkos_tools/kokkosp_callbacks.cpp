// The Kokkos Tools ABI: the C functions Kokkos looks up with dlsym in the library named by
// KOKKOS_TOOLS_LIBS (Kokkos >= 3.5) or KOKKOS_PROFILE_LIBRARY (3.4, and later versions still
// accept it). Signatures as declared in Kokkos 3.4.01's impl/Kokkos_Profiling_C_Interface.h; the
// ABI is plain C, so no Kokkos header is needed and one build serves every backend.
//
// Nothing may escape into the host application: every entry point catches everything and reports
// one "ridgeline_kp:" line on stderr. After an error in a callback the connector keeps going.
#include <cstdint>
#include <exception>
#include <memory>
#include <string>

#include "kokkos_tools/report.hpp"
#include "kokkos_tools/tool_session.hpp"

namespace {

using ridgeline::kokkos_tools::report;
using ridgeline::kokkos_tools::tool_session;

std::unique_ptr<tool_session> session;

template <typename F>
void guarded(const char* where, F&& f) noexcept {
  try {
    f();
  } catch (const std::exception& e) {
    try {
      report(std::string(where) + ": " + e.what());
    } catch (...) {
    }
  } catch (...) {
    try {
      report(std::string(where) + ": unknown error");
    } catch (...) {
    }
  }
}

void begin(const char* construct, const char* name, std::uint32_t dev_id,
           std::uint64_t* kernel_id) noexcept {
  if (kernel_id != nullptr) *kernel_id = 0;
  guarded(construct, [&] {
    if (session && kernel_id != nullptr) *kernel_id = session->begin(name, construct, dev_id);
  });
}

void end(const char* construct, std::uint64_t kernel_id) noexcept {
  guarded(construct, [&] {
    if (session) session->end(kernel_id);
  });
}

}  // namespace

// Kokkos_Tools_ToolSettings (3.4.01): one flag, padded to 256 bytes for later additions.
struct ridgeline_kp_tool_settings {
  bool requires_global_fencing;
  bool padding[255];
};

// The library is built with hidden visibility; these are the only symbols it exports.
#define RIDGELINE_KP_EXPORT __attribute__((visibility("default")))

extern "C" {

RIDGELINE_KP_EXPORT void kokkosp_init_library(const int /*load_sequence*/,
                                              const std::uint64_t interface_version,
                                              const std::uint32_t /*device_info_count*/,
                                              void* /*device_info*/) {
  guarded("init", [&] { session = std::make_unique<tool_session>(interface_version); });
}

// Called right after init. Asking for global fencing makes Kokkos fence before every begin and
// end callback, so a kernel's time on an asynchronous backend ends when the kernel has finished.
RIDGELINE_KP_EXPORT void kokkosp_request_tool_settings(const std::uint32_t num_settings,
                                                       ridgeline_kp_tool_settings* settings) {
  guarded("request_tool_settings", [&] {
    if (settings == nullptr || num_settings < 1) return;
    settings->requires_global_fencing = true;
    if (session) session->fencing_requested();
  });
}

RIDGELINE_KP_EXPORT void kokkosp_finalize_library() {
  guarded("finalize", [&] {
    if (session) session->finalize();
  });
  session.reset();
}

RIDGELINE_KP_EXPORT void kokkosp_begin_parallel_for(const char* name, const std::uint32_t dev_id,
                                                    std::uint64_t* kernel_id) {
  begin("parallel_for", name, dev_id, kernel_id);
}
RIDGELINE_KP_EXPORT void kokkosp_end_parallel_for(const std::uint64_t kernel_id) {
  end("parallel_for", kernel_id);
}

RIDGELINE_KP_EXPORT void kokkosp_begin_parallel_reduce(const char* name, const std::uint32_t dev_id,
                                                       std::uint64_t* kernel_id) {
  begin("parallel_reduce", name, dev_id, kernel_id);
}
RIDGELINE_KP_EXPORT void kokkosp_end_parallel_reduce(const std::uint64_t kernel_id) {
  end("parallel_reduce", kernel_id);
}

RIDGELINE_KP_EXPORT void kokkosp_begin_parallel_scan(const char* name, const std::uint32_t dev_id,
                                                     std::uint64_t* kernel_id) {
  begin("parallel_scan", name, dev_id, kernel_id);
}
RIDGELINE_KP_EXPORT void kokkosp_end_parallel_scan(const std::uint64_t kernel_id) {
  end("parallel_scan", kernel_id);
}

}  // extern "C"

// NVIDIA counters through CUPTI's Range Profiler + Profiler Host API (CUDA >= 12.6): one user
// range around one launch of the workload, user replay (the workload is re-launched once per pass
// until CUPTI says every pass is submitted), values evaluated on the host. Plain host C++: it
// needs CUDA's headers, libcupti (which loads libnvperf_host/target itself) and the driver API
// for the current context — no nvcc. Built only with RIDGELINE_ENABLE_CUPTI (profiler/counters/
// CMakeLists.txt); metric names come from configs/metrics/nvidia/*.yaml, never from here.
#include <fmt/format.h>

#include <cuda.h>
#include <cupti_profiler_host.h>
#include <cupti_profiler_target.h>
#include <cupti_range_profiler.h>
#include <cupti_result.h>
#include <cupti_target.h>

#include <dlfcn.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "profiler/counters/counter_backend.hpp"

namespace ridgeline::profiler::counters {

namespace {

// CUPTI's passes for the few counters a roofline needs are 1-5 on Hopper; a runaway loop means
// the workload launched nothing inside the range.
constexpr std::size_t max_passes = 64;

// CUPTI parameter blocks: zeroed, with structSize set (how CUPTI tells versions apart).
template <class T>
T params(std::size_t size) {
  T p;
  std::memset(&p, 0, sizeof p);
  p.structSize = size;
  return p;
}

[[noreturn]] void fail(CUptiResult r, const char* what) {
  if (r == CUPTI_ERROR_INSUFFICIENT_PRIVILEGES ||
      r == CUPTI_ERROR_VIRTUALIZED_DEVICE_INSUFFICIENT_PRIVILEGES) {
    throw counters_unavailable(
        "cupti: GPU performance counters need admin rights (CUPTI_ERROR_INSUFFICIENT_PRIVILEGES): "
        "run as root, or load the NVIDIA driver with NVreg_RestrictProfilingToAdminUsers=0 "
        "(https://developer.nvidia.com/ERR_NVGPUCTRPERM); in a container add --cap-add SYS_ADMIN; "
        "using the analytic model");
  }
  const char* text = nullptr;
  cuptiGetResultString(r, &text);
  throw counters_unavailable(fmt::format("cupti: {} failed: {} ({}); using the analytic model",
                                         what, text ? text : "unknown error", static_cast<int>(r)));
}

void check(CUptiResult r, const char* what) {
  if (r != CUPTI_SUCCESS) fail(r, what);
}

std::string support_text(CUpti_Profiler_Support_Level l) {
  switch (l) {
    case CUPTI_PROFILER_CONFIGURATION_SUPPORTED: return "supported";
    case CUPTI_PROFILER_CONFIGURATION_DISABLED: return "disabled";
    case CUPTI_PROFILER_CONFIGURATION_UNSUPPORTED: return "unsupported";
    default: return "unknown";
  }
}

// The two driver calls needed, looked up at run time: linking libcuda would stop every program
// linking this library from starting on machines without an NVIDIA driver (CI, CPU-only hosts).
struct driver_api {
  CUresult (*ctx_get_current)(CUcontext*) = nullptr;
  CUresult (*ctx_get_device)(CUdevice*) = nullptr;
};

const driver_api& driver() {
  static const driver_api api = [] {
    driver_api a;
    void* lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!lib) return a;
    a.ctx_get_current = reinterpret_cast<CUresult (*)(CUcontext*)>(dlsym(lib, "cuCtxGetCurrent"));
    a.ctx_get_device = reinterpret_cast<CUresult (*)(CUdevice*)>(dlsym(lib, "cuCtxGetDevice"));
    return a;
  }();
  if (!api.ctx_get_current || !api.ctx_get_device)
    throw counters_unavailable("cupti: the NVIDIA driver library libcuda.so.1 cannot be loaded; "
                               "using the analytic model");
  return api;
}

CUcontext current_context() {
  CUcontext ctx = nullptr;
  if (driver().ctx_get_current(&ctx) != CUDA_SUCCESS || ctx == nullptr)
    throw counters_unavailable("cupti: no current CUDA context (the CUDA backend was not "
                               "initialised); using the analytic model");
  return ctx;
}

// Everything one collection creates, released in reverse order whatever happens.
struct session {
  bool profiler_initialized = false;
  CUpti_Profiler_Host_Object* host = nullptr;
  CUpti_RangeProfiler_Object* range = nullptr;

  ~session() {
    if (range) {
      auto p = params<CUpti_RangeProfiler_Disable_Params>(CUpti_RangeProfiler_Disable_Params_STRUCT_SIZE);
      p.pRangeProfilerObject = range;
      cuptiRangeProfilerDisable(&p);
    }
    if (host) {
      auto p = params<CUpti_Profiler_Host_Deinitialize_Params>(CUpti_Profiler_Host_Deinitialize_Params_STRUCT_SIZE);
      p.pHostObject = host;
      cuptiProfilerHostDeinitialize(&p);
    }
    if (profiler_initialized) {
      auto p = params<CUpti_Profiler_DeInitialize_Params>(CUpti_Profiler_DeInitialize_Params_STRUCT_SIZE);
      cuptiProfilerDeInitialize(&p);
    }
  }
};

void initialize(session& s) {
  auto p = params<CUpti_Profiler_Initialize_Params>(CUpti_Profiler_Initialize_Params_STRUCT_SIZE);
  check(cuptiProfilerInitialize(&p), "cuptiProfilerInitialize");
  s.profiler_initialized = true;
}

// The host object's configuration image for `names` (it schedules the metrics into passes) and
// the number of passes it needs: shared by the live collection and the offline pass count.
struct config_image {
  std::vector<std::uint8_t> bytes;
  std::size_t passes = 0;
};

config_image build_config_image(CUpti_Profiler_Host_Object* host, std::vector<const char*>& names) {
  auto add = params<CUpti_Profiler_Host_ConfigAddMetrics_Params>(CUpti_Profiler_Host_ConfigAddMetrics_Params_STRUCT_SIZE);
  add.pHostObject = host;
  add.ppMetricNames = names.data();
  add.numMetrics = names.size();
  check(cuptiProfilerHostConfigAddMetrics(&add),
        "cuptiProfilerHostConfigAddMetrics (a metric name in the metric file is unknown to this "
        "CUPTI for this chip?)");
  auto cs = params<CUpti_Profiler_Host_GetConfigImageSize_Params>(CUpti_Profiler_Host_GetConfigImageSize_Params_STRUCT_SIZE);
  cs.pHostObject = host;
  check(cuptiProfilerHostGetConfigImageSize(&cs), "cuptiProfilerHostGetConfigImageSize");
  config_image image;
  image.bytes.resize(cs.configImageSize);
  auto ci = params<CUpti_Profiler_Host_GetConfigImage_Params>(CUpti_Profiler_Host_GetConfigImage_Params_STRUCT_SIZE);
  ci.pHostObject = host;
  ci.configImageSize = image.bytes.size();
  ci.pConfigImage = image.bytes.data();
  check(cuptiProfilerHostGetConfigImage(&ci), "cuptiProfilerHostGetConfigImage");
  auto np = params<CUpti_Profiler_Host_GetNumOfPasses_Params>(CUpti_Profiler_Host_GetNumOfPasses_Params_STRUCT_SIZE);
  np.configImageSize = image.bytes.size();
  np.pConfigImage = image.bytes.data();
  check(cuptiProfilerHostGetNumOfPasses(&np), "cuptiProfilerHostGetNumOfPasses");
  image.passes = np.numOfPasses;
  return image;
}

class cupti_backend final : public counter_backend {
 public:
  std::string name() const override { return "cupti"; }

  std::vector<std::string> device_ids() override {
    const CUcontext ctx = current_context();
    (void)ctx;
    CUdevice dev = 0;
    if (driver().ctx_get_device(&dev) != CUDA_SUCCESS)
      throw counters_unavailable("cupti: cuCtxGetDevice failed; using the analytic model");
    session s;
    initialize(s);
    auto sup = params<CUpti_Profiler_DeviceSupported_Params>(CUpti_Profiler_DeviceSupported_Params_STRUCT_SIZE);
    sup.cuDevice = dev;
    sup.api = CUPTI_PROFILER_RANGE_PROFILING;
    check(cuptiProfilerDeviceSupported(&sup), "cuptiProfilerDeviceSupported");
    if (sup.isSupported != CUPTI_PROFILER_CONFIGURATION_SUPPORTED) {
      throw counters_unavailable(fmt::format(
          "cupti: range profiling is not available on this device (architecture {}, vGPU {}, "
          "confidential compute {}, SLI {}, CMP {}, WSL {}); using the analytic model",
          support_text(sup.architecture), support_text(sup.vGpu),
          support_text(sup.confidentialCompute), support_text(sup.sli), support_text(sup.cmp),
          support_text(sup.wsl)));
    }
    auto chip = params<CUpti_Device_GetChipName_Params>(CUpti_Device_GetChipName_Params_STRUCT_SIZE);
    chip.deviceIndex = static_cast<size_t>(dev);
    check(cuptiDeviceGetChipName(&chip), "cuptiDeviceGetChipName");
    chip_ = chip.pChipName ? chip.pChipName : "";
    return {chip_};
  }

  counter_values collect(workload& w, const metric_file& file,
                         const std::vector<std::string>& counters) override {
    (void)file;
    const CUcontext ctx = current_context();
    if (chip_.empty()) device_ids();
    std::vector<const char*> names;
    for (const auto& c : counters) names.push_back(c.c_str());

    session s;
    initialize(s);

    // Counter availability (which counters this context may read right now) for the host object.
    auto avail = params<CUpti_Profiler_GetCounterAvailability_Params>(CUpti_Profiler_GetCounterAvailability_Params_STRUCT_SIZE);
    avail.ctx = ctx;
    check(cuptiProfilerGetCounterAvailability(&avail), "cuptiProfilerGetCounterAvailability");
    std::vector<std::uint8_t> availability(avail.counterAvailabilityImageSize);
    avail.pCounterAvailabilityImage = availability.data();
    check(cuptiProfilerGetCounterAvailability(&avail), "cuptiProfilerGetCounterAvailability");

    // Host side: the configuration image that schedules the metrics into passes.
    auto hi = params<CUpti_Profiler_Host_Initialize_Params>(CUpti_Profiler_Host_Initialize_Params_STRUCT_SIZE);
    hi.profilerType = CUPTI_PROFILER_TYPE_RANGE_PROFILER;
    hi.pChipName = chip_.c_str();
    hi.pCounterAvailabilityImage = availability.data();
    check(cuptiProfilerHostInitialize(&hi), "cuptiProfilerHostInitialize");
    s.host = hi.pHostObject;

    const config_image image = build_config_image(s.host, names);
    const std::vector<std::uint8_t>& config = image.bytes;

    // Target side: a range profiler on this context, one range, user replay.
    auto en = params<CUpti_RangeProfiler_Enable_Params>(CUpti_RangeProfiler_Enable_Params_STRUCT_SIZE);
    en.ctx = ctx;
    check(cuptiRangeProfilerEnable(&en), "cuptiRangeProfilerEnable");
    s.range = en.pRangeProfilerObject;

    auto ds = params<CUpti_RangeProfiler_GetCounterDataSize_Params>(CUpti_RangeProfiler_GetCounterDataSize_Params_STRUCT_SIZE);
    ds.pRangeProfilerObject = s.range;
    ds.pMetricNames = names.data();
    ds.numMetrics = names.size();
    ds.maxNumOfRanges = 1;
    ds.maxNumRangeTreeNodes = 1;
    check(cuptiRangeProfilerGetCounterDataSize(&ds), "cuptiRangeProfilerGetCounterDataSize");
    std::vector<std::uint8_t> data(ds.counterDataSize);
    auto di = params<CUpti_RangeProfiler_CounterDataImage_Initialize_Params>(CUpti_RangeProfiler_CounterDataImage_Initialize_Params_STRUCT_SIZE);
    di.pRangeProfilerObject = s.range;
    di.counterDataSize = data.size();
    di.pCounterData = data.data();
    check(cuptiRangeProfilerCounterDataImageInitialize(&di),
          "cuptiRangeProfilerCounterDataImageInitialize");

    auto sc = params<CUpti_RangeProfiler_SetConfig_Params>(CUpti_RangeProfiler_SetConfig_Params_STRUCT_SIZE);
    sc.pRangeProfilerObject = s.range;
    sc.configSize = config.size();
    sc.pConfig = config.data();
    sc.counterDataImageSize = data.size();
    sc.pCounterDataImage = data.data();
    sc.range = CUPTI_UserRange;
    sc.replayMode = CUPTI_UserReplay;
    sc.maxRangesPerPass = 1;
    sc.numNestingLevels = 1;
    sc.minNestingLevel = 1;
    sc.passIndex = 0;
    sc.targetNestingLevel = 1;
    check(cuptiRangeProfilerSetConfig(&sc), "cuptiRangeProfilerSetConfig");

    counter_values out;
    out.replay = "user";
    bool all_submitted = false;
    while (!all_submitted) {
      if (out.passes >= max_passes)
        throw counters_unavailable(fmt::format(
            "cupti: {} passes without completing (CUPTI planned {}); using the analytic model",
            out.passes, image.passes));
      auto st = params<CUpti_RangeProfiler_Start_Params>(CUpti_RangeProfiler_Start_Params_STRUCT_SIZE);
      st.pRangeProfilerObject = s.range;
      check(cuptiRangeProfilerStart(&st), "cuptiRangeProfilerStart");
      auto push = params<CUpti_RangeProfiler_PushRange_Params>(CUpti_RangeProfiler_PushRange_Params_STRUCT_SIZE);
      push.pRangeProfilerObject = s.range;
      push.pRangeName = "ridgeline";
      check(cuptiRangeProfilerPushRange(&push), "cuptiRangeProfilerPushRange");
      w.launch(0);
      w.fence();
      auto pop = params<CUpti_RangeProfiler_PopRange_Params>(CUpti_RangeProfiler_PopRange_Params_STRUCT_SIZE);
      pop.pRangeProfilerObject = s.range;
      check(cuptiRangeProfilerPopRange(&pop), "cuptiRangeProfilerPopRange");
      auto sp = params<CUpti_RangeProfiler_Stop_Params>(CUpti_RangeProfiler_Stop_Params_STRUCT_SIZE);
      sp.pRangeProfilerObject = s.range;
      check(cuptiRangeProfilerStop(&sp), "cuptiRangeProfilerStop");
      all_submitted = sp.isAllPassSubmitted != 0;
      ++out.passes;
    }

    auto dd = params<CUpti_RangeProfiler_DecodeData_Params>(CUpti_RangeProfiler_DecodeData_Params_STRUCT_SIZE);
    dd.pRangeProfilerObject = s.range;
    check(cuptiRangeProfilerDecodeData(&dd), "cuptiRangeProfilerDecodeData");
    if (dd.numOfRangeDropped > 0)
      throw counters_unavailable(fmt::format(
          "cupti: {} range(s) dropped while decoding; using the analytic model",
          dd.numOfRangeDropped));

    auto info = params<CUpti_RangeProfiler_GetCounterDataInfo_Params>(CUpti_RangeProfiler_GetCounterDataInfo_Params_STRUCT_SIZE);
    info.pCounterDataImage = data.data();
    info.counterDataImageSize = data.size();
    check(cuptiRangeProfilerGetCounterDataInfo(&info), "cuptiRangeProfilerGetCounterDataInfo");
    if (info.numTotalRanges < 1)
      throw counters_unavailable("cupti: no range was recorded (did the launch run a kernel?); "
                                 "using the analytic model");

    std::vector<double> values(names.size(), 0.0);
    auto ev = params<CUpti_Profiler_Host_EvaluateToGpuValues_Params>(CUpti_Profiler_Host_EvaluateToGpuValues_Params_STRUCT_SIZE);
    ev.pHostObject = s.host;
    ev.pCounterDataImage = data.data();
    ev.counterDataImageSize = data.size();
    ev.rangeIndex = 0;
    ev.ppMetricNames = names.data();
    ev.numMetrics = names.size();
    ev.pMetricValues = values.data();
    check(cuptiProfilerHostEvaluateToGpuValues(&ev), "cuptiProfilerHostEvaluateToGpuValues");
    for (std::size_t i = 0; i < counters.size(); ++i) out.values[counters[i]] = values[i];
    return out;
  }

 private:
  std::string chip_;
};

}  // namespace

std::size_t cupti_offline_passes(const std::string& chip, const std::vector<std::string>& counters) {
  std::vector<const char*> names;
  for (const auto& c : counters) names.push_back(c.c_str());
  auto hi = params<CUpti_Profiler_Host_Initialize_Params>(CUpti_Profiler_Host_Initialize_Params_STRUCT_SIZE);
  hi.profilerType = CUPTI_PROFILER_TYPE_RANGE_PROFILER;
  hi.pChipName = chip.c_str();
  check(cuptiProfilerHostInitialize(&hi), "cuptiProfilerHostInitialize");
  session s;
  s.host = hi.pHostObject;
  return build_config_image(s.host, names).passes;
}

std::unique_ptr<counter_backend> make_cupti_backend() {
  return std::make_unique<cupti_backend>();
}

bool cupti_built() {
  return true;
}

}  // namespace ridgeline::profiler::counters

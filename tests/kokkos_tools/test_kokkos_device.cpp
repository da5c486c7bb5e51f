// kokkos_tools/kokkos_device.cpp: the devID packing of Kokkos 3.4 (DeviceType << 24 | instance).
#include <gtest/gtest.h>

#include "kokkos_tools/kokkos_device.hpp"

namespace ridgeline::kokkos_tools {
namespace {

TEST(KokkosDevice, DecodesTypeAndInstance) {
  const struct {
    std::uint32_t type;
    const char* name;
    bool host;
  } cases[] = {{0, "Serial", true},    {1, "OpenMP", true},        {2, "Cuda", false},
               {3, "HIP", false},      {4, "OpenMPTarget", false}, {5, "HPX", true},
               {6, "Threads", true},   {7, "SYCL", false},         {8, "Unknown", false},
               {200, "Unknown", false}};
  for (const auto& c : cases) {
    const kokkos_device d = device_of((c.type << 24) + 3);
    EXPECT_EQ(d.backend, c.name) << c.type;
    EXPECT_EQ(d.host, c.host) << c.type;
    EXPECT_EQ(d.instance, 3u) << c.type;
    EXPECT_EQ(is_host_backend(d.backend), c.host) << c.name;
  }
}

}  // namespace
}  // namespace ridgeline::kokkos_tools

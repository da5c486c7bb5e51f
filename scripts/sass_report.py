#!/usr/bin/env python3
"""What the sm_90 build's GPU kernels compiled to, without a GPU (issue 16).

For every Kokkos kernel (__global__ function) in the GEMM, attention and MoE objects of a CUDA
build: registers per thread and static shared memory (cuobjdump -res-usage), spill store and
load bytes (ptxas -v on the embedded PTX), and the hottest innermost loop's FMA share (FFMA for
f32, DFMA for f64: the loop = a backward branch's range that holds no other loop; hottest = the most FMAs). For the
kernels that the GPU default configurations launch (DEFAULT_LAUNCHES below) also the theoretical
occupancy at that launch shape on an sm_90 SM.

Usage: sass_report.py --build BUILD_DIR --tools DIR [--markdown FILE] [--check]
--check exits 1 when a default-configuration kernel spills or its FMA share is under the floor.
"""
import argparse
import dataclasses
import pathlib
import re
import shutil
import subprocess
import sys

PTXAS = shutil.which("ptxas") or "ptxas"

# The kernels the GPU default configurations launch, with their launch shape (threads per block,
# dynamic shared memory per block in bytes). Keep in step with the defaults beside each kernel:
# gemm_tiled.cpp (accumulate=registers, 128 x 128 tile, 8 x 8 per thread => 256 threads, two K-step
# buffers of (128 + 128) x 8 elements + 16 bytes of alignment slack). tests/kernels/test_gemm.cpp
# (GpuDefaultKeepsAccumulatorsInRegisters) asserts that default, so a change there fails a test
# before this table goes stale.
# attention_flash.cpp (GPU default: 16 x 16 tiles, 4 x 8 micro-tiles, 16 threads x 4 lanes = 64
# threads, scratch=auto): at D = 128 f32 its tiles take level 0, 35044 bytes (Q, K^T, V, O 16 x
# 128, S and P 16 x 16, m/l/rescale 16 each, + one element of slack per view);
# tests/kernels/test_attention.cpp (GpuDefaultScratchFitsTheDefaultSharedMemoryOfABlock) checks
# the size against Kokkos 3.4's 40 KiB level-0 maximum. f64 at D = 128 needs 70 KiB, so auto puts
# it in level 1 (global memory): no dynamic shared memory. The split-KV combine is a RangePolicy
# kernel (Kokkos picks its block; 256 threads here) without shared memory.
# FMA floor: GEMM's innermost loop is its micro-kernel, so issue 16's 0.75 applies. Attention's
# hot loop is a micro-kernel over scratch too, but at 4 x 8 per thread each FMA needs a shared
# load per 2.7 FMAs (4 + 8 loads, 32 FMAs, 128-bit loads for the 8), and the decode it is built
# for is bound by memory, not FMAs: no floor (None), the share is reported only. The combine has
# no FMA loop worth a floor either.
DEFAULT_LAUNCHES = [
    # (label, object file stem, regex on the demangled name, threads, dynamic shared bytes, fma,
    #  FMA-share floor or None)
    # Shared bytes: two K-step buffers of (tile_m + 16 bytes of row padding + tile_n) x tile_k.
    ("gemm kokkos_tiled f32 (default: registers 4x8, K 16)", "gemm_tiled_f32",
     r"gemm_resident_functor<float, Kokkos::Cuda, 4, 8>", 512, 2 * 260 * 16 * 4 + 16, "FFMA",
     0.75),
    ("gemm kokkos_tiled f64 (default: registers 8x8)", "gemm_tiled_f64",
     r"gemm_resident_functor<double, Kokkos::Cuda, 8, 8>", 256, 2 * 258 * 8 * 8 + 16, "DFMA",
     0.75),
    # The MoE experts' grouped GEMM (moe_grouped_gemm_impl.hpp) runs the same tile code
    # (moe_axes.cpp: moe_gemm_default, the GEMM default with GPU shapes the grouped functor
    # allows), so the GEMM's floor applies.
    ("moe grouped gemm f32 (default: registers 8x8)", "moe_f32",
     r"grouped_functor<float, Kokkos::Cuda, ridgeline::kernels::detail::gemm_resident_functor"
     r"<float, Kokkos::Cuda, 8, 8>", 256, 2 * 260 * 8 * 4 + 16, "FFMA", 0.75),
    # f64: 8 x 4 over 128 x 64 (moe_axes.cpp: 8 x 8 spilled in the grouped functor). Floor 0.70:
    # the conflict-free column groups (gemm_resident_impl.hpp) cost one address operation per
    # 16-byte group and K step, which weighs most at 4 f64 columns (0.77 -> 0.73); the same layout
    # made the f64 GEMM 34% faster on an H200 while its share fell 0.80 -> 0.78 (device-runs.md,
    # run C), so shared-memory conflicts, not this share, were what cost time.
    ("moe grouped gemm f64 (default: registers 8x4)", "moe_f64",
     r"grouped_functor<double, Kokkos::Cuda, ridgeline::kernels::detail::gemm_resident_functor"
     r"<double, Kokkos::Cuda, 8, 4>", 256, 2 * 194 * 8 * 8 + 16, "DFMA", 0.70),
    ("attention kokkos_flash f32 (default: 16x16, 4x8, D=128)", "attention_flash_f32",
     r"attention_flash_functor<float, Kokkos::Cuda, 4, 8>", 64,
     4 * (4 * 16 * 128 + 2 * 16 * 16 + 3 * 16) + 9 * 4, "FFMA", None),
    ("attention kokkos_flash f64 (default: 16x16, 4x8, D=128: level 1)", "attention_flash_f64",
     r"attention_flash_functor<double, Kokkos::Cuda, 4, 8>", 64, 0, "DFMA", None),
    ("attention split-KV combine f32", "attention_flash_f32",
     r"attention_combine_functor<float>", 256, 0, "FFMA", None),
    ("attention split-KV combine f64", "attention_flash_f64",
     r"attention_combine_functor<double>", 256, 0, "DFMA", None),
]

OBJECT_STEMS = ("gemm_tiled_f32", "gemm_tiled_f64", "attention_flash_f32", "attention_flash_f64",
                "moe_f32", "moe_f64")

# sm_90 (Hopper) per-SM limits: CUDA C Programming Guide, "Compute Capabilities" table.
SM90 = dict(registers=65536, max_threads=2048, max_blocks=32, shared=228 * 1024,
            shared_per_block=227 * 1024, reserved_shared=1024, reg_granule=256, warp=32)


@dataclasses.dataclass
class kernel_facts:
    obj: str
    mangled: str
    name: str
    registers: int = 0
    stack: int = 0
    static_shared: int = 0
    local: int = 0
    spill_stores: int = 0
    spill_loads: int = 0
    loop_fma: int = 0
    loop_instructions: int = 0
    loop_fma_kind: str = ""

    @property
    def fma_share(self):
        return self.loop_fma / self.loop_instructions if self.loop_instructions else 0.0


def run(cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def demangle(names):
    out = run(["c++filt"] + names) if names else ""
    return out.splitlines()


def short_name(demangled):
    """The functor inside Kokkos's launch wrapper: ParallelFor<FUNCTOR, POLICY, ...>."""
    m = re.search(r"ParallelFor<(ridgeline::[^,<]+(?:<[^>]*>)?)", demangled)
    if m:
        return m.group(1).replace("ridgeline::kernels::", "")
    m = re.search(r"ParallelFor<(.+?), Kokkos::(Team|Range|MDRange)Policy", demangled)
    return (m.group(1) if m else demangled)[:160]


def ptxas_usage(tools, obj):
    """Registers and spill bytes per function, as ptxas reports them (-v) when it compiles the
    object's embedded PTX for sm_90 again: the same numbers the build's ptxas printed, and unlike
    local-memory instructions in the SASS they separate spills from a stack frame (printf
    arguments of Kokkos::abort)."""
    ptx = run([str(tools / "cuobjdump"), "-ptx", str(obj)])
    start = ptx.find(".version")
    if start < 0:
        sys.exit(f"sass-report: no PTX embedded in {obj}")
    ptx_file = pathlib.Path(obj).with_suffix(".report.ptx")
    ptx_file.write_text(ptx[start:])
    arch = re.search(r"\.target\s+(sm_\d+)", ptx).group(1)
    log = subprocess.run([PTXAS, f"-arch={arch}", "-v", str(ptx_file), "-o", "/dev/null"],
                         check=True, capture_output=True, text=True).stderr
    facts, current = {}, None
    for line in log.splitlines():
        m = re.search(r"Function properties for (\S+)", line)
        if m:
            current = facts.setdefault(m.group(1), {})
            continue
        m = re.search(r"(\d+) bytes stack frame, (\d+) bytes spill stores, (\d+) bytes spill loads",
                      line)
        if m and current is not None:
            current.update(stack=int(m.group(1)), spill_stores=int(m.group(2)),
                           spill_loads=int(m.group(3)))
            continue
        m = re.search(r"Compiling entry function '(\S+)'", line)
        if m:
            current = facts.setdefault(m.group(1), {})
            continue
        m = re.search(r"Used (\d+) registers", line)
        if m and current is not None:
            current["registers"] = int(m.group(1))
    ptx_file.unlink()
    return facts


def resource_usage(tools, obj):
    """cuobjdump -res-usage: per function REG, STACK, SHARED, LOCAL."""
    facts = {}
    current = None
    for line in run([str(tools / "cuobjdump"), "-res-usage", str(obj)]).splitlines():
        m = re.match(r"\s*Function (\S+):", line)
        if m:
            current = m.group(1)
            facts[current] = {}
            continue
        if current and "REG:" in line:
            for key, value in re.findall(r"(\w+):(\d+)", line):
                facts[current][key] = int(value)
    return facts


SASS_LINE = re.compile(r"/\*([0-9a-f]{4,})\*/\s+(@!?U?P\w+\s+)?([A-Z][A-Z0-9_.]*)([^;]*);")


def sass_by_function(tools, obj):
    """cuobjdump -sass: function -> [(address, opcode, operands)]."""
    functions = {}
    current = None
    for line in run([str(tools / "cuobjdump"), "-sass", str(obj)]).splitlines():
        m = re.match(r"\s*Function : (\S+)", line)
        if m:
            current = functions.setdefault(m.group(1), [])
            continue
        m = SASS_LINE.search(line)
        if m and current is not None:
            current.append((int(m.group(1), 16), m.group(3), m.group(4)))
    return functions


def hottest_inner_loop(instructions, fma):
    """(FMAs, instructions) of the innermost loop with the most `fma` opcodes."""
    loops = []
    for address, opcode, operands in instructions:
        if opcode.startswith("BRA"):
            target = re.search(r"0x([0-9a-f]+)", operands)
            if target and int(target.group(1), 16) <= address:
                loops.append((int(target.group(1), 16), address))
    inner = [l for l in loops
             if not any(o != l and l[0] <= o[0] and o[1] <= l[1] for o in loops)]
    best = (0, 0)
    for start, end in inner:
        body = [op for a, op, _ in instructions if start <= a <= end and op != "NOP"]
        fmas = sum(1 for op in body if op.split(".")[0] == fma)
        if fmas > best[0]:
            best = (fmas, len(body))
    return best


def occupancy(registers, threads, shared):
    """Resident warps per SM / 64 for a block of `threads` using `shared` bytes (sm_90)."""
    warps = -(-threads // SM90["warp"])
    regs_per_warp = -(-registers * SM90["warp"] // SM90["reg_granule"]) * SM90["reg_granule"]
    by_regs = SM90["registers"] // (regs_per_warp * warps) if registers else SM90["max_blocks"]
    by_threads = SM90["max_threads"] // (warps * SM90["warp"])
    block_shared = shared + SM90["reserved_shared"]
    by_shared = SM90["shared"] // block_shared if shared else SM90["max_blocks"]
    blocks = min(by_regs, by_threads, by_shared, SM90["max_blocks"])
    limiter = min((by_regs, "registers"), (by_threads, "threads"), (by_shared, "shared memory"))[1]
    return blocks, blocks * warps / (SM90["max_threads"] // SM90["warp"]), limiter


def collect(build, tools):
    objects = {}
    for stem in OBJECT_STEMS:
        found = sorted(build.glob(f"kernels/**/{stem}.cpp.o"))
        if not found:
            sys.exit(f"sass-report: {stem}.cpp.o not found under {build}/kernels "
                     "(build the CUDA kernels first: scripts/cuda-compile-check)")
        objects[stem] = found[0]
    kernels = []
    for stem, obj in objects.items():
        usage = resource_usage(tools, obj)
        compiled = ptxas_usage(tools, obj)
        sass = sass_by_function(tools, obj)
        mangled = sorted(set(usage) | set(sass))
        for m, d in zip(mangled, demangle(mangled)):
            k = kernel_facts(obj=stem, mangled=m, name=short_name(d))
            u = usage.get(m, {})
            k.registers, k.stack = u.get("REG", 0), u.get("STACK", 0)
            k.static_shared, k.local = u.get("SHARED", 0), u.get("LOCAL", 0)
            body = sass.get(m, [])
            c = compiled.get(m, {})
            k.registers = c.get("registers", k.registers)
            k.stack = c.get("stack", k.stack)
            k.spill_stores, k.spill_loads = c.get("spill_stores", 0), c.get("spill_loads", 0)
            k.loop_fma_kind = "DFMA" if "double" in d else "FFMA"
            k.loop_fma, k.loop_instructions = hottest_inner_loop(body, k.loop_fma_kind)
            k.demangled = d
            kernels.append(k)
    return kernels


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", required=True, type=pathlib.Path)
    parser.add_argument("--tools", required=True, type=pathlib.Path)
    parser.add_argument("--markdown", type=pathlib.Path)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    kernels = collect(args.build, args.tools)

    lines = ["| object | kernel | regs | spill st/ld B | stack B | static smem B | "
             "hot inner loop: FMA / instr. (share) |", "|---|---|---|---|---|---|---|"]
    for k in kernels:
        loop = (f"{k.loop_fma} / {k.loop_instructions} {k.loop_fma_kind} ({k.fma_share:.2f})"
                if k.loop_instructions else "no loop")
        lines.append(f"| {k.obj} | `{k.name}` | {k.registers} | {k.spill_stores} / "
                     f"{k.spill_loads} | {k.stack} | {k.static_shared} | {loop} |")

    failures = []
    defaults = ["| default-configuration kernel | regs | spills | threads/block | dyn. smem B | "
                "blocks/SM | occupancy | limited by | hot loop FMA share |",
                "|---|---|---|---|---|---|---|---|---|"]
    for label, stem, pattern, threads, shared, fma, floor in DEFAULT_LAUNCHES:
        match = [k for k in kernels if k.obj == stem and re.search(re.escape(pattern), k.demangled)]
        if len(match) != 1:
            failures.append(f"{label}: {len(match)} kernels match {pattern!r} in {stem}.cpp.o")
            continue
        k = match[0]
        blocks, occ, limiter = occupancy(k.registers, threads, shared + k.static_shared)
        defaults.append(f"| {label} | {k.registers} | {k.spill_stores} B st / {k.spill_loads} B ld | "
                        f"{threads} | {shared} | {blocks} | {occ:.0%} | {limiter} | "
                        f"{k.fma_share:.2f} ({k.loop_fma}/{k.loop_instructions} {fma}) |")
        if k.spill_stores or k.spill_loads:
            failures.append(f"{label}: spills ({k.spill_stores} bytes stored, "
                            f"{k.spill_loads} bytes loaded)")
        if floor is not None and k.fma_share < floor:
            failures.append(f"{label}: FMA share {k.fma_share:.2f} in the hot inner loop "
                            f"< {floor}")

    text = "\n".join(defaults) + "\n\nEvery kernel of the objects:\n\n" + "\n".join(lines) + "\n"
    print(text)
    if args.markdown:
        tool_version = run([str(args.tools / "cuobjdump"), "--version"]).strip().splitlines()[-1]
        args.markdown.write_text(
            "# SASS report: the sm_90 build's GEMM, attention and MoE kernels\n\n"
            "Written by `scripts/sass-report` (no GPU needed: cuobjdump on the CUDA build's "
            f"objects; {tool_version}). Registers and spill bytes = ptxas -v on the objects' "
            "embedded PTX (the stack frame is Kokkos::abort's printf buffer, not a spill); hot "
            "inner loop = the innermost loop (a backward branch's range holding no other loop) "
            "with the most FMAs; occupancy = resident warps of 64 per sm_90 SM at the "
            "default launch shape. `scripts/test` fails on a spill in a default-configuration "
            "kernel, or an FMA share under its floor (GEMM 0.75, grouped MoE f64 0.70; attention "
            "reported only: "
            "DEFAULT_LAUNCHES in scripts/sass_report.py says why).\n\n" + text)
    for f in failures:
        print(f"sass-report: FAILED: {f}", file=sys.stderr)
    if args.check and failures:
        sys.exit(1)


if __name__ == "__main__":
    main()

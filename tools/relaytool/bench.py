"""./relay bench: the same static benchmark binary as init under Relay and under Debian's
Linux 6.1 in the same QEMU, with -icount shift=0,sleep=off (instructions per operation,
stable) and without (TCG wall time). Writes docs/bench/<arch>.md and .svg."""
import os
import re

from . import build, image, qemu

# Benchmarks of tests/bench/bench.c that Relay can run today, and the Relay-only IPC row.
RELAY_BENCHES = ["getppid", "open_close", "stat", "read4k", "write4k", "pipe_pingpong",
                 "mmap64k", "fork_wait", "vfork_exec", "sigaction", "kill_self"]
IPC_ROUNDS = 100000
TIMEOUT = 900
BENCH_RE = re.compile(r"^BENCH (\S+) (\d+) (\d+)\s*$", re.M)


def parse(text):
    """{name: ns per operation} from BENCH lines."""
    return {m.group(1): int(m.group(3)) / int(m.group(2)) for m in BENCH_RE.finditer(text)}


def relay_figures(arch, icount):
    """Run bench (getppid...) and ping (ipc) under Relay; {name: ns/op}."""
    figs = {}
    runs = [
        ("bench", image.manifest_text(image.STANDARD_SERVERS, ["/bin/bench"] + RELAY_BENCHES,
                                      arch=arch), 0),
        ("ipc", image.manifest_text([("pong", "/sbin/pong", [])], ["/sbin/ping", str(IPC_ROUNDS)],
                                    native_init=True), 0),
    ]
    for name, manifest, status in runs:
        img = image.make_image(arch, manifest, name=f"bench-{name}.cpio")
        res = qemu.boot(arch, img, icount=icount, timeout=TIMEOUT, echo=False)
        got = parse(res.output)
        if res.exit_code != status or not got:
            print(f"relay bench: {arch} {name} run failed (exit {res.exit_code}):\n"
                  + res.output[-1500:])
        figs.update(got)
    return figs


def run(arches):
    import benchtable
    import linuxbench
    root = build.ROOT
    for arch in arches:
        build.build(arch)
        bench_bin = build.artifact(arch, "tests/bench/bench")
        relay_i = relay_figures(arch, True)
        relay_w = relay_figures(arch, False)
        linux_i = linuxbench.run_linux(arch, bench_bin, True, RELAY_BENCHES, TIMEOUT)
        linux_w = linuxbench.run_linux(arch, bench_bin, False, RELAY_BENCHES, TIMEOUT)
        rows = []
        for name in RELAY_BENCHES + ["ipc"]:
            rows.append(dict(name=name, relay_insns=relay_i.get(name), linux_insns=linux_i.get(name),
                             relay_wall=relay_w.get(name), linux_wall=linux_w.get(name)))
        table = benchtable.make_table(arch, rows)
        print(table)
        out = os.path.join(root, "docs", "bench")
        os.makedirs(out, exist_ok=True)
        with open(os.path.join(out, f"{arch}.md"), "w") as f:
            f.write(table)
        benchtable.make_svg(arch, rows, os.path.join(out, f"{arch}.svg"))
    return 0

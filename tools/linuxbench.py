#!/usr/bin/env python3
"""Run the static benchmark program as /init of Debian's Linux 6.1 under QEMU.

    python3 tools/linuxbench.py --arch x86_64|aarch64 --bench BENCH [--icount]
                                [--timeout S] [-- ARGS...]

The kernel comes from Debian's newest linux-image-6.1.0-<N>-{amd64,arm64} package,
fetched once with `apt-get download` into $RELAY_CACHE/linux (default ~/.cache/relay);
only its /boot/vmlinuz-* is kept. The initramfs (gzip'd cpio newc) holds the benchmark
as /init and the /dev/console node, written here so that no root or mknod is needed.
ARGS go to /init's argv (after " -- " on the kernel command line). With --icount QEMU
runs with -icount shift=0,sleep=off: one guest instruction is one guest nanosecond.

For ./relay bench: run_linux(arch, bench_path, icount, args, timeout) -> BenchResult,
a dict {name: ns per operation} (None for a BENCH-SKIP) with .skips, .ok and .output.
"""
import argparse
import glob
import gzip
import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile

ARCHES = {
    # arch: (Debian flavour, dpkg arch)
    "x86_64": ("amd64", "amd64"),
    "aarch64": ("arm64", "arm64"),
}
ALIASES = {"amd64": "x86_64", "x64": "x86_64", "arm64": "aarch64"}
DEFAULT_TIMEOUT = 600

BENCH_RE = re.compile(r"BENCH (\S+) (\d+) (\d+)[ \t\r]*$", re.M)
SKIP_RE = re.compile(r"BENCH-SKIP (\S+) ?([^\r\n]*)")
END_RE = re.compile(r"BENCH-END")


class BenchResult(dict):
    """{name: ns per operation}; a skipped benchmark maps to None and its reason is in
    .skips. .ok: BENCH-END was seen; .output: the serial output; .error: why not ok."""

    def __init__(self):
        super().__init__()
        self.skips = {}
        self.ok = False
        self.output = ""
        self.error = None


def relay_cache(sub):
    """$RELAY_CACHE/sub (default ~/.cache/relay/sub): downloads kept between runs."""
    base = os.environ.get("RELAY_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "relay")
    return os.path.join(base, sub)


def cache_dir():
    return relay_cache("linux")


def _norm_arch(arch):
    arch = ALIASES.get(arch, arch)
    if arch not in ARCHES:
        raise ValueError(f"unknown arch {arch!r} (x86_64 or aarch64)")
    return arch


# ---------------------------------------------------------------- the kernel

def _abi(pkg):
    m = re.match(r"linux-image-6\.1\.0-(\d+)-", pkg)
    return int(m.group(1)) if m else -1


def _apt_candidates(flavour):
    """Package names linux-image-6.1.0-N-FLAVOUR[-unsigned] apt knows, newest ABI first."""
    pat = rf"^linux-image-6\.1\.0-[0-9]+-{flavour}(-unsigned)?$"
    for attempt in range(2):
        out = subprocess.run(["apt-cache", "search", "--names-only", pat],
                             capture_output=True, text=True).stdout
        names = sorted({line.split(" ", 1)[0] for line in out.splitlines() if line.strip()},
                       key=lambda n: (_abi(n), not n.endswith("-unsigned")), reverse=True)
        if names or attempt:
            return names
        # An empty or missing package list: refresh it once.
        subprocess.run(["apt-get", "update"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    return []


def _extract_vmlinuz(deb, dest_dir):
    """Write the deb's /boot/vmlinuz-* to dest_dir/vmlinuz; return that path."""
    tar_bytes = subprocess.run(["dpkg-deb", "--fsys-tarfile", deb], check=True,
                               capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(tar_bytes)) as tf:
        for member in tf.getmembers():
            name = member.name.lstrip("./")
            if name.startswith("boot/vmlinuz-") and member.isfile():
                data = tf.extractfile(member).read()
                break
        else:
            raise RuntimeError(f"{deb}: no /boot/vmlinuz-*")
    os.makedirs(dest_dir, exist_ok=True)
    path = os.path.join(dest_dir, "vmlinuz")
    with open(path + ".tmp", "wb") as f:
        f.write(data)
    os.replace(path + ".tmp", path)
    return path


def kernel(arch):
    """(package name, path of a kernel QEMU's -kernel takes) for arch, fetched once."""
    arch = _norm_arch(arch)
    flavour, dpkg_arch = ARCHES[arch]
    root = cache_dir()
    cached = sorted(glob.glob(os.path.join(root, f"linux-image-6.1.0-*-{flavour}*", "vmlinuz")),
                    key=lambda p: _abi(os.path.basename(os.path.dirname(p))), reverse=True)
    if cached:
        vmlinuz = cached[0]
        pkg = os.path.basename(os.path.dirname(vmlinuz))
    else:
        names = _apt_candidates(flavour)
        if not names:
            raise RuntimeError(f"apt knows no linux-image-6.1.0-*-{flavour} package "
                               f"(is the {dpkg_arch} architecture configured?)")
        os.makedirs(root, exist_ok=True)
        for pkg in names:
            spec = pkg if dpkg_arch == _host_dpkg_arch() else f"{pkg}:{dpkg_arch}"
            with tempfile.TemporaryDirectory(dir=root) as tmp:
                r = subprocess.run(["apt-get", "download", spec], cwd=tmp,
                                   capture_output=True, text=True)
                debs = glob.glob(os.path.join(tmp, "*.deb"))
                if r.returncode == 0 and debs:
                    vmlinuz = _extract_vmlinuz(debs[0], os.path.join(root, pkg))
                    break
                print(f"linuxbench: apt-get download {spec} failed: {r.stderr.strip()[-300:]}",
                      file=sys.stderr)
        else:
            raise RuntimeError(f"could not download any of {names}")
    return pkg, _bootable(arch, vmlinuz)


def _host_dpkg_arch():
    try:
        return subprocess.run(["dpkg", "--print-architecture"], capture_output=True,
                              text=True).stdout.strip()
    except OSError:
        return ""


def _bootable(arch, vmlinuz):
    """x86: the bzImage as is. arm64: an uncompressed Image (Debian's may be gzip'd,
    which QEMU 7.2's -kernel does not undo for a raw Image)."""
    if arch != "aarch64":
        return vmlinuz
    with open(vmlinuz, "rb") as f:
        magic = f.read(2)
    if magic != b"\x1f\x8b":
        return vmlinuz
    image = os.path.join(os.path.dirname(vmlinuz), "Image")
    if not os.path.exists(image) or os.path.getmtime(image) < os.path.getmtime(vmlinuz):
        with gzip.open(vmlinuz, "rb") as src, open(image + ".tmp", "wb") as dst:
            shutil.copyfileobj(src, dst)
        os.replace(image + ".tmp", image)
    return image


# ---------------------------------------------------------------- the initramfs

def cpio_newc(entries):
    """cpio newc archive bytes of entries (name, mode, data, (rdevmajor, rdevminor))."""
    out = bytearray()

    def pad4():
        out.extend(b"\0" * (-len(out) % 4))

    for ino, (name, mode, data, rdev) in enumerate(list(entries) + [("TRAILER!!!", 0, b"", (0, 0))], 1):
        nameb = name.encode() + b"\0"
        fields = [ino if name != "TRAILER!!!" else 0, mode, 0, 0,
                  2 if mode & 0o170000 == 0o040000 else 1, 0, len(data), 0, 0,
                  rdev[0], rdev[1], len(nameb), 0]
        out.extend(b"070701" + b"".join(b"%08X" % v for v in fields))
        out.extend(nameb)
        pad4()
        out.extend(data)
        pad4()
    return bytes(out)


def make_initramfs(bench_path, out_path):
    with open(bench_path, "rb") as f:
        prog = f.read()
    entries = [
        ("dev", 0o040755, b"", (0, 0)),
        ("dev/console", 0o020600, b"", (5, 1)),
        ("proc", 0o040755, b"", (0, 0)),
        ("tmp", 0o041777, b"", (0, 0)),
        ("init", 0o100755, prog, (0, 0)),
    ]
    with open(out_path, "wb") as f:
        f.write(gzip.compress(cpio_newc(entries), compresslevel=6, mtime=0))
    return out_path


# ---------------------------------------------------------------- booting

def qemu_command(arch, kernel_path, initrd, icount, args):
    init_args = (" -- " + " ".join(args)) if args else ""
    if arch == "x86_64":
        cmd = ["qemu-system-x86_64", "-accel", "tcg", "-M", "pc", "-cpu", "qemu64", "-m", "512M",
               "-nodefaults", "-nographic", "-serial", "stdio", "-no-reboot",
               "-kernel", kernel_path, "-initrd", initrd,
               "-append", "console=ttyS0 panic=-1 quiet" + init_args]
    else:
        cmd = ["qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a57", "-m", "512M",
               "-nographic", "-no-reboot", "-kernel", kernel_path, "-initrd", initrd,
               "-append", "console=ttyAMA0 panic=-1 quiet nokaslr" + init_args]
    if icount:
        cmd += ["-icount", "shift=0,sleep=off"]
    return cmd


def parse(text, result=None):
    """Fill a BenchResult from serial output."""
    res = result if result is not None else BenchResult()
    for m in BENCH_RE.finditer(text):
        res[m.group(1)] = int(m.group(3)) / int(m.group(2))
    for m in SKIP_RE.finditer(text):
        res[m.group(1)] = None
        res.skips[m.group(1)] = m.group(2).strip()
    res.ok = bool(END_RE.search(text))
    return res


def run_linux(arch, bench_path, icount, args=(), timeout=DEFAULT_TIMEOUT):
    """Boot Linux 6.1 with bench_path as /init (argv: args) and return a BenchResult:
    {name: ns per op (instructions per op with icount)}, None for skipped ones.
    On a timeout or a run without BENCH-END, .ok is False and .error says why; the
    failure is also reported on stderr (no exception: the caller shows n/a)."""
    arch = _norm_arch(arch)
    res = BenchResult()
    try:
        _pkg, kpath = kernel(arch)
    except (RuntimeError, OSError, subprocess.CalledProcessError) as e:
        res.error = f"no kernel: {e}"
        print(f"linuxbench: {arch}: {res.error}", file=sys.stderr)
        return res
    with tempfile.TemporaryDirectory(prefix="linuxbench-") as tmp:
        initrd = make_initramfs(bench_path, os.path.join(tmp, "initrd.gz"))
        cmd = qemu_command(arch, kpath, initrd, icount, list(args or []))
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, start_new_session=True)
        try:
            out, _ = proc.communicate(timeout=timeout)
            timed_out = False
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
            timed_out = True
    res.output = out.decode("utf-8", "replace")
    parse(res.output, res)
    if timed_out:
        res.ok = False
        res.error = f"QEMU killed after {timeout} s"
    elif not res.ok:
        res.error = f"no BENCH-END (QEMU exit {proc.returncode})"
    if res.error:
        print(f"linuxbench: {arch}{' icount' if icount else ''}: {res.error}\n"
              + res.output[-1500:], file=sys.stderr)
    return res


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    extra = []
    if "--" in argv:
        i = argv.index("--")
        argv, extra = argv[:i], argv[i + 1:]
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--arch", required=True, help="x86_64 or aarch64")
    ap.add_argument("--bench", required=True, help="the static benchmark binary")
    ap.add_argument("--icount", action="store_true", help="-icount shift=0,sleep=off")
    ap.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT)
    ap.add_argument("--show-output", action="store_true", help="print the serial output")
    a = ap.parse_args(argv)
    res = run_linux(a.arch, a.bench, a.icount, extra, a.timeout)
    if a.show_output:
        print(res.output)
    unit = "insns/op" if a.icount else "ns/op"
    for name, v in res.items():
        if v is None:
            print(f"{name:16} n/a ({res.skips.get(name, '')})")
        else:
            print(f"{name:16} {v:12.1f} {unit}")
    return 0 if res.ok else 1


if __name__ == "__main__":
    sys.exit(main())

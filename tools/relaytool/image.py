"""Boot images: a cpio (newc) archive with /boot/manifest, the servers and programs."""
import os
import re

from . import build


class ImageError(Exception):
    pass


def cpio_newc(entries):
    """entries: list of (guest path, bytes, mode) -> the archive bytes."""
    out = bytearray()

    def add(name, data, mode, ino):
        nb = name.encode() + b"\0"
        fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(nb), 0]
        out.extend(b"070701" + b"".join(b"%08X" % f for f in fields) + nb)
        out.extend(b"\0" * (-len(out) % 4))
        out.extend(data)
        out.extend(b"\0" * (-len(out) % 4))

    for ino, (path, data, mode) in enumerate(entries, 1):
        add(path.lstrip("/"), data, mode, ino)
    add("TRAILER!!!", b"", 0, 0)
    return bytes(out)


def parse_add(spec):
    host, sep, guest = spec.rpartition(":")
    if not sep or not host or not guest.startswith("/"):
        raise ImageError(f"--add wants HOSTFILE:/guest/path, got {spec!r}")
    if not os.path.isfile(host):
        raise ImageError(f"--add: no such file {host}")
    return host, guest


# The console's UART on each machine: the device rights its manifest line grants.
UART = "@uart"
UART_OPTIONS = {"x86_64": ["io=0x3f8+8", "irq=4"],                  # COM1, ISA IRQ 4
                "aarch64": ["mmio=0x9000000+0x1000", "irq=33"]}     # PL011, SPI 1

# The standard system: which program serves which route class (the console serves none:
# the vfs forwards /dev/console to it; UART stands for the arch's device options).
BASE_SERVERS = [("proc", "/sbin/proc", ["proc"]), ("mm", "/sbin/mm", ["mm"]),
                ("vfs", "/sbin/vfs", ["vfs"]), ("sig", "/sbin/sig", ["sig"])]
def _glibc_progs():
    """The test programs also built against glibc: glibc_progs in tests/progs/meson.build."""
    with open(os.path.join(build.ROOT, "tests", "progs", "meson.build")) as f:
        m = re.search(r"^glibc_progs = \[([^\]]*)\]", f.read(), re.M)
    return re.findall(r"'([^']+)'", m.group(1)) if m else []


GLIBC_PROGS = _glibc_progs()

STANDARD_SERVERS = BASE_SERVERS + [("console", "/sbin/console", [UART])]


def manifest_text(servers, init, native_init=False, arch="x86_64"):
    lines = ["# Relay boot manifest: server <name> <path> [route classes] [io=|mmio=|irq=]; "
             "init <path> [args]"]
    for name, path, routes in servers:
        words = [w for r in routes for w in (UART_OPTIONS[arch] if r == UART else [r])]
        lines.append(" ".join(["server", name, path] + words))
    lines.append(" ".join(["init"] + (["native"] if native_init else []) + list(init)))
    return "\n".join(lines) + "\n"


def standard_files(arch):
    """(guest path, host path) of every program the build made for arch."""
    b = build.build_dir(arch)
    files = [("/sbin/proc", "servers/proc"), ("/sbin/vfs", "servers/vfs"), ("/sbin/mm", "servers/mm"),
             ("/sbin/sig", "servers/sig"),
             ("/sbin/console", "servers/console"), ("/bin/ttytest", "tests/progs/ttytest"),
             ("/bin/devtest", "tests/progs/devtest"),
             ("/sbin/ping", "tests/native/ping"), ("/sbin/pong", "tests/native/pong"),
             ("/sbin/crash", "tests/native/crash"), ("/bin/hello", "tests/progs/hello"), ("/bin/hello-pie", "tests/progs/hello-pie"),
             ("/bin/memtest", "tests/progs/memtest"),
             ("/bin/forktest", "tests/progs/forktest"), ("/bin/exectest", "tests/progs/exectest"),
             ("/bin/execchild", "tests/progs/execchild"), ("/bin/leaktest", "tests/progs/leaktest"),
             ("/bin/timetest", "tests/progs/timetest"),
             ("/bin/fstest", "tests/progs/fstest"), ("/bin/fdtest", "tests/progs/fdtest"),
             ("/bin/pipetest", "tests/progs/pipetest"), ("/bin/badptr", "tests/progs/badptr"),
             ("/bin/sysfuzz", "tests/progs/sysfuzz"), ("/bin/scripttest", "tests/progs/scripttest"),
             ("/bin/proctest", "tests/progs/proctest"), ("/bin/fptest", "tests/progs/fptest"),
             ("/bin/sigtest", "tests/progs/sigtest"),
             ("/bin/mmaptest", "tests/progs/mmaptest"),
             ("/bin/bench", "tests/bench/bench")]
    files += [(f"/bin/{p}-glibc", f"tests/progs/{p}-glibc") for p in GLIBC_PROGS]
    return [(g, os.path.join(b, h)) for g, h in files if os.path.exists(os.path.join(b, h))]


def make_image(arch, manifest, adds=(), name="boot.cpio"):
    """Write build/<arch>/images/<name> with the manifest, the standard files and adds."""
    entries = [("/boot/manifest", manifest.encode(), 0o100644),
               ("/etc/relay-release", b"Relay 0.1 (a text file: execve gives ENOEXEC)\n", 0o100755)]
    for guest, host in list(standard_files(arch)) + [(g, h) for h, g in adds]:
        with open(host, "rb") as f:
            entries.append((guest, f.read(), 0o100755))
    out_dir = os.path.join(build.build_dir(arch), "images")
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, name)
    with open(path, "wb") as f:
        f.write(cpio_newc(entries))
    return path


def make_default_image(arch, prog, adds):
    return make_image(arch, manifest_text(STANDARD_SERVERS, prog, arch=arch), adds)

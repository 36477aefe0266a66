"""Debian packages Relay needs: installed when running as root, else the apt command is printed."""
import os
import shutil
import subprocess
import sys

# (command or file that proves the package is there, package)
NEEDED = [
    ("qemu-system-x86_64", "qemu-system-x86"),
    ("qemu-system-aarch64", "qemu-system-arm"),
    ("aarch64-linux-gnu-gcc", "gcc-aarch64-linux-gnu"),
    ("meson", "meson"),
    ("ninja", "ninja-build"),
    ("musl-gcc", "musl-tools"),
    ("/usr/lib/aarch64-linux-musl/libc.a", "musl-dev:arm64"),
    ("gcc", "gcc"),
    ("qemu-aarch64", "qemu-user"),
]


def missing():
    out = []
    for probe, pkg in NEEDED:
        found = os.path.exists(probe) if probe.startswith("/") else shutil.which(probe)
        if not found:
            out.append(pkg)
    return out


def ensure():
    """Make sure every needed package is installed; exit 3 with the apt command if we can't."""
    need = missing()
    if not need:
        return
    arm = any(p.endswith(":arm64") for p in need)
    cmd = (["dpkg --add-architecture arm64"] if arm else []) + [
        "apt-get update", "apt-get install -y " + " ".join(need)]
    if os.geteuid() != 0:
        print("relay: missing Debian packages; run as root:\n  " + " && ".join(cmd), file=sys.stderr)
        sys.exit(3)
    print("relay: installing " + " ".join(need), file=sys.stderr)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for c in cmd:
        subprocess.run(c, shell=True, check=True, env=env, stdout=subprocess.DEVNULL)
    still = missing()
    if still:
        print("relay: still missing after apt-get: " + " ".join(still), file=sys.stderr)
        sys.exit(3)

"""Meson/Ninja builds: build/<arch> (cross) and build/host (unit tests, sanitizers)."""
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class BuildError(Exception):
    pass


def build_dir(arch):
    return os.path.join(ROOT, "build", arch)


def _setup(bdir, extra):
    if os.path.exists(os.path.join(bdir, "build.ninja")):
        return
    cmd = ["meson", "setup", bdir, ROOT] + extra
    if subprocess.run(cmd, stdout=subprocess.DEVNULL).returncode:
        raise BuildError("meson setup failed: " + " ".join(cmd))


def build(arch):
    """Build the kernel, servers and test programs of arch; return the build dir."""
    bdir = build_dir(arch)
    _setup(bdir, ["--cross-file", os.path.join(ROOT, "arch", arch, "cross.ini")])
    if subprocess.run(["ninja", "-C", bdir], stdout=subprocess.DEVNULL).returncode:
        subprocess.run(["ninja", "-C", bdir])
        raise BuildError(f"build for {arch} failed")
    return bdir


def build_host():
    """Build the host unit tests (ASan/UBSan); return the build dir."""
    bdir = build_dir("host")
    _setup(bdir, [])
    if subprocess.run(["ninja", "-C", bdir], stdout=subprocess.DEVNULL).returncode:
        subprocess.run(["ninja", "-C", bdir])
        raise BuildError("host build failed")
    return bdir


def artifact(arch, rel):
    path = os.path.join(build_dir(arch), rel)
    if not os.path.exists(path):
        raise BuildError(f"{rel} was not built for {arch}")
    return path

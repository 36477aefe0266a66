"""Debian's busybox-static (a glibc static binary, unmodified) runs tests/scripts/bbtest.sh
under Relay and under the host's Linux (AArch64 through qemu-aarch64): both must print the
same lines and exit with the same status. Linux is the oracle. And an interactive busybox
shell on the console, driven like a user (run_interactive).

The packages are fetched once with `apt-get download busybox-static[:arm64]` into
$RELAY_CACHE/busybox (default ~/.cache/relay); without them the test is skipped, saying why."""
import os
import re
import subprocess
import tempfile

import linuxbench

from . import build, image, qemu

DEB_ARCH = {"x86_64": "amd64", "aarch64": "arm64"}
SCRIPT = os.path.join(build.ROOT, "tests", "scripts", "bbtest.sh")
TIMEOUT = 300




def fetch(arch):
    """(path of busybox for arch, None) or (None, why it is not there)."""
    out = os.path.join(linuxbench.relay_cache("busybox"), arch)
    path = os.path.join(out, "bin", "busybox")
    if os.path.exists(path):
        return path, None
    os.makedirs(out, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        p = subprocess.run(["apt-get", "download", "busybox-static:" + DEB_ARCH[arch]], cwd=tmp,
                           capture_output=True, text=True)
        debs = [f for f in os.listdir(tmp) if f.endswith(".deb")]
        if p.returncode or not debs:
            return None, "apt-get download busybox-static failed: " + (p.stderr.strip()[-200:] or "no .deb")
        subprocess.run(["dpkg", "-x", os.path.join(tmp, debs[0]), out], check=True)
    return (path, None) if os.path.exists(path) else (None, "no bin/busybox in the package")


def lines(text):
    """The program's lines, without the kernel's own (relay: ...) and carriage returns."""
    return [l.rstrip("\r") for l in text.splitlines() if not l.startswith("relay:")]


def on_host(arch, runner, bb):
    """Run the script with busybox on the host; (exit status, lines of stdout and stderr,
    which share the console on Relay)."""
    scratch = os.path.join(build.build_dir(arch), "host-run", "scratch")
    os.makedirs(scratch, exist_ok=True)
    bb_cmd = bb
    if runner:  # no binfmt_misc: the script's own busybox calls go through a wrapper
        bb_cmd = os.path.join(build.build_dir(arch), "host-run", "busybox-wrapper")
        with open(bb_cmd, "w") as f:
            f.write(f"#!/bin/sh\nexec env -u PWD {runner[0]} -0 busybox {bb} \"$@\"\n")
        os.chmod(bb_cmd, 0o755)
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/"}
    p = subprocess.run(runner + [bb, "sh", SCRIPT, scratch, bb_cmd], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=TIMEOUT, env=env)
    return p.returncode, lines(p.stdout)


def on_relay(arch, bb):
    manifest = image.manifest_text(image.STANDARD_SERVERS,
                                   ["/bin/busybox", "sh", "/etc/bbtest.sh", "/tmp", "/bin/busybox"],
                                   arch=arch)
    img = image.make_image(arch, manifest, [(bb, "/bin/busybox"), (SCRIPT, "/etc/bbtest.sh")],
                           name="test-busybox.cpio")
    res = qemu.boot(arch, img, timeout=TIMEOUT, echo=False)
    return res.exit_code, lines(res.output)


# An interactive busybox shell on the console: line editing, ^C sent to the foreground job
# (SIGINT through the console's line discipline, proc and sig), a trap, ^Z stopping a job
# and fg continuing it, a background job.
INTERACTIVE = [
    (r"# ", b"echo hello $((6*7))\n"),
    (r"hello 42\n", b"busybox sh -c 'echo sleeping; exec busybox sleep 30'\n"),
    (r"sleeping\n", b"\x03"),
    (r"# ", b"echo status=$?\n"),
    (r"status=130\n", b"trap 'echo got INT' INT; busybox sh -c 'echo sleeping2; exec busybox sleep 30'\n"),
    (r"sleeping2\n", b"\x03"),
    (r"got INT\n", b"trap - INT; busybox sh -c 'echo sleeping3; exec busybox sleep 30'\n"),
    (r"sleeping3\n", b"\x1a"),                     # ^Z: SIGTSTP stops the job
    (r"Stopped", b"fg\n"),                          # SIGCONT, in the foreground again
    (r"fg\n.*sleep 30", b"\x03"),
    (r"# ", b"echo st=$?\n"),
    (r"st=130\n", b"busybox sleep 30 & jobs\n"),
    (r"Running", b"kill %1; wait; echo waited\n"),
    (r"waited\n", b"exit 9\n"),
]
INTERACTIVE_EXPECT = [r"hello 42", r"status=130", r"got INT", r"\[1\]\+ +Stopped", r"st=130",
                      r"\[1\]\+ +Running", r"waited"]


def run_interactive(arch, tally):
    name = f"{arch}/busybox-interactive"
    bb, why = fetch(arch)
    if not bb:
        tally.report(name, [], skip=why)
        return
    manifest = image.manifest_text(image.STANDARD_SERVERS, ["/bin/busybox", "sh", "-i"], arch=arch)
    img = image.make_image(arch, manifest, [(bb, "/bin/busybox")], name="test-busybox-i.cpio")
    res = qemu.boot(arch, img, timeout=TIMEOUT, echo=False, script=INTERACTIVE)
    text = res.output.replace("\r", "")
    problems = [] if res.exit_code == 9 else [f"exit status {res.exit_code}, expected 9"]
    problems += [f"missing output /{p}/" for p in INTERACTIVE_EXPECT if not re.search(p, text, re.M)]
    if problems:
        problems.append("console tail:\n" + text[-1200:])
    tally.report(name, problems)


def run(arch, runner, tally):
    """The test for arch (runner: how to run arch's binaries here, None: cannot)."""
    name = f"{arch}/busybox-glibc"
    bb, why = fetch(arch)
    if not bb or runner is None:
        tally.report(name, [], skip=why or f"no qemu-{arch} to run the oracle")
        return
    host_rc, host_out = on_host(arch, runner, bb)
    relay_rc, relay_out = on_relay(arch, bb)
    problems = []
    if host_rc != 5 or "bbtest: done" not in host_out:
        problems.append(f"the host's run is not the expected one (status {host_rc}): "
                        + " | ".join(host_out[-5:]))
    if relay_rc != host_rc:
        problems.append(f"exit status {relay_rc} on Relay, {host_rc} on Linux")
    if relay_out != host_out:
        diff = [f"line {i + 1}: Relay {r!r} / Linux {h!r}"
                for i, (r, h) in enumerate(zip(relay_out + [""] * 99, host_out + [""] * 99))
                if r != h][:5]
        problems.append("output differs: " + "; ".join(diff))
    tally.report(name, problems)

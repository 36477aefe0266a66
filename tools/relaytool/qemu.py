"""Boot Relay under QEMU (TCG by default), stream the serial console, decode the exit."""
import os
import re
import select
import subprocess
import sys
import time
from dataclasses import dataclass

from . import build, interact

EXIT_TIMEOUT = 124
EXIT_KERNEL_FAILURE = 125
EXIT_NO_STATUS = 126

INIT_RE = re.compile(rb"relay: init exited with status (\d+)")
FAIL_RE = re.compile(rb"relay: (panic|deadlock|server '[^']*' died)")


@dataclass
class BootResult:
    exit_code: int
    output: str
    qemu_rc: int
    seconds: float


def qemu_command(arch, kernel, initrd, cmdline, icount=False, kvm=False, interactive=False):
    if arch == "x86_64":
        cmd = ["qemu-system-x86_64", "-M", "pc", "-cpu", "qemu64", "-m", "512M",
               "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    else:
        cmd = ["qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a57", "-m", "512M",
               "-semihosting-config", "enable=on,target=native"]
    cmd += ["-accel", "kvm" if kvm else "tcg", "-nodefaults", "-display", "none",
            # interactive: ^C goes to the guest's tty (SIGINT there); Ctrl-A X quits QEMU
            "-serial", "mon:stdio" if interactive else "stdio", "-no-reboot",
            "-kernel", kernel, "-initrd", initrd,
            "-append", cmdline]
    if icount:
        cmd += ["-icount", "shift=0,sleep=off"]
    return cmd


def decode(arch, out, rc):
    """The run's exit code: init's status from the console, else a failure code."""
    m = INIT_RE.search(out)
    if m:
        return int(m.group(1))
    if FAIL_RE.search(out):
        return EXIT_KERNEL_FAILURE
    return EXIT_NO_STATUS


def boot(arch, initrd, trace=False, icount=False, kvm=False, timeout=300, echo=True,
         cmdline_extra="", interactive=False, script=None):
    """Boot the kernel of arch with initrd; return a BootResult. interactive: the serial
    console reads this process's stdin (the user types to the guest); script: steps of
    interact.Script typed into the serial console (a step that times out fails the run
    like a hung guest)."""
    kernel = build.artifact(arch, "kernel/kernel.img")
    cmdline = " ".join(w for w in ["quiet" if not echo else "", "trace" if trace else "",
                                   cmdline_extra] if w)
    cmd = qemu_command(arch, kernel, initrd, cmdline or "relay", icount, kvm, interactive)
    start = time.monotonic()
    player = interact.Script(script) if script else None
    stdin = subprocess.PIPE if player else None if interactive else subprocess.DEVNULL
    p = subprocess.Popen(cmd, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    failure = None

    def send(data):
        p.stdin.write(data)
        p.stdin.flush()

    out = bytearray()
    timed_out = False
    fd = p.stdout.fileno()
    while True:
        left = None if not timeout else timeout - (time.monotonic() - start)
        if left is not None and left <= 0:
            timed_out = True
            break
        r, _, _ = select.select([fd], [], [], min(left, 0.5) if left else 0.5)
        if r:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            out += chunk
            if echo:
                sys.stdout.buffer.write(chunk)
                sys.stdout.flush()
            if player:
                player.feed(chunk)
        elif p.poll() is not None:
            break
        if player:
            try:
                player.advance(send)
            except OSError:
                pass  # QEMU went away: its exit status decides
            if player.failed:
                failure, timed_out = player.failed, True
                break
    if timed_out:
        p.terminate()  # QEMU restores a terminal it made raw (interactive runs)
        try:
            p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            p.kill()
    rc = p.wait()
    secs = time.monotonic() - start
    text = bytes(out).replace(b"\r\n", b"\n")
    if timed_out:
        why = failure or f"timeout after {timeout:.0f} s: the guest hung"
        if echo:
            print(f"\nrelay: {why}", file=sys.stderr)
        return BootResult(EXIT_TIMEOUT, text.decode(errors="replace") + f"\n[{why}]", rc, secs)
    code = decode(arch, text, rc)
    if echo and code == EXIT_KERNEL_FAILURE:
        print("relay: the kernel stopped on a failure", file=sys.stderr)
    elif echo and code == EXIT_NO_STATUS:
        print(f"relay: QEMU ended (rc {rc}) without an init exit status", file=sys.stderr)
    return BootResult(code, text.decode(errors="replace"), rc, secs)

"""Interaction scripts: type bytes into a console after seeing a pattern, with timeouts.

A script is a list of steps (regex, bytes): wait until the regex matches the output that
came after the previous step's match, then send the bytes. Output is matched with the
carriage returns removed (a tty writes "\\r\\n"). Used for QEMU's serial (qemu.boot) and
for a program on a host pty (run_pty): a step that does not match in time fails the run.
"""
import os
import pty
import re
import select
import signal
import time


class Script:
    def __init__(self, steps, step_timeout=60.0):
        self.steps = [(re.compile(p.encode() if isinstance(p, str) else p), d) for p, d in steps]
        self.step_timeout = step_timeout
        self.i = 0
        self.pos = 0
        self.text = bytearray()
        self.deadline = None
        self.failed = None

    def feed(self, chunk):
        self.text += chunk.replace(b"\r", b"")

    def advance(self, send, now=None):
        """Send every step whose pattern has appeared; set .failed when a step times out."""
        now = time.monotonic() if now is None else now
        if self.deadline is None:
            self.deadline = now + self.step_timeout
        while self.i < len(self.steps) and not self.failed:
            pat, data = self.steps[self.i]
            m = pat.search(bytes(self.text[self.pos:]))
            if not m:
                if now > self.deadline:
                    self.failed = (f"interaction step {self.i + 1}: no /{pat.pattern.decode()}/ "
                                   f"within {self.step_timeout:.0f} s")
                return
            self.pos += m.end()
            send(data)
            self.i += 1
            self.deadline = now + self.step_timeout


def run_pty(argv, steps, timeout=120.0):
    """Run argv on a new pty (its controlling terminal), playing steps on it.
    Returns (exit status or -signal, output text, problem or None)."""
    script = Script(steps)
    pid, fd = pty.fork()
    if pid == 0:
        try:
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    out = bytearray()
    start = time.monotonic()
    problem = None
    while True:
        if time.monotonic() - start > timeout:
            problem = f"timeout after {timeout:.0f} s"
            break
        r, _, _ = select.select([fd], [], [], 0.5)
        if r:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                break
            out += chunk
            script.feed(chunk)
        script.advance(lambda d: os.write(fd, d))
        if script.failed:
            problem = script.failed
            break
    if problem:
        os.kill(pid, signal.SIGKILL)
    _, st = os.waitpid(pid, 0)
    os.close(fd)
    status = os.WEXITSTATUS(st) if os.WIFEXITED(st) else -os.WTERMSIG(st)
    return status, bytes(out).replace(b"\r\n", b"\n").decode(errors="replace"), problem

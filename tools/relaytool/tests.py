"""./relay test: host unit tests, the same binaries on the host, and QEMU boot tests."""
import os
import re
import subprocess
import time

from . import build, busybox, image, interact, qemu

TIMEOUT = 120


class Case:
    """One QEMU boot test: a manifest, the expected exit code and console patterns."""

    def __init__(self, name, servers, init, status, expect=(), reject=(), native_init=False,
                 trace=False, script=None):
        self.name, self.servers, self.init, self.status = name, servers, init, status
        self.expect, self.reject = expect, reject
        self.native_init, self.trace, self.script = native_init, trace, script

    def run(self, arch):
        text = image.manifest_text(self.servers, self.init, self.native_init, arch)
        img = image.make_image(arch, text, name=f"test-{self.name}.cpio")
        res = qemu.boot(arch, img, trace=self.trace, timeout=TIMEOUT, echo=False,
                        script=self.script)
        problems = []
        if res.exit_code != self.status:
            problems.append(f"exit status {res.exit_code}, expected {self.status}")
        for pat in self.expect:
            if not re.search(pat, res.output, re.M):
                problems.append(f"missing output /{pat}/")
        for pat in self.reject:
            if re.search(pat, res.output, re.M):
                problems.append(f"unexpected output /{pat}/")
        return problems, res


STD = image.STANDARD_SERVERS

# ttytest's input, typed after each prompt (interact.Script steps), and what the console
# must show: echo in canonical mode, the erase and kill characters applied, "^C" flushing
# the line, ^D as end of file, no echo in raw mode. Used on Relay (QEMU's serial) and on
# Linux (a pty) alike.
TTY_SCRIPT = [
    (r"line1> ", b"abc\x15hellp\x7fo wor\x7frld\r"),   # ^U, DEL twice, CR -> NL
    (r"line2> ", b"junk"),
    (r"junk", b"\x03"),                                  # ^C: the line is dropped
    (r"\^C", b"kept\r"),
    (r"eof1> ", b"ab\x04"),                               # ^D after text: "ab", no NL
    (r"eof2> ", b"\x04"),                                 # ^D at line start: EOF
    (r"poll> ", b"line\r"),
    (r"raw> ", b"q\x7fz"),                                # raw: bytes as typed, no echo
]
TTY_EXPECT = [r"line1> abc", r"got1 \[hello world\]", r"junk\^C", r"got2 \[kept\]",
              r"eof1 \[ab\] 2", r"eof2 0", r"got4 \[line\] avail 5",
              r"raw> raw bytes 71 7f 7a", r"ttytest: all checks passed"]
TTY_REJECT = [r"FAIL"]

CASES = [
    Case("hello", STD, ["/bin/hello", "one", "two"], 42,
         expect=[r"pid=1 ppid=0", r"argv\[2\]=two", r"hello: all checks passed"],
         reject=[r"FAIL"]),
    Case("hello-static-pie", STD, ["/bin/hello-pie"], 42, expect=[r"hello: all checks passed"],
         reject=[r"FAIL"]),
    Case("trace", STD, ["/bin/hello"], 42, trace=True,
         expect=[r"^\[1\] getppid\(\) = 0$", r"^\[1\] syscall_999\(.*\) = -38 ENOSYS$",
                 r"^\[1\] write\(1, 0x8, 4\) = -14 EFAULT$",
                 r"^\[1\] ioctl\(1, TIOCGWINSZ, 0x[0-9a-f]+\) = 0$",
                 r"^\[1\] exit_group\(42\) = \?$", r"^\[1\] \+\+\+ exited with 42 \+\+\+$"]),
    Case("ipc-pingpong", [("pong", "/sbin/pong", [])], ["/sbin/ping", "100000"], 0,
         native_init=True, expect=[r"ping: 100000 round trips, 0 bad payloads", r"ping: notifications ok"]),
    Case("server-crash", STD + [("crash", "/sbin/crash", [])], ["/bin/hello"],
         qemu.EXIT_KERNEL_FAILURE,
         expect=[r"fault: server 'crash' thread \d+: page fault reading address 0x0 ",
                 r"server 'crash' died"]),
    Case("memtest", STD, ["/bin/memtest"], 0, expect=[r"memtest: all checks passed"],
         reject=[r"FAIL"]),
    Case("forktest", STD, ["/bin/forktest"], 0, expect=[r"forktest: all checks passed"],
         reject=[r"FAIL"]),
    Case("exectest", STD, ["/bin/exectest", "/bin/execchild", "/etc/relay-release"], 0,
         expect=[r"exectest: all checks passed"], reject=[r"FAIL", r"skipped"]),
    Case("fstest", STD, ["/bin/fstest", "/tmp"], 0, expect=[r"fstest: all checks passed"],
         reject=[r"FAIL"]),
    Case("mmaptest", STD, ["/bin/mmaptest", "/tmp"], 0, expect=[r"mmaptest: all checks passed"],
         reject=[r"FAIL"]),
    Case("fdtest", STD, ["/bin/fdtest", "/tmp"], 0, expect=[r"fdtest: all checks passed"],
         reject=[r"FAIL", r"skipped"]),
    Case("pipetest", STD, ["/bin/pipetest"], 0, expect=[r"pipetest: all checks passed"],
         reject=[r"FAIL"]),
    Case("sigtest", STD, ["/bin/sigtest"], 0, expect=[r"sigtest: all checks passed"],
         reject=[r"FAIL"]),
    Case("badptr", STD, ["/bin/badptr", "/tmp"], 0, expect=[r"badptr: all checks passed"],
         reject=[r"FAIL"]),
    Case("sysfuzz", STD, ["/bin/sysfuzz", "/tmp"], 0, expect=[r"sysfuzz: all checks passed"],
         reject=[r"FAIL"]),
    Case("sysfuzz-sig", STD, ["/bin/sysfuzz", "/tmp", "40", "500", "sig"], 0,
         expect=[r"sysfuzz: .* random signal calls", r"sysfuzz: all checks passed"],
         reject=[r"FAIL"]),
    Case("scripttest", STD, ["/bin/scripttest", "/tmp", "/bin/execchild", "/bin/hello"], 0,
         expect=[r"scripttest: all checks passed", r"argv\[1\]=one"], reject=[r"FAIL"]),
    Case("proctest", STD, ["/bin/proctest", "one", "two"], 0,
         expect=[r"proctest: all checks passed"], reject=[r"FAIL"]),
    Case("fptest", STD, ["/bin/fptest"], 0, expect=[r"fptest: all checks passed"],
         reject=[r"FAIL"]),
    Case("timetest", STD, ["/bin/timetest"], 0, expect=[r"timetest: all checks passed"],
         reject=[r"FAIL"]),
    Case("ttytest", STD, ["/bin/ttytest"], 0, script=TTY_SCRIPT, expect=TTY_EXPECT,
         reject=TTY_REJECT),
    Case("devtest", STD, ["/bin/devtest"], 139,
         expect=[r"devtest: expecting SIGSEGV", r"relay: init killed by signal 11"],
         reject=[r"FAIL"]),
    Case("hello-no-console", image.BASE_SERVERS, ["/bin/hello", "one", "two"], 42,
         expect=[r"hello: all checks passed"], reject=[r"FAIL"]),
    Case("leaktest", STD, ["/bin/leaktest"], 0,
         expect=[r"fork/exit/wait cycles: .* delta 0 KiB", r"fork/exec/exit/wait cycles: .* delta 0 KiB",
                 r"leaktest: all checks passed"], reject=[r"FAIL"]),
] + [
    Case(f"memtest-{how}", STD, ["/bin/memtest", how], 139,
         expect=[r"relay: init killed by signal 11"], reject=[r"FAIL"])
    for how in ("segv-munmap", "segv-mprotect", "segv-null")
] + [
    Case("missing-program", STD + [("ghost", "/sbin/ghost", [])], ["/bin/hello"],
         qemu.EXIT_KERNEL_FAILURE, expect=[r"relay: panic: boot: /sbin/ghost: not in the boot archive"]),
    Case("unknown-route", [("proc", "/sbin/proc", ["proc", "nosuch"])], ["/bin/hello"],
         qemu.EXIT_KERNEL_FAILURE, expect=[r"relay: panic: manifest: server proc: no route class 'nosuch'"]),
]


# The tests also built against glibc (tests/progs/meson.build): the same cases and host runs.
GLIBC_PROGS = image.GLIBC_PROGS
CASES += [Case(c.name + "-glibc", c.servers, [c.init[0] + "-glibc"] + c.init[1:], c.status,
               c.expect, c.reject) for c in list(CASES) if c.name in GLIBC_PROGS]


def host_runner(arch):
    """How to run a static binary of arch on this host, or None."""
    if arch == os.uname().machine:
        return []
    tool = "qemu-" + arch
    return [tool] if subprocess.run(["which", tool], capture_output=True).returncode == 0 else None


class Tally:
    def __init__(self):
        self.passed = self.failed = self.skipped = 0

    def report(self, name, problems, secs=None, skip=None):
        t = f" ({secs:.1f} s)" if secs is not None else ""
        if skip:
            self.skipped += 1
            print(f"SKIP {name}: {skip}")
        elif problems:
            self.failed += 1
            print(f"FAIL {name}{t}: " + "; ".join(problems))
        else:
            self.passed += 1
            print(f"PASS {name}{t}")


def run_unit(tally):
    bdir = build.build_host()
    p = subprocess.run(["meson", "test", "-C", bdir, "--print-errorlogs"], capture_output=True,
                       text=True)
    for line in p.stdout.splitlines():
        m = re.match(r"\s*\d+/\d+\s+(\S+)\s+(OK|FAIL|ERROR|TIMEOUT|SKIP)", line)
        if m:
            ok = m.group(2) == "OK"
            tally.report("unit/" + m.group(1), [] if ok else [m.group(2)])
    if p.returncode and "FAIL" not in p.stdout:
        tally.report("unit/meson-test", ["meson test failed:\n" + p.stdout[-2000:] + p.stderr[-2000:]])


# (program, arguments, expected exit status, or -signal, text it must print)
HOST_RUNS = [
    ("hello", ["one", "two"], 42, "hello: all checks passed"),
    ("hello-pie", [], 42, "hello: all checks passed"),
    ("memtest", [], 0, "memtest: all checks passed"),
    ("memtest", ["segv-munmap"], -11, "expecting SIGSEGV"),
    ("forktest", [], 0, "forktest: all checks passed"),
    ("exectest", ["{execchild}", "{notelf}"], 0, "exectest: all checks passed"),
    ("leaktest", ["{execchild}"], 0, "leaktest: all checks passed"),
    ("timetest", [], 0, "timetest: all checks passed"),
    ("fstest", ["{scratch}"], 0, "fstest: all checks passed"),
    ("fdtest", ["{scratch}"], 0, "fdtest: all checks passed"),
    ("mmaptest", ["{scratch}"], 0, "mmaptest: all checks passed"),
    ("pipetest", [], 0, "pipetest: all checks passed"),
    ("badptr", ["{scratch}"], 0, "badptr: all checks passed"),
    ("sysfuzz", ["{scratch}"], 0, "sysfuzz: all checks passed"),
    ("sysfuzz", ["{scratch}", "40", "500", "sig"], 0, "sysfuzz: all checks passed"),
    ("proctest", ["one", "two"], 0, "proctest: all checks passed"),
    ("fptest", [], 0, "fptest: all checks passed"),
    ("sigtest", [], 0, "sigtest: all checks passed"),
    ("scripttest", ["{scratch}", "{execchild}", "{hello}"], 0, "scripttest: all checks passed"),
    ("ttytest", [], 0, "ttytest: all checks passed"),
    ("devtest", [], -11, "devtest: expecting SIGSEGV"),
]
HOST_RUNS += [(prog + "-glibc", args, status, text) for prog, args, status, text in list(HOST_RUNS)
              if prog in GLIBC_PROGS]
# Host runs on a pty, driven by an interaction script: program -> (steps, expect, reject).
HOST_PTY_RUNS = {"ttytest": (TTY_SCRIPT, TTY_EXPECT, TTY_REJECT)}


def host_arg(arch, runner, arg):
    """Arguments naming guest files, made real for a host run."""
    out = os.path.join(build.build_dir(arch), "host-run")
    os.makedirs(out, exist_ok=True)
    if arg == "{scratch}":
        path = os.path.join(out, "scratch")
        os.makedirs(path, exist_ok=True)
        return path
    if arg == "{notelf}":
        path = os.path.join(out, "not-an-elf")
        with open(path, "w") as f:
            f.write("Relay test: a text file, not a program\n")
        os.chmod(path, 0o755)
        return path
    for name in ("hello", "execchild"):
        if arg != "{" + name + "}":
            continue
        prog = build.artifact(arch, f"tests/progs/{name}")
        if not runner:
            return prog
        # Without binfmt_misc, an emulated program cannot exec another one directly.
        path = os.path.join(out, f"{name}-wrapper")
        with open(path, "w") as f:
            f.write(f"#!/bin/sh\nexec env -u PWD {runner[0]} -0 {name} {prog} \"$@\"\n")
        os.chmod(path, 0o755)
        return path
    return arg


def run_host_binary(arch, tally):
    """The very binaries booted under Relay, run on the host's Linux: Linux is the oracle."""
    runner = host_runner(arch)
    for prog, args, status, text in HOST_RUNS:
        tag = args[0] if args and status < 0 else args[-1] if args and args[-1] == "sig" else ""
        name = f"{arch}/{prog}{'-' + tag if tag else ''}-on-host-linux"
        if runner is None:
            tally.report(name, [], skip=f"no qemu-{arch} user-mode emulator on this host")
            continue
        path = build.artifact(arch, f"tests/progs/{prog}")
        args = [host_arg(arch, runner, a) for a in args]
        if prog in HOST_PTY_RUNS:
            steps, expect, reject = HOST_PTY_RUNS[prog]
            rc, stdout, problem = interact.run_pty(runner + [path] + args, steps)
            problems = [problem] if problem else []
            problems += [f"missing output /{pat}/" for pat in expect if not re.search(pat, stdout, re.M)]
            problems += [f"unexpected output /{pat}/" for pat in reject if re.search(pat, stdout, re.M)]
        else:
            p = subprocess.run(runner + [path] + args, capture_output=True, text=True, timeout=300)
            rc, stdout, problems = p.returncode, p.stdout, []
        if rc != status:
            problems.append(f"exit status {rc}, expected {status}")
        if text not in stdout:
            problems.append("output lacks " + repr(text) + ": " + stdout[-500:])
        tally.report(name, problems)


def run_all(arches, unit_only=False):
    tally = Tally()
    run_unit(tally)
    if not unit_only:
        for arch in arches:
            build.build(arch)
            run_host_binary(arch, tally)
            for case in CASES:
                start = time.monotonic()
                problems, res = case.run(arch)
                if problems:
                    problems.append("console tail:\n" + res.output[-1500:])
                tally.report(f"{arch}/{case.name}", problems, time.monotonic() - start)
            busybox.run(arch, host_runner(arch), tally)
            busybox.run_interactive(arch, tally)
    print(f"{tally.passed} passed, {tally.failed} failed" +
          (f", {tally.skipped} skipped" if tally.skipped else ""))
    return 1 if tally.failed else 0

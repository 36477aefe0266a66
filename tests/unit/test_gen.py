#!/usr/bin/env python3
"""Unit test of tools/gen_syscalls.py: parsing, rejection of bad tables, and the
generated C tables compiled and checked under ASan/UBSan for both architectures."""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import gen_syscalls as g  # noqa: E402

failures = checks = 0


def check(cond, what):
    global failures, checks
    checks += 1
    if not cond:
        failures += 1
        print("FAIL:", what)


def rejects(text, what):
    try:
        g.parse(text)
    except g.TableError:
        check(True, what)
        return
    check(False, "accepted " + what)


TABLE = open(os.path.join(ROOT, "libsys", "abi", "syscalls.tbl")).read()
calls, natives = g.parse(TABLE)
by = {c["name"]: c for c in calls}
check(by["getppid"]["nr"] == {"x86_64": 110, "aarch64": 173}, "getppid numbers")
check(by["write"]["nr"] == {"x86_64": 1, "aarch64": 64}, "write numbers")
check("aarch64" not in by["arch_prctl"]["nr"], "arch_prctl is x86-64 only")
check(by["getppid"]["cls"] == "proc" and by["prctl"]["cls"] is None, "route classes")
check(g.route_classes(calls)[0] == "vfs" and {"proc", "mm"} <= set(g.route_classes(calls)),
      "class order")
check([n for n, _ in natives][:3] == ["recv", "reply_recv", "call"], "native order")

rejects("linux a 1 1 proc i\nlinux b 1 2 proc i\n", "duplicate x86-64 number")
rejects("linux a 1 1 proc i\nlinux a 2 2 proc i\n", "duplicate name")
rejects("linux a 1 1 proc q\n", "unknown argument format")
rejects("linux a 1 1 proc iiiiiii\n", "seven arguments")
rejects("linux a - - proc i\n", "a call on no architecture")
rejects("linux a 5000 1 proc i\n", "number out of range")
rejects("syscall a 1 1 proc i\n", "unknown directive")
rejects("linux a 1 1 Proc i\n", "bad class name")
rejects("native x 9\n", "native with 9 arguments")

C_CHECK = r"""
#include <stdint.h>
#include <stdio.h>
#include <relay/gen/route_table.h>
int main(void)
{
	int bad = 0, n = 0;
	bad += route_sys_of_nr[LINUX_NR_getppid] != SYS_getppid + 1;
	bad += route_class_of_sys[SYS_getppid] != ROUTE_proc;
	bad += route_class_of_sys[SYS_write] != ROUTE_vfs;
	bad += route_class_of_sys[SYS_prctl] != ROUTE_NONE;
	bad += LINUX_NR_getppid != EXPECT_GETPPID;
#define X(id, name, nr, route, fmt) n++; bad += route_sys_of_nr[nr] != id + 1;
	SYSCALL_LIST(X)
#undef X
	bad += n < 40;
	for (unsigned i = 0; i <= ROUTE_MAX_NR; i++)
		bad += route_sys_of_nr[i] > SYS_COUNT;
	printf("%d calls, %d bad\n", n, bad);
	return bad != 0;
}
"""

with tempfile.TemporaryDirectory() as tmp:
    src = os.path.join(tmp, "check.c")
    with open(src, "w") as f:
        f.write(C_CHECK)
    for arch, getppid in (("x86_64", 110), ("aarch64", 173)):
        gen = os.path.join(tmp, arch, "relay", "gen")
        rc = g.main(["gen", "--arch", arch, os.path.join(ROOT, "libsys/abi/syscalls.tbl"), gen])
        check(rc == 0, f"generate {arch}")
        exe = os.path.join(tmp, arch, "check")
        cc = subprocess.run(["cc", "-std=gnu11", "-Wall", "-Werror", "-fsanitize=address,undefined",
                             f"-DEXPECT_GETPPID={getppid}", "-I", os.path.join(tmp, arch),
                             "-o", exe, src], capture_output=True, text=True)
        check(cc.returncode == 0, f"compile generated tables for {arch}: {cc.stderr}")
        if cc.returncode == 0:
            run = subprocess.run([exe], capture_output=True, text=True)
            check(run.returncode == 0, f"generated tables for {arch}: {run.stdout}")

print(f"test_gen: {checks} checks, {failures} failed")
sys.exit(1 if failures else 0)

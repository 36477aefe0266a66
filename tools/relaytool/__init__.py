"""The ./relay front-end: argument parsing and the subcommands."""
import argparse
import sys

from . import build, deps, image, qemu

ARCHES = ("x86_64", "aarch64")


def _arches(value):
    return list(ARCHES) if value in (None, "all") else [value]


def cmd_run(args):
    deps.ensure()
    build.build(args.arch)
    prog = args.prog or ["/bin/hello"]
    if prog and prog[0] == "--":
        prog = prog[1:]
    adds = [image.parse_add(a) for a in args.add]
    img = image.make_default_image(args.arch, prog, adds)
    timeout = args.timeout if args.timeout is not None else 0 if sys.stdin.isatty() else 300
    res = qemu.boot(args.arch, img, trace=args.trace, icount=args.icount, kvm=args.kvm,
                    timeout=timeout, echo=True, interactive=True)
    return res.exit_code


def cmd_build(args):
    deps.ensure()
    for a in _arches(args.arch):
        build.build(a)
    return 0


def cmd_test(args):
    from . import tests
    deps.ensure()
    return tests.run_all(_arches(args.arch), unit_only=args.unit_only)


def cmd_bench(args):
    from . import bench
    deps.ensure()
    return bench.run(_arches(args.arch))


def main(argv):
    p = argparse.ArgumentParser(prog="relay", description="Build, boot, test and measure Relay.")
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="boot Relay under QEMU and run a program as init")
    r.add_argument("--arch", choices=ARCHES, default="x86_64")
    r.add_argument("--trace", action="store_true", help="print every forwarded system call")
    r.add_argument("--add", action="append", default=[], metavar="HOST:/guest/path",
                   help="put a host file into the boot image")
    r.add_argument("--icount", action="store_true", help="-icount shift=0,sleep=off")
    r.add_argument("--kvm", action="store_true", help="use KVM (opt-in; TCG by default)")
    r.add_argument("--timeout", type=float, default=None,
                   help="seconds, 0 = none (default: 300, none when typing at a terminal)")
    r.add_argument("prog", nargs=argparse.REMAINDER, help="-- /guest/prog args...")
    r.set_defaults(fn=cmd_run)
    b = sub.add_parser("build", help="build what is stale")
    b.add_argument("--arch", choices=ARCHES + ("all",), default="all")
    b.set_defaults(fn=cmd_build)
    t = sub.add_parser("test", help="build everything and run all tests")
    t.add_argument("--arch", choices=ARCHES + ("all",), default="all")
    t.add_argument("--unit-only", action="store_true")
    t.set_defaults(fn=cmd_test)
    be = sub.add_parser("bench", help="benchmark Relay beside Linux")
    be.add_argument("--arch", choices=ARCHES + ("all",), default="all")
    be.set_defaults(fn=cmd_bench)
    d = sub.add_parser("deps", help="install (as root) or list the Debian packages needed")
    d.set_defaults(fn=lambda a: deps.ensure() or 0)
    args = p.parse_args(argv)
    try:
        return args.fn(args)
    except build.BuildError as e:
        print(f"relay: {e}", file=sys.stderr)
        return 2
    except image.ImageError as e:
        print(f"relay: {e}", file=sys.stderr)
        return 2

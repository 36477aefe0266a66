#!/usr/bin/env python3
"""Tables and charts of ./relay bench figures, Relay beside Linux.

rows: a list of dicts {name, relay_insns, linux_insns, relay_wall, linux_wall}, each
figure per operation (instructions under -icount shift=0, TCG ns without), None = n/a.

    make_table(arch, rows) -> str           Markdown
    make_svg(arch, rows, path) -> None      horizontal grouped bars of insns/op, log scale
"""
import math
from xml.sax.saxutils import escape

NA = "n/a"
RELAY_COLOR = "#d9622b"
LINUX_COLOR = "#3572a5"


def _num(v):
    if v is None:
        return NA
    if v >= 100:
        return f"{v:,.0f}"
    return f"{v:,.1f}"


def _ratio(a, b):
    if a is None or b is None or b <= 0:
        return NA
    return f"{a / b:.2f}×"


def make_table(arch, rows):
    """A Markdown table, one line per operation."""
    head = ["operation", "Relay insns/op", "Linux insns/op", "Relay/Linux (insns)",
            "Relay TCG ns/op", "Linux TCG ns/op", "Relay/Linux (wall)"]
    lines = [f"## {arch}", "",
             "Instructions per operation: QEMU `-icount shift=0,sleep=off` (guest ns = "
             "instructions). Wall: TCG without icount, host-dependent. Linux: Debian 6.1. "
             "n/a: not measured or not supported yet.", "",
             "| " + " | ".join(head) + " |",
             "|" + "|".join([":---"] + ["---:"] * (len(head) - 1)) + "|"]
    for r in rows:
        ri, li = r.get("relay_insns"), r.get("linux_insns")
        rw, lw = r.get("relay_wall"), r.get("linux_wall")
        cells = [f"`{r['name']}`", _num(ri), _num(li), _ratio(ri, li),
                 _num(rw), _num(lw), _ratio(rw, lw)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def make_svg(arch, rows, path):
    """Write a hand-made SVG: per operation a Relay bar and a Linux bar of insns/op,
    on a logarithmic axis, each labelled with its value (or n/a)."""
    label_w, chart_w, value_w = 150, 460, 120
    bar_h, bar_gap, group_gap = 14, 2, 14
    top, bottom = 58, 40
    group_h = 2 * bar_h + bar_gap
    n = max(len(rows), 1)
    width = label_w + chart_w + value_w
    height = top + n * group_h + (n - 1) * group_gap + bottom
    x0 = label_w

    vals = [v for r in rows for v in (r.get("relay_insns"), r.get("linux_insns"))
            if v is not None and v > 0]
    if vals:
        lo = 10 ** math.floor(math.log10(min(vals)))
        hi = 10 ** math.ceil(math.log10(max(vals)))
        if hi <= lo:
            hi = lo * 10
    else:
        lo, hi = 1, 10

    def xpos(v):
        f = (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))
        return x0 + chart_w * min(max(f, 0.0), 1.0)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">'
           f'{escape(arch)}: instructions per operation (log scale, fewer is better)</text>']
    # Legend.
    lx = x0
    for name, color in (("Relay", RELAY_COLOR), ("Linux 6.1", LINUX_COLOR)):
        out.append(f'<rect x="{lx}" y="30" width="12" height="12" fill="{color}"/>')
        out.append(f'<text x="{lx + 16}" y="40">{name}</text>')
        lx += 90
    # Decade grid lines and tick labels.
    axis_y = top + n * group_h + (n - 1) * group_gap + 6
    d = lo
    while d <= hi * 1.0001:
        x = xpos(d)
        out.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{axis_y}" '
                   f'stroke="#ccc" stroke-width="1"/>')
        label = f"{d:,.0f}" if d >= 1 else f"{d:g}"
        out.append(f'<text x="{x:.1f}" y="{axis_y + 14}" text-anchor="middle" fill="#555">'
                   f'{label}</text>')
        d *= 10
    out.append(f'<line x1="{x0}" y1="{top - 4}" x2="{x0}" y2="{axis_y}" stroke="#333"/>')
    # Bars.
    for i, r in enumerate(rows):
        gy = top + i * (group_h + group_gap)
        out.append(f'<text x="{x0 - 8}" y="{gy + group_h / 2 + 4:.1f}" text-anchor="end">'
                   f'{escape(str(r["name"]))}</text>')
        for j, (key, color) in enumerate((("relay_insns", RELAY_COLOR),
                                          ("linux_insns", LINUX_COLOR))):
            v = r.get(key)
            y = gy + j * (bar_h + bar_gap)
            if v is None or v <= 0:
                out.append(f'<text x="{x0 + 4}" y="{y + bar_h - 3}" fill="#888" '
                           f'font-style="italic">{NA}</text>')
                continue
            x = xpos(v)
            w = max(x - x0, 1.0)
            out.append(f'<rect x="{x0}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{color}">'
                       f'<title>{escape(str(r["name"]))}: {_num(v)} insns/op</title></rect>')
            out.append(f'<text x="{x0 + w + 4:.1f}" y="{y + bar_h - 3}">{_num(v)}</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    import os
    import tempfile
    import xml.dom.minidom

    rows = [dict(name="getppid", relay_insns=720.0, linux_insns=360.4,
                 relay_wall=900.0, linux_wall=490.0),
            dict(name="ipc", relay_insns=1500.0, linux_insns=None,
                 relay_wall=2100.5, linux_wall=None),
            dict(name="fork_wait", relay_insns=None, linux_insns=107987.9,
                 relay_wall=None, linux_wall=533377.8)]
    t = make_table("x86_64", rows)
    print(t)
    body = [line for line in t.splitlines() if line.startswith("| `")]
    assert len(body) == 3
    assert "| `getppid` | 720 | 360 | 2.00× | 900 | 490 | 1.84× |" in body, body[0]
    assert body[1].count(NA) == 4 and body[2].count(NA) == 4
    with tempfile.TemporaryDirectory() as tmp:
        p = os.path.join(tmp, "x.svg")
        make_svg("x86_64", rows, p)
        doc = xml.dom.minidom.parse(p)            # well-formed XML
        assert len(doc.getElementsByTagName("rect")) == 1 + 2 + 4
        make_svg("aarch64", [dict(name="none")], p)   # all n/a still renders
        xml.dom.minidom.parse(p)
        make_svg("aarch64", [], p)
        xml.dom.minidom.parse(p)
    print("benchtable: self-check ok")

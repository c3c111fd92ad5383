"""Markdown tables of scripts/bench.py's figures, for stdout and for docs/benchmarks.md.

Every renderer takes the plain data a section measured (dicts of numbers and strings, see
bench.py) and returns Markdown, so what is printed and what the docs show are the same table.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Data = dict[str, Any]


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: int = 1) -> str:
    """A Markdown table; columns from index ``right`` on are right-aligned."""
    align = ["---" if i < right else "---:" for i in range(len(headers))]
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def secs(x: float | None, digits: int = 2) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


def verdict(value: float | None, target: float) -> str:
    if value is None:
        return "not measured"
    return "met" if value <= target else "**NOT met**"


def cell(m: Data, floor: float | None) -> str:
    """A rival's cell: seconds and × the floor, or why there is no figure."""
    status = m["status"]
    if status == "ok":
        ratio = f" ({m['wall'] / floor:.1f}×)" if floor else ""
        return f"{m['wall']:.2f}{ratio}"
    if status == "timeout":
        return f"> {m['timeout']:.0f} s"
    if status == "missing":
        return "not installed"
    return "error"


def render_meta(meta: Data) -> str:
    lines = [
        (
            f"- machine: {meta['cores']} cores, {meta['mem_gib']:.0f} GiB, "
            f"Python {meta['python']} ({meta['platform']})"
        ),
        f"- load average (1 min) at start {meta['load_start']:.2f}"
        + (f", at end {meta['load_end']:.2f}" if "load_end" in meta else ""),
        f"- runs: {meta['runs']} per figure (medians), rival timeout {meta['timeout']:.0f} s",
    ]
    if meta.get("note"):
        lines.append(f"- note: {meta['note']}")
    if meta["busy"]:
        lines.append(
            "- **figures were taken with other work running** (load average at start "
            f"{meta['load_start']:.2f} on {meta['cores']} cores): absolute times are inflated, "
            "ratios of alternating runs less so"
        )
    tools = ", ".join(f"{k} {v}" for k, v in meta.get("versions", {}).items())
    if tools:
        lines.append(f"- versions: {tools}")
    return "\n".join(lines)


def render_startup(d: Data) -> str:
    base = d["import_bibtexparser"]
    rows = [
        ['`python -c "import bibtexparser"`', f"{base * 1000:.1f}", "1.00 (baseline)"],
        ["`pubman --version`", f"{d['version'] * 1000:.1f}", f"{d['version'] / base:.2f}"],
        [
            "`pubman format --style cv`, output memo warm",
            f"{d['cv_warm'] * 1000:.1f}",
            f"{d['cv_warm'] / base:.2f}",
        ],
        [
            "`pubman format --style cv`, `PUBMAN_NO_OUTPUT_CACHE=1`",
            f"{d['cv_cold'] * 1000:.1f}",
            f"**{d['cv_cold'] / base:.2f}** (target ≤ 1.5: {verdict(d['cv_cold'] / base, 1.5)})",
        ],
    ]
    return table(["command (on pubs.bib)", "ms", "× `import bibtexparser`"], rows)


def render_rivals(d: Data) -> str:
    files = d["files"]
    tools: list[str] = d["tools"]
    head = ["tool"] + [f"{f['name']} ({f['entries']:,} entries, {f['mib']:.1f} MiB)" for f in files]
    rows = []
    for t in tools:
        rows.append(
            [d["labels"][t]] + [cell(f["tools"][t], f["tools"]["floor"]["wall"]) for f in files]
        )
    out = [table(head, rows)]
    out.append("\nPeak RSS of the process (MiB):\n")
    rss_rows = []
    for t in tools:
        rss_rows.append(
            [d["labels"][t]]
            + [
                f"{f['tools'][t]['rss']:.0f}" if f["tools"][t]["status"] == "ok" else "–"
                for f in files
            ]
        )
    out.append(table(["tool"] + [f["name"] for f in files], rss_rows))
    problems = {
        f"- {d['labels'][t]}: not installed ({f['tools'][t]['msg']})"
        if f["tools"][t]["status"] == "missing"
        else f"- {d['labels'][t]} on {f['name']}: error: {f['tools'][t]['msg']}"
        for f in files
        for t in tools
        if f["tools"][t]["status"] in ("error", "missing")
    }
    if problems:
        out.append("\n" + "\n".join(sorted(problems)))
    return "\n".join(out)


def render_targets(targets: Sequence[Data]) -> str:
    rows = [
        [
            t["what"],
            t["measured"],
            t["ratio_text"],
            t["target_text"],
            verdict(t["ratio"], t["target"]),
        ]
        for t in targets
    ]
    return table(["figure", "measured", "ratio", "target", ""], rows, right=1)


def render_beyond(d: Data) -> str:
    rows = [
        [
            name,
            secs(v["wall"]),
            secs(v["beyond"]),
            f"{v['rss']:.0f}",
        ]
        for name, v in d["commands"].items()
    ]
    return table(["command (parse cache warm)", "process s", "beyond load s", "peak RSS MiB"], rows)


def render_scaling(d: Data) -> str:
    cols: list[str] = d["columns"]
    head = ["entries", "MiB"] + cols
    rows = []
    for s in d["sizes"]:
        row = [f"{s['entries']:,}", f"{s['mib']:.0f}"]
        for c in cols:
            v = s["cols"].get(c)
            if v is None:
                row.append("–")
            elif c == "load (cold)":
                row.append(f"{secs(v['wall'])} s, {v['rss']:.0f} MiB")
            else:
                row.append(f"{secs(v['wall'])} s (+{secs(v['beyond'])}), {v['rss']:.0f} MiB")
        rows.append(row)
    exp_row = ["growth exponent", ""] + [_exp_cell(d["exponents"].get(c)) for c in cols]
    rss_row = ["peak RSS / file size", ""] + [_rss_cell(d["rss_ratio"].get(c)) for c in cols]
    out = table(head, [*rows, exp_row, rss_row])
    groups = ", ".join(f"{s['entries']:,}: {s.get('groups', '?')}" for s in d["sizes"])
    return out + f"\n\nDuplicate groups `pubman dedup` reported: {groups}."


def _exp_cell(e: Data | None) -> str:
    if e is None or e["total"] is None:
        return "–"
    beyond = "" if e.get("beyond") is None else f" (beyond load {e['beyond']:.2f})"
    return f"{e['total']:.2f}{beyond}: {verdict(e['total'], 1.1)}"


def _rss_cell(r: float | None) -> str:
    return "–" if r is None else f"{r:.2f}×: {verdict(r, 4.0)}"


# ---- targets ----


def target(what: str, measured: str, ratio: float | None, limit: float, unit: str = "×") -> Data:
    sep = " " if unit == "s" else ""
    text = "–" if ratio is None else f"{ratio:.2f}{sep}{unit}"
    tgt = f"≤ {limit:g}{sep}{unit}"
    return {
        "what": what,
        "measured": measured,
        "ratio": ratio,
        "ratio_text": text,
        "target": limit,
        "target_text": tgt,
    }


def collect_targets(res: Data, big_name: str) -> list[Data]:
    """Every target of the issue that this run measured, with its figure and verdict."""
    out = []
    if "startup" in res:
        s = res["startup"]
        out.append(
            target(
                "cold `pubman format --style cv` vs `import bibtexparser`",
                f"{s['cv_cold'] * 1000:.0f} ms vs {s['import_bibtexparser'] * 1000:.0f} ms",
                s["cv_cold"] / s["import_bibtexparser"],
                1.5,
            )
        )
    big = next((f for f in res.get("rivals", {}).get("files", []) if f["name"] == big_name), None)
    big = big or max(res.get("rivals", {}).get("files", []), key=lambda f: f["bytes"], default=None)
    if big is not None:
        pm, floor = big["tools"]["pubman"], big["tools"]["floor"]
        if pm["inner"] and floor["inner"]:
            out.append(
                target(
                    f"cold `pubman.load` vs the floor ({big['name']}, in-process)",
                    f"{pm['inner']:.2f} s vs {floor['inner']:.2f} s",
                    pm["inner"] / floor["inner"],
                    5,
                )
            )
            out.append(
                target(
                    f"peak RSS of that process / file size ({big['name']})",
                    f"{pm['rss']:.0f} MiB / {big['mib']:.1f} MiB",
                    pm["rss"] / big["mib"],
                    4,
                )
            )
    if "pubman" in res:
        for k in ("format --style cv", "dedup"):
            v = res["pubman"]["commands"][k]
            out.append(
                target(
                    f"`pubman {k}` beyond load ({res['pubman']['file']})",
                    f"{v['wall']:.2f} s − {res['pubman']['commands']['load only']['wall']:.2f} s",
                    v["beyond"],
                    1.5,
                    unit="s",
                )
            )
    if "scaling" in res:
        sc = res["scaling"]
        lo, hi = sc["sizes"][0], sc["sizes"][-1]
        span = f"{lo['entries']:,} → {hi['entries']:,}"
        for c in sc["columns"]:
            e = sc["exponents"][c]["total"]
            t0, t1 = lo["cols"][c]["wall"], hi["cols"][c]["wall"]
            out.append(
                target(f"growth exponent, {c} ({span})", f"{t0:.2f} s → {t1:.2f} s", e, 1.1, "")
            )
        worst = max(sc["columns"], key=lambda c: sc["rss_ratio"][c])
        out.append(
            target(
                f"peak RSS / file size at {hi['entries']:,} (worst: {worst})",
                f"{hi['cols'][worst]['rss']:.0f} MiB / {hi['mib']:.0f} MiB",
                sc["rss_ratio"][worst],
                4,
            )
        )
    return out

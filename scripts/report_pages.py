"""Render an appointment report and each of its pages as a PNG, to look at.

    python scripts/report_pages.py --out shots/report [--today 2026-05-01] [--page-size Letter] [--dpi 110]
        [--journal demo|empty|item9|years:20] [--whole-history] [--grey]

Writes report.pdf and page-1.png, page-2.png ... into the --out folder. The demo journal is
made-up data (journal.demo.demo_journal). Page images need `pdftoppm` (poppler-utils).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from journal.demo import demo_journal  # noqa: E402
from journal.exchange.jsonfile import parse_contents  # noqa: E402
from journal.records import replace  # noqa: E402
from journal.reports.pdf import PAGE_SIZES, build_report  # noqa: E402


def _journal(which: str, today: date) -> dict:
    if which == "demo":
        return demo_journal(today)
    if which == "empty":
        return {"format": "trial-journal", "version": 2}
    if which == "item9":
        data = demo_journal(today)
        phq = [s for s in data["scores"] if s["scale"] == "PHQ-9" and s.get("items")]
        for s in (phq[-1], phq[-9], phq[-20]):
            s["items"][8] = 1
            s["total"] = sum(s["items"])
        return data
    if which.startswith("years:"):
        from benchmarks.generator import synthetic_journal

        return synthetic_journal(int(which.split(":", 1)[1]), end=today)
    raise SystemExit(f"--journal must be demo, empty, item9 or years:N, got {which!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=Path, help="folder for report.pdf and the page PNGs")
    parser.add_argument("--today", type=date.fromisoformat, default=None, help="the demo's today (default: today)")
    parser.add_argument("--from", dest="start", type=date.fromisoformat, default=None, help="first day the report covers")
    parser.add_argument("--page-size", choices=PAGE_SIZES, default="A4")
    parser.add_argument("--name-style", choices=("full", "initials", "none"), default="full")
    parser.add_argument("--dpi", type=int, default=110)
    parser.add_argument("--journal", default="demo", help="demo, empty, item9 (the demo with question 9 answered) or years:N (synthetic)")
    parser.add_argument("--whole-history", action="store_true")
    parser.add_argument("--grey", action="store_true", help="page images in grey scale, as a black-and-white printer prints")
    args = parser.parse_args(argv)

    today = args.today or date.today()
    result = parse_contents(_journal(args.journal, today), today=today)
    contents = result.contents
    if result.settings_changes:
        contents = replace(contents, settings=replace(contents.settings, **result.settings_changes))
    args.out.mkdir(parents=True, exist_ok=True)
    pdf = build_report(
        contents, args.out / "report.pdf", start=args.start, today=today,
        name_style=args.name_style, page_size=args.page_size, whole_history=args.whole_history,
    )
    print(f"wrote {pdf}")
    if shutil.which("pdftoppm") is None:
        print("pdftoppm is not installed (poppler-utils); no page images made", file=sys.stderr)
        return 1
    for old in args.out.glob("page-*.png"):
        old.unlink()
    grey = ["-gray"] if args.grey else []
    subprocess.run(["pdftoppm", "-png", *grey, "-r", str(args.dpi), str(pdf), str(args.out / "page")], check=True)
    for png in sorted(args.out.glob("page-*.png")):
        print(f"wrote {png}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

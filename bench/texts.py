"""The text pipeline against texts built to be slow to format, each as long as the forms accept.

Run from the repository: `.venv/bin/python bench/texts.py`. For every family of
tests/markdown_families.py it renders the text once through forum.text.render (in an app with
an empty in-memory database, which citations are checked against) and prints the CPU time of the
rendering thread and the wall-clock time, or how long the pipeline took to refuse it; then the
worst case found. The goal: every family renders, or is refused, within about the budget
(forum.text.BUDGET_SECONDS, 0.5 s).
"""

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the repository, for tests/markdown_families.py

from forum import create_app, text  # noqa: E402
from forum.extensions import db  # noqa: E402
from tests.markdown_families import FAMILIES  # noqa: E402


def measure(source: str) -> tuple[float, float, str]:
    """CPU and wall seconds to render source, and what became of it."""
    text._convert.cache_clear()
    wall, cpu = time.perf_counter(), time.thread_time()
    try:
        html = text.render(source)
    except text.TextRefused as exc:
        outcome = f"refused ({type(exc).__name__})"
    else:
        outcome = f"rendered, {len(html):,} characters of HTML"
    return time.thread_time() - cpu, time.perf_counter() - wall, outcome


def main() -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "bench"})
    with app.app_context():
        db.create_all()
        text.render("Warm up: **every** [part](https://example.org) of the pipeline.")
        print(f"{'family':28} {'cpu ms':>8} {'wall ms':>8}  outcome (texts of {text.MAX_LENGTH:,})")
        worst = (0.0, 0.0, "")
        for name, source in FAMILIES.items():
            cpu, wall, outcome = measure(source)
            print(f"{name:28} {cpu * 1000:8.1f} {wall * 1000:8.1f}  {outcome}", flush=True)
            worst = max(worst, (cpu, wall, name))
        cpu, wall, name = worst
        print(f"\nworst case: {name}, {cpu * 1000:.0f} ms of CPU ({wall * 1000:.0f} ms wall)")


if __name__ == "__main__":
    main()

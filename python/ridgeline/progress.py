"""Progress reporting for long calls (rl.tune, rl.ceilings).

``progress`` argument of those calls:

- ``None`` (default): a tqdm bar when running inside a Jupyter notebook, nothing elsewhere
  (scripts and pipes stay quiet, as the CLI does when stderr is not a terminal);
- ``True``: a tqdm bar everywhere; ``False``: nothing;
- a callable: called with one dict after each step (keys per call, documented in
  docs/python.md), from the calling thread, with the GIL held. An exception it raises stops the
  work as Ctrl-C does: what was finished is kept, and the exception propagates.
"""

from __future__ import annotations

import sys
from typing import Any, Callable, Optional, Tuple

from . import results

Callback = Callable[[dict], Any]


def in_notebook() -> bool:
    """True inside a Jupyter kernel (IPython's ZMQ shell), False in scripts and terminals."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    try:
        shell = ipython.get_ipython()
    except Exception:  # an IPython too old or too broken to ask: not a notebook we can draw in
        return False
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def _tqdm_class():
    # The widget bar needs ipywidgets; without it tqdm.auto would warn and fall back anyway.
    if in_notebook():
        try:
            import ipywidgets  # noqa: F401
            from tqdm.notebook import tqdm
            return tqdm
        except ImportError:
            pass
    from tqdm.std import tqdm
    return tqdm


def resolve(progress: Any, describe: Callable[[dict, Any], None], desc: str
            ) -> Tuple[Optional[Callback], Callable[[], None]]:
    """The callback to hand to the compiled module and a function closing what it opened.

    ``describe(info, bar)`` updates a tqdm bar from one progress dict.
    """
    if progress is None:
        progress = in_notebook()
    if progress is False:
        return None, lambda: None
    if progress is True:
        bar = _tqdm_class()(desc=desc, unit="step", leave=True)

        def update(info: dict) -> None:
            describe(info, bar)

        return update, bar.close
    if callable(progress):
        return progress, lambda: None
    raise TypeError("progress: expected None, True, False or a callable taking one dict, got "
                    f"{type(progress).__name__}")


def tune_bar(info: dict, bar) -> None:
    """A tuning run: evaluations done of the budget, best time so far."""
    if info.get("total") is not None and bar.total != info["total"]:
        bar.total = info["total"]
    bar.n = info["done"]
    best = info.get("best_time_s")
    postfix = {}
    if best is not None:
        postfix["best"] = f"{best:.3g} s"
        floor = info.get("floor_time_s")
        if floor:
            # A floor the best beats by more than the tolerance is wrong: no "% of roof" > 100.
            postfix["of roof"] = "roof below achieved" if results.exceeds_roof(floor, best) \
                else f"{100 * floor / best:.0f}%"
    if info.get("reused"):
        postfix["from db"] = info["reused"]
    bar.set_postfix(postfix, refresh=False)
    bar.refresh()


def ceilings_bar(info: dict, bar) -> None:
    """A ceilings sweep: points done of the sweep's total, the point just measured."""
    if bar.total != info["total"]:
        bar.total = info["total"]
    bar.n = info["done"]
    bar.set_postfix_str(f"{info['kernel']} {info['precision']} {info.get('level') or ''}".strip(),
                        refresh=False)
    bar.refresh()

"""What the plot tests share (test_plots.py, test_fleet.py): the source
tree's paths, the skip (exit 77, with the reason) where /usr/bin/python3
lacks matplotlib, numpy or scipy, and the PASS/FAIL runner whose summary is
'N passed, N failed' (a crash is a failure too, with its reason)."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PLOTS = os.path.join(ROOT, "plots")


def require_plot_modules():
    try:
        import matplotlib  # noqa: F401
        import numpy  # noqa: F401
        import scipy  # noqa: F401
    except ImportError as e:
        print("SKIPPED: %s lacks matplotlib/numpy/scipy (%s); apt-get install python3-matplotlib "
              "python3-numpy python3-scipy" % (sys.executable, e))
        sys.exit(77)


class Checks:
    def __init__(self):
        self.passed, self.failed = 0, 0

    def __call__(self, name, fn):
        try:
            fn()
        except AssertionError as e:
            self.failed += 1
            print("FAIL %s: %s" % (name, e))
            return
        except Exception as e:  # a crash is a failure too, with its reason
            self.failed += 1
            print("FAIL %s: %s: %s" % (name, type(e).__name__, e))
            return
        self.passed += 1
        print("PASS %s" % name)

    def summary(self):
        """Prints 'N passed, N failed'; the exit code: 1 on any failure."""
        print("%d passed, %d failed" % (self.passed, self.failed))
        return 1 if self.failed else 0

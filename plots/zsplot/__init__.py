"""Shared modules of the zeroscope plot scripts (plots/*.py), one concept each:

- results:   a results directory read back (meta.json, the kept samples of samples.csv)
- units:     sizes and times as the figures write them
- intervals: the 95% intervals drawn (scipy.stats.bootstrap, BCa)
- fit:       the least-squares line fixed + per_page x pages
- series:    which points form a series, their order and colours, the panels
- figure:    layout (title, shared legend, footnote) and saving with a JSON sidecar
- cli:       the command line every script shares

The plots need the distribution's python with matplotlib, numpy and scipy;
importing this package without them ends the script with one line saying so.
"""
import os
import sys

try:
    import matplotlib

    matplotlib.use("Agg")
    import numpy  # noqa: F401
    import scipy.stats  # noqa: F401
except ImportError as _e:
    # The pyenv python3 first on PATH has none of them: the scripts are for the distribution's.
    sys.exit("%s: %s lacks matplotlib/numpy/scipy (%s); run the plots with /usr/bin/python3 "
             "(apt-get install python3-matplotlib python3-numpy python3-scipy)"
             % (os.path.basename(sys.argv[0]), sys.executable, _e))

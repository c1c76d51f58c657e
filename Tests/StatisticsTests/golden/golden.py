# Golden values for Tests/StatisticsTests: the exact Wilcoxon signed-rank test (scipy.stats.wilcoxon)
# and Holm's adjustment (statsmodels.stats.multitest.multipletests). Run in a throw-away venv:
#   python3 -m venv /tmp/stats-venv && /tmp/stats-venv/bin/pip install scipy statsmodels
#   /tmp/stats-venv/bin/python Tests/StatisticsTests/golden/golden.py
# scipy's method="exact" uses the no-ties null table; with ties or zeros we use
# method=PermutationMethod(), which enumerates all 2^m sign patterns when 2^m <= n_resamples.
import math
import numpy as np
import scipy
import statsmodels
from scipy import stats
from statsmodels.stats.multitest import multipletests

print("scipy", scipy.__version__, "statsmodels", statsmodels.__version__)

def show(name, d, **kw):
    for alt in ("greater", "less", "two-sided"):
        r = stats.wilcoxon(d, alternative=alt, **kw)
        print(f"{name} {alt}: statistic={r.statistic!r} p={r.pvalue!r}")

# 1. No ties, no zeros: d = b - a on the raw scale.
show("distinct", np.array([1, -2, 3, 4, -5, 6, 7, 8], float), method="exact")
# 2. Ties and zeros.
tied = np.array([0, 2, -2, 3, 3, 5, -1, 4, 0, 6], float)
perm = stats.PermutationMethod(n_resamples=100000)
show("tied wilcox", tied, zero_method="wilcox", method=perm)
show("tied pratt", tied, zero_method="pratt", method=perm)
# 3. Log scale with +inf: inf - finite = +inf (largest |d|), inf - inf = 0.
a = [100, 200, math.inf, 50, 80, 120, 90, 300]
b = [150, math.inf, math.inf, 45, 100, 130, 95, 500]
d = []
for x, y in zip(a, b):
    if x == y: d.append(0.0)
    elif math.isinf(y): d.append(1e300)
    else: d.append(math.log(y) - math.log(x))
show("inf wilcox", np.array(d), zero_method="wilcox", method=perm)
# 4. Ten seeds, all slower: the smallest p.
show("allpos", np.arange(1, 11, dtype=float), method="exact")
# Holm.
p = [0.01, 0.04, 0.03, 0.005, 0.2, 0.04]
print("holm", list(multipletests(p, method="holm")[1]))

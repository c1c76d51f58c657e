# Golden float32 trajectories for Tests/OptimizersTests/Float32GoldenValues.swift: the optimizers
# with a float32 state (`Optimizer.makeFloat32State`), run by their reference code on float32
# tensors, on the separable problem g = a·x + c in 11 dimensions (so that lrbench's float32 lane
# loops, 8 coordinates at a time, and their tail of 3 are both checked), 12 updates each.
#
# It installs nothing. Run it in a throw-away venv (torch needs its CUDA runtime wheels to import):
#
#   python3 -m venv /tmp/venv && /tmp/venv/bin/pip install torch==2.15.0 numpy schedulefree==1.4.1 lion-pytorch==0.2.5
#   ATEN_CPU_CAPABILITY=default /tmp/venv/bin/python Tests/OptimizersTests/golden/float32_golden.py \
#       > Tests/OptimizersTests/Float32GoldenValues.swift
#
# ATEN_CPU_CAPABILITY=default matters: on a CPU with AVX2 or AVX-512, torch's kernels for those
# capabilities contract a·b + c into fused multiply-adds (lerp, addcmul, addcdiv), so torch's own
# last bits depend on the CPU it runs on. The default capability rounds every operation, as
# lrbench does on every CPU; the script refuses to run under another capability. One kernel is
# replaced: the default capability's float32 sqrt (Sleef's, within 1 ulp but not correctly
# rounded: it differs from IEEE sqrt in about 1 element in 4) by a correctly rounded one
# (numpy's, sqrtps), the sqrt of every other capability and of lrbench. Everything else is torch's.
import sys, os
import numpy as np
import torch
import schedulefree
from lion_pytorch import Lion

# The references print notices ("Switching to train mode"): keep stdout for the Swift file.
swift_out, sys.stdout = sys.stdout, sys.stderr
assert torch.backends.cpu.get_cpu_capability() == "DEFAULT", "run with ATEN_CPU_CAPABILITY=default"
def _ieee_sqrt(t): return torch.from_numpy(np.sqrt(t.detach().numpy()))
def _ieee_sqrt_(t):
    t.copy_(_ieee_sqrt(t))
    return t
torch.Tensor.sqrt, torch.Tensor.sqrt_ = _ieee_sqrt, _ieee_sqrt_
torch.sqrt = lambda t, **kw: _ieee_sqrt(t)
print("torch", torch.__version__, "capability", torch.backends.cpu.get_cpu_capability(), file=sys.stderr)
A = [1, 3, 0.5, 7, 0.01, 2, 11, 0.3, 5, 1.5, 4]
C = [0.1, -0.2, 0, 0.3, -1, 0.05, 0, 2, -0.4, 0.7, -0.01]
X0 = [1, -2, 0.5, 0, 3, -0.25, 1e-3, -7, 0.125, 2.5, -1]
F = torch.float32
At, Ct = torch.tensor(A, dtype=F), torch.tensor(C, dtype=F)
probe = torch.rand(4096, generator=torch.Generator().manual_seed(0))
print("IEEE sqrt replaces torch's on", int((_ieee_sqrt(probe) != torch._C._VariableFunctions.sqrt(probe)).sum()), "of 4096 floats", file=sys.stderr)
STEPS = 12
LR = [0.05 * (1 + t % 4) for t in range(STEPS)]
MOM = [None if t % 3 == 0 else 0.8 + 0.01 * (t % 5) for t in range(STEPS)]

def run(cls, kw, lrs, momenta=None, sf=False):
    p = torch.nn.Parameter(torch.tensor(X0, dtype=F))
    opt = cls([p], lr=lrs[0], **kw)
    if sf: opt.train()
    use_beta1 = 'betas' in opt.defaults
    gp, rp = [], []
    for t, lr in enumerate(lrs):
        for g in opt.param_groups:
            g['lr'] = lr
            if momenta is not None and 'configured' not in g:
                g['configured'] = g['betas'][0] if use_beta1 else g.get('momentum')
            if momenta is not None:
                m = momenta[t] if momenta[t] is not None else g['configured']
                if use_beta1: g['betas'] = (m, *g['betas'][1:])
                else: g['momentum'] = m
        p.grad = (At * p.detach() + Ct).clone()
        opt.step()
        gp.append(p.detach().clone())
        rp.append(opt.state[p]['x'].clone() if sf else p.detach().clone())
        assert gp[-1].dtype == F and rp[-1].dtype == F
    return gp, rp

O = torch.optim
single = dict(foreach=False)
cases = []
def case(spec, cls, kw, lrs=LR, momenta=None, sf=False):
    cases.append((spec, lrs, momenta, run(cls, kw, lrs, momenta, sf)))

case("sgd", O.SGD, dict(**single))
case("sgd(momentum=0.9)", O.SGD, dict(momentum=0.9, **single))
case("sgd(momentum=0.9, nesterov=true, weight_decay=0.1)", O.SGD, dict(momentum=0.9, nesterov=True, weight_decay=0.1, **single))
case("sgd(momentum=0.5, dampening=0.3, maximize=true)", O.SGD, dict(momentum=0.5, dampening=0.3, maximize=True, **single))
case("sgd(momentum=0.9)", O.SGD, dict(momentum=0.9, **single), LR, MOM)
case("rmsprop", O.RMSprop, dict(**single))
case("rmsprop(momentum=0.9, centered=true, weight_decay=0.1)", O.RMSprop, dict(momentum=0.9, centered=True, weight_decay=0.1, **single))
case("rmsprop(alpha=0.3, centered=true)", O.RMSprop, dict(alpha=0.3, centered=True, **single))
case("adagrad", O.Adagrad, dict(**single))
case("adagrad(lr_decay=0.1, weight_decay=0.1, initial_accumulator_value=0.2, eps=1e-6)", O.Adagrad,
     dict(lr_decay=0.1, weight_decay=0.1, initial_accumulator_value=0.2, eps=1e-6, **single))
LD = [1.0, 1.0, 0.5, 0.8] * 3
case("adadelta", O.Adadelta, dict(**single), LD)
case("adadelta(rho=0.3, eps=1e-3, weight_decay=0.1)", O.Adadelta, dict(rho=0.3, eps=1e-3, weight_decay=0.1, **single), LD)
case("adam", O.Adam, dict(**single))
case("adam(amsgrad=true, weight_decay=0.1)", O.Adam, dict(amsgrad=True, weight_decay=0.1, **single))
case("adam(betas=0.3;0.9)", O.Adam, dict(betas=(0.3, 0.9), **single))
case("adam", O.Adam, dict(**single), LR, MOM)
case("adamw", O.AdamW, dict(**single))
case("adamw(amsgrad=true, weight_decay=0.5)", O.AdamW, dict(amsgrad=True, weight_decay=0.5, **single))
case("lion", Lion, {})
case("lion(betas=0.5;0.9, weight_decay=0.1)", Lion, dict(betas=(0.5, 0.9), weight_decay=0.1))
case("lion", Lion, {}, LR, MOM)
case("adamw_schedulefree", schedulefree.AdamWScheduleFreeReference, {}, LR, None, True)
case("adamw_schedulefree(warmup_steps=3, weight_decay=0.1)", schedulefree.AdamWScheduleFreeReference,
     dict(warmup_steps=3, weight_decay=0.1), LR, None, True)
case("adamw_schedulefree(betas=0.8;0.9, r=0.5, weight_lr_power=3, eps=1e-4)", schedulefree.AdamWScheduleFreeReference,
     dict(betas=(0.8, 0.9), r=0.5, weight_lr_power=3.0, eps=1e-4), LR, None, True)

sys.stdout = swift_out
def flt(v): return str(np.float32(v)) if np.isfinite(v) else ("Float.nan" if np.isnan(v) else ("Float.infinity" if v > 0 else "-Float.infinity"))
def dbl(v): return "nil" if v is None else repr(float(v))
def rows(ts): return "[\n            " + ",\n            ".join("[" + ", ".join(flt(v) for v in t.numpy()) + "]" for t in ts) + ",\n        ]"
print("""// Generated by Tests/OptimizersTests/golden/float32_golden.py (torch %s, ATEN_CPU_CAPABILITY=default,
// a correctly rounded sqrt; schedulefree %s, lion-pytorch 0.2.5): float32 trajectories on g = a·x + c
// in 11 dimensions; see the script.
// Do not edit.

let float32GoldenA: [Double] = %s
let float32GoldenC: [Double] = %s
let float32GoldenX0: [Double] = %s

let float32GoldenCases: [Float32GoldenCase] = [""" % (torch.__version__, getattr(schedulefree, "__version__", "1.4.1"),
      "[" + ", ".join(repr(float(v)) for v in A) + "]", "[" + ", ".join(repr(float(v)) for v in C) + "]",
      "[" + ", ".join(repr(float(v)) for v in X0) + "]"))
for spec, lrs, mom, (gp, rp) in cases:
    print("    Float32GoldenCase(\n        spec: %s,\n        learningRates: [%s],\n        momenta: %s,\n        gradientPoints: %s,\n        reportedPoints: %s)," % (
        '"' + spec + '"', ", ".join(dbl(v) for v in lrs), "nil" if mom is None else "[" + ", ".join(dbl(v) for v in mom) + "]", rows(gp), rows(rp)))
print("]")

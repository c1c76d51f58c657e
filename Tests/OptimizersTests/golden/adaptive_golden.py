# Golden trajectories for Tests/OptimizersTests/AdaptiveGoldenValues.swift: D-Adaptation SGD/Adam,
# Prodigy, Mechanic and Schedule-Free RAdam, run by their reference packages in float64 on the
# golden quadratic f(x) = ½·Σ aᵢxᵢ², a = (1, 3, 0.5), x₀ = (1, −2, 0.5).
#
# It installs nothing. Run it in a throw-away venv (torch needs its CUDA runtime wheels to import,
# even on CPU; pip pulls them in):
#
#   python3 -m venv /tmp/venv && /tmp/venv/bin/pip install torch dadaptation==3.2 \
#       prodigyopt==1.1.2 mechanic-pytorch schedulefree==1.4.1
#   /tmp/venv/bin/python Tests/OptimizersTests/golden/adaptive_golden.py > Tests/OptimizersTests/AdaptiveGoldenValues.swift
#
# Checked with torch 2.15.0, dadaptation 3.2, prodigyopt 1.1.2, mechanic-pytorch 0.0.1,
# schedulefree 1.4.1. Each case: the schedule's rate per update is the param group's lr; the
# gradient aᵢxᵢ is taken at p (y for schedule-free); the reported point is p, or for schedule-free
# x = lerp(y, z, 1 − 1/β1) (what eval() writes, computed out of place so y is not disturbed). The
# effective rate per update is the step size the reference applied (see each optimizer's doc).
import math, sys
import torch
import dadaptation, prodigyopt, schedulefree
from mechanic_pytorch import mechanize

torch.set_default_dtype(torch.float64)
# The references print notices ("Using decoupled weight decay"): keep stdout for the Swift file.
swift_out, sys.stdout = sys.stdout, sys.stderr
A = [1.0, 3.0, 0.5]
X0 = [1.0, -2.0, 0.5]
At = torch.tensor(A)
for name, mod in [("torch", torch), ("dadaptation", dadaptation), ("prodigyopt", prodigyopt), ("schedulefree", schedulefree)]:
    print(name, getattr(mod, "__version__", "?"), file=sys.stderr)


def run(make, lrs, effective, sf=False):
    p = torch.nn.Parameter(torch.tensor(X0))
    opt = make([p], lrs[0])
    if sf:
        opt.train()
    gp, rp, er = [], [], []
    for lr in lrs:
        for g in opt.param_groups:
            g['lr'] = lr
        before = dict(opt.param_groups[0])
        p.grad = (At * p.detach()).clone()
        opt.step()
        gp.append(p.detach().tolist())
        if sf:
            beta1 = opt.param_groups[0]['betas'][0]
            rp.append(torch.lerp(p.detach(), opt.state[p]['z'], 1 - 1 / beta1).tolist())
        else:
            rp.append(p.detach().tolist())
        er.append(effective(opt, before, lr))
    return gp, rp, er


def bias_correction(group, k):
    if not group['use_bias_correction']:
        return 1
    b1, b2 = group['betas']
    return ((1 - b2 ** (k + 1)) ** 0.5) / (1 - b1 ** (k + 1))


def dadapt_sgd_rate(opt, before, lr):
    return before['d'] * lr / opt.param_groups[0]['g0_norm']


def adam_like_rate(opt, before, lr):
    return before['d'] * lr * bias_correction(before, before['k'])


def mechanic_rate(opt, before, lr):
    return lr * max(torch.sum(opt.state['_mechanic']['s']).item(), 0.0)


def sf_rate(opt, before, lr):
    return opt.param_groups[0]['scheduled_lr']


cases = []


def case(spec, make, lrs, effective, sf=False):
    gp, rp, er = run(make, lrs, effective, sf)
    cases.append((spec, lrs, gp, rp, er))


L6 = [1.0, 1.0, 0.5, 0.8, 1.0, 0.7]
D = dadaptation
case("dadapt_sgd", lambda ps, lr: D.DAdaptSGD(ps, lr=lr), L6, dadapt_sgd_rate)
case("dadapt_sgd(d0=0.1)", lambda ps, lr: D.DAdaptSGD(ps, lr=lr, d0=0.1), L6, dadapt_sgd_rate)
case("dadapt_sgd(d0=0.5, momentum=0.9, weight_decay=0.1)",
     lambda ps, lr: D.DAdaptSGD(ps, lr=lr, d0=0.5, momentum=0.9, weight_decay=0.1), L6, dadapt_sgd_rate)
case("dadapt_sgd(d0=0.1, growth_rate=1.5)", lambda ps, lr: D.DAdaptSGD(ps, lr=lr, d0=0.1, growth_rate=1.5), L6, dadapt_sgd_rate)

case("dadapt_adam", lambda ps, lr: D.DAdaptAdam(ps, lr=lr), L6, adam_like_rate)
case("dadapt_adam(d0=0.1)", lambda ps, lr: D.DAdaptAdam(ps, lr=lr, d0=0.1), L6, adam_like_rate)
case("dadapt_adam(d0=0.1, betas=0.8;0.9, weight_decay=0.1, use_bias_correction=true)",
     lambda ps, lr: D.DAdaptAdam(ps, lr=lr, d0=0.1, betas=(0.8, 0.9), weight_decay=0.1, use_bias_correction=True), L6, adam_like_rate)
case("dadapt_adam(d0=0.1, eps=1e-3, weight_decay=0.1, decouple=true, growth_rate=1.2)",
     lambda ps, lr: D.DAdaptAdam(ps, lr=lr, d0=0.1, eps=1e-3, weight_decay=0.1, decouple=True, growth_rate=1.2), L6, adam_like_rate)

P = prodigyopt
case("prodigy", lambda ps, lr: P.Prodigy(ps, lr=lr), L6, adam_like_rate)
case("prodigy(d0=0.01, betas=0.8;0.9, beta3=0.95, use_bias_correction=true, weight_decay=0.1)",
     lambda ps, lr: P.Prodigy(ps, lr=lr, d0=0.01, betas=(0.8, 0.9), beta3=0.95, use_bias_correction=True, weight_decay=0.1), L6, adam_like_rate)
case("prodigy(d0=0.01, eps=1e-3, weight_decay=0.1, decouple=false, safeguard_warmup=true, d_coef=0.5, growth_rate=2)",
     lambda ps, lr: P.Prodigy(ps, lr=lr, d0=0.01, eps=1e-3, weight_decay=0.1, decouple=False, safeguard_warmup=True, d_coef=0.5, growth_rate=2.0), L6, adam_like_rate)
case("prodigy(betas=0;0.99, d0=0.01, slice_p=2)",
     lambda ps, lr: P.Prodigy(ps, lr=lr, betas=(0.0, 0.99), d0=0.01, slice_p=2), L6, adam_like_rate)

O = torch.optim
L4 = [0.1, 0.1, 0.05, 0.08]
L8 = [0.1, 0.1, 0.05, 0.08, 0.1, 0.07, 0.1, 0.09]
LA = [0.01, 0.01, 0.005, 0.008, 0.01, 0.007, 0.01, 0.009]
case("mechanic", lambda ps, lr: mechanize(O.SGD)(ps, lr=lr), L4, mechanic_rate)
case("mechanic(base=sgd(momentum=0.9))", lambda ps, lr: mechanize(O.SGD)(ps, lr=lr, momentum=0.9), L4, mechanic_rate)
case("mechanic(base=sgd(momentum=0.9), betas=0.5;0.8)",
     lambda ps, lr: mechanize(O.SGD, betas=(0.5, 0.8))(ps, lr=lr, momentum=0.9), L8, mechanic_rate)
# A larger s_init, where Mechanic moves far from x0 (the cases above barely leave it). With
# betas 0.5;0.8 the trajectory oscillates and amplifies one-ulp differences (1e-13 after 20
# updates, 1e-10 after 30), so that case stops at 15 updates; the default betas agree over 30.
L30 = [0.1] * 10 + [0.05] * 10 + [0.08] * 10
case("mechanic(base=sgd(momentum=0.9), betas=0.5;0.8, s_init=0.01)",
     lambda ps, lr: mechanize(O.SGD, betas=(0.5, 0.8), s_init=0.01)(ps, lr=lr, momentum=0.9), L30[:15], mechanic_rate)
case("mechanic(base=sgd(momentum=0.9), s_init=0.01)",
     lambda ps, lr: mechanize(O.SGD, s_init=0.01)(ps, lr=lr, momentum=0.9), L30, mechanic_rate)
case("mechanic(base=adam, betas=0.5;0.7;0.8, s_decay=0.1, s_init=1e-4)",
     lambda ps, lr: mechanize(O.Adam, betas=(0.5, 0.7, 0.8), s_decay=0.1, s_init=1e-4)(ps, lr=lr), LA, mechanic_rate)
case("mechanic(base=adamw(weight_decay=0.1), betas=0.6;0.8, eps=1e-6, store_delta=true)",
     lambda ps, lr: mechanize(O.AdamW, betas=(0.6, 0.8), eps=1e-6, store_delta=True)(ps, lr=lr, weight_decay=0.1), LA, mechanic_rate)

S = schedulefree
L9 = [0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.2, 0.08, 0.1]
case("radam_schedulefree", lambda ps, lr: S.RAdamScheduleFree(ps, lr=lr, foreach=False), L9, sf_rate, sf=True)
case("radam_schedulefree(betas=0.9;0.9, weight_decay=0.1, r=1, weight_lr_power=1)",
     lambda ps, lr: S.RAdamScheduleFree(ps, lr=lr, betas=(0.9, 0.9), weight_decay=0.1, r=1.0, weight_lr_power=1.0, foreach=False), L9, sf_rate, sf=True)
case("radam_schedulefree(betas=0.8;0.99, eps=1e-4, silent_sgd_phase=false)",
     lambda ps, lr: S.RAdamScheduleFree(ps, lr=lr, betas=(0.8, 0.99), eps=1e-4, silent_sgd_phase=False, foreach=False), L9, sf_rate, sf=True)

# cross-check: the foreach path agrees with the single-tensor one
for kw in [dict(), dict(betas=(0.9, 0.9), weight_decay=0.1, r=1.0, weight_lr_power=1.0)]:
    a = run(lambda ps, lr: S.RAdamScheduleFree(ps, lr=lr, foreach=False, **kw), L9, sf_rate, sf=True)
    b = run(lambda ps, lr: S.RAdamScheduleFree(ps, lr=lr, foreach=True, **kw), L9, sf_rate, sf=True)
    err = max(abs(u - v) for P_, Q_ in zip(a[:2], b[:2]) for r1, r2 in zip(P_, Q_) for u, v in zip(r1, r2))
    print("radam_schedulefree foreach vs single-tensor max abs diff", kw, err, file=sys.stderr)
    assert err < 1e-12


def lit(v): return "nil" if v is None else repr(float(v))
def arr(xs): return "[" + ", ".join(lit(v) for v in xs) + "]"
def arr2(xss): return "[\n            " + ",\n            ".join(arr(xs) for xs in xss) + ",\n        ]"


out = ["""import Testing

// Golden trajectories of the learning-rate-free methods on the golden quadratic (see
// GoldenValues.swift): generated by golden/adaptive_golden.py with torch 2.15.0 (float64),
// dadaptation 3.2, prodigyopt 1.1.2, mechanic-pytorch 0.0.1 and schedulefree 1.4.1.
// Do not edit by hand; rerun the script.

struct AdaptiveGoldenCase: Sendable, CustomTestStringConvertible {
    var spec: String
    var learningRates: [Double]
    var gradientPoints: [[Double]]
    var reportedPoints: [[Double]]
    /// The step size the reference applied in each update (d·lr/‖g₀‖, d·lr·bc, lr·Σs, lr·rect).
    var effectiveLearningRates: [Double]

    var testDescription: String { spec }
}

let adaptiveGoldenCases: [AdaptiveGoldenCase] = ["""]
for spec, lrs, gp, rp, er in cases:
    out.append("    AdaptiveGoldenCase(\n        spec: %s,\n        learningRates: %s,\n        gradientPoints: %s,\n        reportedPoints: %s,\n        effectiveLearningRates: %s),"
               % ('"' + spec + '"', arr(lrs), arr2(gp), arr2(rp), arr(er)))
out.append("]")
print("\n".join(out), file=swift_out)

# Golden trajectories for Tests/OptimizersTests/ParameterFreeGoldenValues.swift.
#
# Runs the reference implementations in float64 on the golden quadratic
# f(x) = 1/2 sum a_i x_i^2, a = (1, 3, 0.5), x0 = (1, -2, 0.5), and prints the Swift cases.
#
# Set-up (a throw-away venv; nothing here is a dependency of lrbench):
#   python3 -m venv /tmp/venv && /tmp/venv/bin/pip install torch==2.15.0 dog-optimizer==1.0.3 \
#       "jax[cpu]==0.10.2" optax==0.2.8          (torch needs its CUDA runtime wheels to import)
#   git clone https://github.com/gbaydin/hypergradient-descent /tmp/hd && git -C /tmp/hd checkout 020d608
#   /tmp/venv/bin/python parameter_free_golden.py /tmp/hd > ../ParameterFreeGoldenValues.swift
#
# References: dog-optimizer 1.0.3 (DoG, LDoG); optax 0.2.8 optax.contrib.dowg / cocob;
# gbaydin/hypergradient-descent commit 020d6080c4cedfbc88d5cdb7a2a53f92b34c2b16
# (hypergrad/sgd_hd.py, adam_hd.py). That code only runs on current torch through deprecated
# call forms; the PATCHES below rewrite exactly those calls (same arithmetic) when loading it.
import math, sys, types
import torch
import jax
jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp
import optax
from optax import contrib
from dog import DoG, LDoG

torch.set_default_dtype(torch.float64)
A = [1.0, 3.0, 0.5]
X0 = [1.0, -2.0, 0.5]

PATCHES = {
    "sgd_hd.py": [
        ("view.add_(weight_decay, p.data.view(-1))", "view.add_(p.data.view(-1), alpha=weight_decay)"),
        ("p.data.add_(step_size, update[offset:offset + numel].view_as(p.data))",
         "p.data.add_(update[offset:offset + numel].view_as(p.data), alpha=float(step_size))"),
        ("buf.mul_(momentum).add_(1 - dampening, grad)", "buf.mul_(momentum).add_(grad, alpha=1 - dampening)"),
        ("grad.add_(momentum, buf)", "grad.add_(buf, alpha=momentum)"),
    ],
    "adam_hd.py": [
        ("grad = grad.add(group['weight_decay'], p.data)", "grad = grad.add(p.data, alpha=group['weight_decay'])"),
        ("exp_avg.mul_(beta1).add_(1 - beta1, grad)", "exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)"),
        ("exp_avg_sq.mul_(beta2).addcmul_(1 - beta2, grad, grad)", "exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)"),
        ("p.data.addcdiv_(-step_size, exp_avg, denom)", "p.data.addcdiv_(exp_avg, denom, value=-float(step_size))"),
    ],
}

def load_patched(root, name, cls):
    text = open(f"{root}/hypergrad/{name}").read()
    for old, new in PATCHES[name]:
        assert text.count(old) == 1, (name, old)
        text = text.replace(old, new)
    module = types.ModuleType(name[:-3])
    exec(compile(text, name, "exec"), module.__dict__)
    return getattr(module, cls)

def torch_run(make, lrs, blocks=None, rate=None, schedule="set"):
    """Runs a torch optimizer; blocks = sizes of the parameter tensors (L-DoG's layers).
    schedule="set" writes group['lr'] = lr (DoG's c); "add" adds the change of the schedule's
    rate to the learned rate (our hypergradient convention; a no-op on a constant schedule)."""
    blocks = blocks or [len(X0)]
    params, start = [], 0
    for size in blocks:
        params.append(torch.nn.Parameter(torch.tensor(X0[start:start + size])))
        start += size
    a = [torch.tensor(A[s:s + n]) for s, n in zip([sum(blocks[:i]) for i in range(len(blocks))], blocks)]
    opt = make(params, lrs[0])
    points, rates, previous = [], [], lrs[0]
    for lr in lrs:
        group = opt.param_groups[0]
        if schedule == "set":
            group["lr"] = lr
        else:
            group["lr"] = group["lr"] + (lr - previous)
            previous = lr
        for p, ai in zip(params, a):
            p.grad = (ai * p.detach()).clone()
        opt.step()
        points.append([v for p in params for v in p.detach().tolist()])
        rates.append(None if rate is None else float(rate(opt, params)))
    return points, rates

def optax_run(solver_for_schedule, lrs, rate=None):
    lr_array = jnp.asarray(lrs)
    solver = solver_for_schedule(lambda count: lr_array[count])
    x = jnp.asarray(X0)
    state = solver.init(x)
    points, rates = [], []
    for t in range(len(lrs)):
        g = jnp.asarray(A) * x
        updates, state = solver.update(g, state, x)
        if rate is not None:
            rates.append(float(rate(state, lrs[t], g, x)))
        else:
            rates.append(None)
        x = optax.apply_updates(x, updates)
        points.append([float(v) for v in x])
    return points, rates

def dog_eta(opt, params):
    return opt.param_groups[0]["eta"][0]

def ldog_ratio():
    # the effective rate of per-block steps: ||dx|| / ||d|| = sqrt(sum eta_b^2 ||d_b||^2) / ||d||
    def rate(opt, params):
        etas = opt.param_groups[0]["eta"]
        num = den = 0.0
        for p, eta in zip(params, etas):
            g2 = float((p.grad ** 2).sum())   # the reference added weight decay to p.grad in place
            num += float(eta) ** 2 * g2
            den += g2
        return math.sqrt(num / den)
    return rate

def dowg_rate(eps):
    # lr * the step scale_by_dowg applied, from its state after the update
    def rate(state, lr, g, x):
        s = next(part for part in state if hasattr(part, "estim_sq_dist"))
        return lr * (s.estim_sq_dist / (jnp.sqrt(s.weighted_sq_norm_grads) + eps))
    return rate

def hd_rate(opt, params):
    return opt.param_groups[0]["lr"]

cases = []
def case(spec, result, lrs):
    cases.append((spec, lrs, result[0], result[1]))

root = sys.argv[1]
SGDHD = load_patched(root, "sgd_hd.py", "SGDHD")
AdamHD = load_patched(root, "adam_hd.py", "AdamHD")

L1 = [1.0] * 40
LV = [1.0, 0.5, 1.0, 0.8, 1.2, 1.0, 0.7, 1.0]
case("dog", torch_run(lambda p, lr: DoG(p, lr=lr), L1, rate=dog_eta), L1)
case("dog(reps_rel=0.01)", torch_run(lambda p, lr: DoG(p, lr=lr, reps_rel=0.01), LV, rate=dog_eta), LV)
case("dog(init_eta=0.05, weight_decay=0.1)", torch_run(lambda p, lr: DoG(p, lr=lr, init_eta=0.05, weight_decay=0.1), LV, rate=dog_eta), LV)
case("dog(reps_rel=0.001, eps=0.5)", torch_run(lambda p, lr: DoG(p, lr=lr, reps_rel=0.001, eps=0.5), LV, rate=dog_eta), LV)
case("ldog", torch_run(lambda p, lr: LDoG(p, lr=lr), L1, blocks=[1, 1, 1], rate=ldog_ratio()), L1)
case("ldog(reps_rel=0.01)", torch_run(lambda p, lr: LDoG(p, lr=lr, reps_rel=0.01), LV, blocks=[1, 1, 1], rate=ldog_ratio()), LV)
case("ldog(block_size=2, init_eta=0.05, weight_decay=0.1)",
     torch_run(lambda p, lr: LDoG(p, lr=lr, init_eta=0.05, weight_decay=0.1), LV, blocks=[2, 1], rate=ldog_ratio()), LV)
case("ldog(block_size=3, reps_rel=0.01, eps=0.5)",
     torch_run(lambda p, lr: LDoG(p, lr=lr, reps_rel=0.01, eps=0.5), LV, blocks=[3], rate=ldog_ratio()), LV)

L12 = [1.0] * 12
case("dowg", optax_run(lambda s: contrib.dowg(learning_rate=s), L12, rate=dowg_rate(1e-4)), L12)
case("dowg(init_estim_sq_dist=0.01)", optax_run(lambda s: contrib.dowg(learning_rate=s, init_estim_sq_dist=0.01), LV, rate=dowg_rate(1e-4)), LV)
case("dowg(eps=1e-6, weight_decay=0.1)", optax_run(lambda s: contrib.dowg(learning_rate=s, eps=1e-6, weight_decay=0.1), LV, rate=dowg_rate(1e-6)), LV)

case("cocob", optax_run(lambda s: contrib.cocob(learning_rate=s), L12), L12)
case("cocob(alpha=5, eps=0.0001)", optax_run(lambda s: contrib.cocob(learning_rate=s, alpha=5.0, eps=1e-4), LV), LV)
case("cocob(weight_decay=0.1)", optax_run(lambda s: contrib.cocob(learning_rate=s, weight_decay=0.1), LV), LV)

LH = [0.1] * 8
LHV = [0.1, 0.1, 0.05, 0.08, 0.12, 0.1, 0.02, 0.1]
case("sgd_hd", torch_run(lambda p, lr: SGDHD(p, lr=lr), LH, rate=hd_rate, schedule="add"), LH)
case("sgd_hd(hypergrad_lr=0.01)", torch_run(lambda p, lr: SGDHD(p, lr=lr, hypergrad_lr=0.01), LH, rate=hd_rate, schedule="add"), LH)
case("sgd_hd(hypergrad_lr=0.01)", torch_run(lambda p, lr: SGDHD(p, lr=lr, hypergrad_lr=0.01), LHV, rate=hd_rate, schedule="add"), LHV)
case("sgd_hd(hypergrad_lr=0.005, momentum=0.9, dampening=0.3)",
     torch_run(lambda p, lr: SGDHD(p, lr=lr, hypergrad_lr=0.005, momentum=0.9, dampening=0.3), LHV, rate=hd_rate, schedule="add"), LHV)
case("sgd_hd(hypergrad_lr=0.005, momentum=0.8, nesterov=true, weight_decay=0.1)",
     torch_run(lambda p, lr: SGDHD(p, lr=lr, hypergrad_lr=0.005, momentum=0.8, nesterov=True, weight_decay=0.1), LHV, rate=hd_rate, schedule="add"), LHV)
case("adam_hd", torch_run(lambda p, lr: AdamHD(p, lr=lr), LH, rate=hd_rate, schedule="add"), LH)
case("adam_hd(hypergrad_lr=0.01)", torch_run(lambda p, lr: AdamHD(p, lr=lr, hypergrad_lr=0.01), LH, rate=hd_rate, schedule="add"), LH)
case("adam_hd(hypergrad_lr=0.01)", torch_run(lambda p, lr: AdamHD(p, lr=lr, hypergrad_lr=0.01), LHV, rate=hd_rate, schedule="add"), LHV)
case("adam_hd(hypergrad_lr=0.02, betas=0.8;0.5, eps=0.001, weight_decay=0.1)",
     torch_run(lambda p, lr: AdamHD(p, lr=lr, hypergrad_lr=0.02, betas=(0.8, 0.5), eps=1e-3, weight_decay=0.1), LHV, rate=hd_rate, schedule="add"), LHV)

def lit(v): return "nil" if v is None else repr(float(v))
def arr(xs): return "[" + ", ".join(lit(v) for v in xs) + "]"
def arr2(xss): return "[\n            " + ",\n            ".join(arr(xs) for xs in xss) + ",\n        ]"
print("""// Generated by Tests/OptimizersTests/golden/parameter_free_golden.py (see its header): the
// points after each update on the golden quadratic, and the effective step size the reference
// applied (nil where the reference exposes none), from dog-optimizer 1.0.3, optax 0.2.8
// (contrib.dowg, contrib.cocob; JAX 0.10.2 in float64) and gbaydin/hypergradient-descent
// 020d608 on torch 2.15.0 (float64). Do not edit by hand.

let parameterFreeCases: [ParameterFreeCase] = [""")
for spec, lrs, points, rates in cases:
    print("    ParameterFreeCase(\n        spec: \"%s\",\n        learningRates: %s,\n        points: %s,\n        rates: %s),"
          % (spec, arr(lrs), arr2(points), arr(rates)))
print("]")

import Testing

@Suite struct ListSnapshotTests {
    @Test func listIsUnchangedByTheParameterTables() throws {
        let r = try lrbench(["list"])
        #expect(r.status == 0)
        #expect(r.out == listSnapshot + "\n")
    }
}

/// `lrbench list` as it was before the parameter tables (issue 12): the declarative tables must
/// print it unchanged, byte for byte.
let listSnapshot = #"""
Spec syntax: name(key=value, ...); lists with ';' (betas=0.9;0.999); nested specs allowed.

Problems:
  quadratic(dim=20, cond=100, rotated=true, noise=0, batch=1, instance=seeded)
      ½xᵀAx, eigenvalues log-spaced in [1, cond], f* = 0 at 0; noise > 0 gives Zhang et al.'s noisy quadratic model
      dim = 20: dimension (≥ 1)
      cond = 100: condition number λmax/λmin (≥ 1)
      rotated = true: A = QΛQᵀ with a seeded random orthogonal Q (else diagonal)
      noise = 0: gradient-noise scale: ε ~ N(0, noise·A/batch) (≥ 0)
      batch = 1: batch size B dividing the noise covariance (≥ 1)
      instance = seeded: seeded: the seed draws Q (rotated; start (1, …, 1)) or, axis-aligned, the start 1 + U[−0.25, 0.25)ⁿ; classic: Q (rotated) and the start (1, …, 1)
      reference: Zhang et al. 2019, arXiv:1907.04164 (NQM)
  rosenbrock(dim=2, instance=seeded)
      chained Rosenbrock Σ 100(x_{i+1} − x_i²)² + (1 − x_i)²; dim=2 is the classic banana; f* = 0 at (1, …, 1)
      dim = 2: dimension (≥ 2)
      instance = seeded: seeded: the seed draws the start (−1.2, 1, −1.2, …) + U[−0.1, 0.1)ⁿ; classic: the start (−1.2, 1, −1.2, …) of Moré et al.
      reference: Rosenbrock 1960; start from Moré, Garbow & Hillstrom 1981; instances after COCO (Hansen et al. 2021)
  linreg(n=1000, d=50, noise=0.1, batch=full, corr=0.5, instance=seeded)
      least squares ½n⁻¹‖Xw − y‖² on seeded correlated Gaussian data; f* from a QR solve
      n = 1000: number of examples (≥ 1, ≥ d)
      d = 50: number of features (≥ 1)
      noise = 0.1: label noise standard deviation (≥ 0)
      batch = full: minibatch size in [1, n], or full (= n) for full-batch gradients
      corr = 0.5: AR(1) correlation between neighbouring features, in [0, 1)
      instance = seeded: seeded or classic, the same problem: the seed already draws the data
      reference: ordinary least squares; minibatch sampling as torch.utils.data.DataLoader(shuffle=True, drop_last=True)
  beale(instance=seeded)
      Beale's 2-D function: narrow curved valley, f* = 0 at (3, 0.5), start (1, 1) (seeded: + U[−0.1, 0.1)²)
      instance = seeded: seeded: the seed draws the start (1, 1) + U[−0.1, 0.1)²; classic: the start (1, 1)
      reference: Beale 1958; Moré, Garbow & Hillstrom 1981 #5; instances after COCO (Hansen et al. 2021)
  rastrigin(dim=10, instance=seeded)
      10n + Σ(x_i² − 10cos 2πx_i): many local minima, f* = 0 at 0, seeded start in [−5.12, 5.12]ⁿ
      dim = 10: dimension (≥ 1)
      instance = seeded: seeded or classic, the same problem: the seed already draws the start
      reference: Rastrigin 1974; Hansen et al., COCO/BBOB f15
  classify(model=softmax, hidden=128, n_train=6000, n_test=1000, batch=128, precision=f64, instance=seeded)
      10-class MNIST-like synthetic images (28×28): softmax regression or a ReLU MLP, mean cross-entropy, minibatch gradients; f* unknown
      model = softmax: softmax (linear, 7850 parameters, convex) or mlp (784-h-10 ReLU network)
      hidden = 128: mlp hidden width h (ignored by softmax), in [1, 10000]
      n_train = 6000: training images (balanced classes), in [10, 1000000]
      n_test = 1000: test images for test_loss and test_accuracy, in [10, 1000000]
      batch = 128: minibatch size, in [1, n_train] (capped at n_train by default); batch = n_train is full batch
      precision = f64: f64 or f32: the precision of the data, activations and BLAS products
      instance = seeded: seeded or classic, the same problem: the seed already draws the images and the MLP's initialisation
      reference: MNIST layout after LeCun et al. 1998; He et al. 2015 (Kaiming init); Glorot & Bengio 2010; elastic distortions after Simard et al. 2003

Optimizers:
  sgd(momentum=0, dampening=0, nesterov=false, weight_decay=0, maximize=false)
      Stochastic gradient descent with optional heavy-ball or Nesterov momentum.
      momentum = 0: momentum factor in [0, 1); 0 is plain SGD
      dampening = 0: dampening for momentum in [0, 1]: b ← momentum·b + (1 − dampening)·g
      nesterov = false: Nesterov momentum (needs momentum > 0 and dampening = 0)
      weight_decay = 0: L2 penalty added to the gradient: g + weight_decay·x
      maximize = false: ascend instead of descend
      reference: torch.optim.SGD (torch/optim/sgd.py, PyTorch 2.15); Sutskever et al. 2013 for Nesterov
  adagrad(lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10)
      AdaGrad: per-coordinate rates from the accumulated squared gradients.
      lr_decay = 0: rate decay: lr / (1 + (t − 1)·lr_decay)
      weight_decay = 0: L2 penalty added to the gradient
      initial_accumulator_value = 0: starting value of the sum of squared gradients
      eps = 1e-10: added to the root of the sum (> 0)
      reference: torch.optim.Adagrad (torch/optim/adagrad.py, PyTorch 2.15); Duchi et al. 2011, JMLR 12
  rmsprop(alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=false)
      RMSprop: divide by a running root-mean-square of the gradients.
      alpha = 0.99: smoothing constant of the squared-gradient average, in [0, 1]
      eps = 1e-8: added to the root (> 0)
      weight_decay = 0: L2 penalty added to the gradient
      momentum = 0: momentum factor in [0, 1)
      centered = false: subtract the squared mean gradient (an estimate of the variance)
      reference: torch.optim.RMSprop (torch/optim/rmsprop.py, PyTorch 2.15); Hinton, Coursera Neural Networks lecture 6e (2012)
  adadelta(rho=0.9, eps=1e-6, weight_decay=0)
      ADADELTA: rates from the ratio of running RMS of updates and of gradients.
      rho = 0.9: decay of both running averages, in [0, 1]
      eps = 1e-6: added inside both roots (> 0)
      weight_decay = 0: L2 penalty added to the gradient
      reference: torch.optim.Adadelta (torch/optim/adadelta.py, PyTorch 2.15); Zeiler 2012, arXiv:1212.5701
  adam(betas=0.9;0.999, eps=1e-8, weight_decay=0, amsgrad=false)
      Adam: bias-corrected first and second moment estimates (L2 weight decay).
      betas = 0.9;0.999: decay rates β1;β2 of the moment estimates, each in [0, 1)
      eps = 1e-8: added to the root of the second moment (> 0)
      weight_decay = 0: L2 penalty added to the gradient
      amsgrad = false: use the running maximum of the second moment (AMSGrad)
      reference: torch.optim.Adam (torch/optim/adam.py, PyTorch 2.15); Kingma & Ba 2015, arXiv:1412.6980; Reddi et al. 2018 (AMSGrad)
  adamw(betas=0.9;0.999, eps=1e-8, weight_decay=0.01, amsgrad=false)
      AdamW: Adam with decoupled weight decay x ← (1 − lr·λ)·x.
      betas = 0.9;0.999: decay rates β1;β2 of the moment estimates, each in [0, 1)
      eps = 1e-8: added to the root of the second moment (> 0)
      weight_decay = 0.01: decoupled decay λ: x ← (1 − lr·λ)·x each step
      amsgrad = false: use the running maximum of the second moment (AMSGrad)
      reference: torch.optim.AdamW (torch/optim/adamw.py and adam.py, PyTorch 2.15); Loshchilov & Hutter 2019, arXiv:1711.05101
  adamax(betas=0.9;0.999, eps=1e-8, weight_decay=0)
      Adamax: Adam with the infinity norm of past gradients in the denominator.
      betas = 0.9;0.999: decay rates β1;β2 of the moment and the infinity norm, each in [0, 1)
      eps = 1e-8: added to |g| inside the maximum (> 0)
      weight_decay = 0: L2 penalty added to the gradient
      reference: torch.optim.Adamax (torch/optim/adamax.py, PyTorch 2.15); Kingma & Ba 2015, arXiv:1412.6980, Algorithm 2
  nadam(betas=0.9;0.999, eps=1e-8, weight_decay=0, momentum_decay=4e-3, decoupled_weight_decay=false)
      NAdam: Adam with Nesterov momentum and a momentum-decay schedule.
      betas = 0.9;0.999: decay rates β1;β2 of the moment estimates, each in [0, 1)
      eps = 1e-8: added to the root of the second moment (> 0)
      weight_decay = 0: weight decay (L2, or decoupled with decoupled_weight_decay)
      momentum_decay = 4e-3: ψ in μₜ = β1·(1 − ½·0.96^(t·ψ))
      decoupled_weight_decay = false: decay x ← (1 − lr·weight_decay)·x as AdamW does
      reference: torch.optim.NAdam (torch/optim/nadam.py, PyTorch 2.15); Dozat 2016, ICLR workshop
  radam(betas=0.9;0.999, eps=1e-8, weight_decay=0, decoupled_weight_decay=false)
      RAdam: Adam whose adaptive rate is switched on once its variance is tractable (ρₜ > 5).
      betas = 0.9;0.999: decay rates β1;β2 of the moment estimates, each in [0, 1)
      eps = 1e-8: added to the root of the second moment (> 0)
      weight_decay = 0: weight decay (L2, or decoupled with decoupled_weight_decay)
      decoupled_weight_decay = false: decay x ← (1 − lr·weight_decay)·x as AdamW does
      reference: torch.optim.RAdam (torch/optim/radam.py, PyTorch 2.15); Liu et al. 2020, arXiv:1908.03265
  lion(betas=0.9;0.99, weight_decay=0)
      Lion: step by the sign of an interpolated momentum (Chen et al. 2023).
      betas = 0.9;0.99: β1 (interpolation for the step) ; β2 (momentum decay), each in [0, 1)
      weight_decay = 0: decoupled decay: x ← (1 − lr·weight_decay)·x
      reference: Chen et al. 2023, arXiv:2302.06675; lucidrains/lion-pytorch lion_pytorch/lion_pytorch.py
  sgd_schedulefree(momentum=0.9, weight_decay=0, r=0, weight_lr_power=2, warmup_steps=0)
      Schedule-Free SGD: gradients at y = (1−β)z + βx, report the weighted average x.
      momentum = 0.9: β, the interpolation y = (1−β)z + βx, in (0, 1)
      weight_decay = 0: L2 penalty added to the gradient at y
      r = 0: polynomial weighting (k+1)^r of the average
      weight_lr_power = 2: weights in the average are lr_max^weight_lr_power
      warmup_steps = 0: linear warmup of the rate over this many updates
      reference: Defazio et al. 2024, arXiv:2405.15682; facebookresearch/schedule_free schedulefree/sgd_schedulefree_reference.py (v1.4.1)
  adamw_schedulefree(betas=0.9;0.999, eps=1e-8, weight_decay=0, r=0, weight_lr_power=2, warmup_steps=0)
      Schedule-Free AdamW: Adam-normalised steps on z, gradients at y, report the average x.
      betas = 0.9;0.999: β1 (interpolation y = (1−β1)z + β1x) ; β2 (second-moment decay), each in [0, 1)
      eps = 1e-8: added to the root of the second moment (> 0)
      weight_decay = 0: decoupled decay evaluated at y: z ← z − lr·weight_decay·y
      r = 0: polynomial weighting (k+1)^r of the average
      weight_lr_power = 2: weights in the average are lr_max^weight_lr_power
      warmup_steps = 0: linear warmup of the rate over this many updates
      reference: Defazio et al. 2024, arXiv:2405.15682; facebookresearch/schedule_free schedulefree/adamw_schedulefree_reference.py (v1.4.1)
  polyak(max_lr=1, c=1, eps=1e-12)
      Polyak step size η = min(max_lr, (f − f*)/(c‖g‖² + eps)), SPS_max; the schedule's rate multiplies η.
      max_lr = 1: the cap γ_b on the step size η (> 0)
      c = 1: SPS constant c dividing the step: c = 1 is Polyak's step, Loizou et al. suggest 0.5 or 0.2
      eps = 1e-12: added to c‖g‖² so that a zero gradient gives a finite step (> 0)
      reference: Polyak 1987, Introduction to Optimization §5.3; Loizou et al. 2021, arXiv:2002.10542 (SPS_max)
  dadapt_sgd(momentum=0, weight_decay=0, d0=1e-6, growth_rate=inf)
      D-Adaptation SGD: the step d·lr/‖g₀‖ grows with a lower bound d on the distance to the solution.
      momentum = 0: momentum in [0, 1): x ← momentum·x + (1 − momentum)·(x₀ − s)
      weight_decay = 0: L2 penalty added to the gradient (≥ 0)
      d0 = 1e-6: initial estimate of the distance D (> 0)
      growth_rate = inf: bound d ≤ growth_rate·d on each update (≥ 1; inf: none)
      reference: Defazio & Mishchenko 2023, arXiv:2301.07733; facebookresearch/dadaptation dadapt_sgd.py (PyPI dadaptation 3.2)
  dadapt_adam(betas=0.9;0.999, eps=1e-8, weight_decay=0, decouple=false, use_bias_correction=false, d0=1e-6, growth_rate=inf)
      D-Adaptation Adam: Adam whose step d·lr grows with a lower bound d on the distance to the solution.
      betas = 0.9;0.999: decay rates β1;β2 of the moment estimates, each in [0, 1)
      eps = 1e-8: added to the root of the second moment (> 0)
      weight_decay = 0: weight decay (≥ 0): L2 in the gradient, or decoupled with decouple
      decouple = false: decay x ← x − weight_decay·dlr·x instead of adding it to the gradient
      use_bias_correction = false: scale dlr by √(1 − β2^(k+1))/(1 − β1^(k+1))
      d0 = 1e-6: initial estimate of the distance D (> 0)
      growth_rate = inf: bound d ≤ growth_rate·d on each update (≥ 1; inf: none)
      reference: Defazio & Mishchenko 2023, arXiv:2301.07733; facebookresearch/dadaptation dadapt_adam.py (PyPI dadaptation 3.2)
  prodigy(betas=0.9;0.999, beta3=none, eps=1e-8, weight_decay=0, decouple=true, use_bias_correction=false, safeguard_warmup=false, d0=1e-6, d_coef=1, growth_rate=inf, slice_p=1)
      Prodigy: Adam with step d·lr, d estimated from the distance travelled (D-Adaptation, faster growth).
      betas = 0.9;0.999: decay rates β1;β2 of the moment estimates, each in [0, 1)
      beta3 = none: decay of the d estimate's numerator and of s, in [0, 1); none: √β2
      eps = 1e-8: added (times d) to the root of the second moment (> 0)
      weight_decay = 0: weight decay (≥ 0), decoupled unless decouple=false
      decouple = true: decay x ← x − weight_decay·dlr·x, else add weight_decay·x to the gradient
      use_bias_correction = false: scale dlr by √(1 − β2^(k+1))/(1 − β1^(k+1))
      safeguard_warmup = false: accumulate s with d instead of dlr (steadier under a warm-up)
      d0 = 1e-6: initial estimate of the distance D (> 0)
      d_coef = 1: multiplies the estimate d̂ (> 0)
      growth_rate = inf: bound d ≤ growth_rate·d on each update (≥ 1; inf: none)
      slice_p = 1: estimate d from every slice_p-th coordinate (whole number ≥ 1)
      reference: Mishchenko & Defazio 2024, arXiv:2306.06101; konstmish/prodigy prodigyopt/prodigy.py (PyPI prodigyopt 1.1.2)
  mechanic(base=sgd, s_decay=0.01, betas=0.9;0.99;0.999;0.9999;0.99999;0.999999, s_init=1e-8, eps=1e-8, store_delta=false)
      Mechanic: scales the displacement of a base optimizer by a learned s (a learning-rate tuner).
      base = sgd: the base optimizer, a nested spec such as sgd(momentum=0.9) or adamw
      s_decay = 0.01: λ, the tuner's weight-decay analogue (≥ 0)
      betas = 0.9;0.99;0.999;0.9999;0.99999;0.999999: the tuner's decay rates, one scale per β, each in [0, 1)
      s_init = 1e-8: initial scale s_init (> 0)
      eps = 1e-8: added to the denominators (> 0)
      store_delta = false: keep the displacement Δ instead of recomputing it as (x − x₀)/(Σs + eps)
      reference: Cutkosky, Defazio & Mehta 2023, arXiv:2306.00144; optimizedlearning/mechanic mechanic_pytorch/mechanic.py (PyPI mechanic-pytorch 0.0.1)
  radam_schedulefree(betas=0.9;0.999, eps=1e-8, weight_decay=0, r=0, weight_lr_power=2, silent_sgd_phase=true)
      Schedule-Free RAdam: rectified Adam steps on z (no warm-up), gradients at y, report the average x.
      betas = 0.9;0.999: β1 (interpolation, in (0, 1)) ; β2 (second-moment decay, in [0, 1))
      eps = 1e-8: added to the root of the second moment (> 0)
      weight_decay = 0: L2 penalty at y added to the normalised gradient (≥ 0)
      r = 0: polynomial weighting t^r of the average (≥ 0)
      weight_lr_power = 2: weights in the average are lr_max^weight_lr_power (≥ 0)
      silent_sgd_phase = true: do not move while ρₜ ≤ 4 (false: plain SGD steps there)
      reference: Defazio et al. 2024, arXiv:2405.15682; facebookresearch/schedule_free schedulefree/radam_schedulefree.py (v1.4.1)
  dog(reps_rel=1e-6, eps=1e-8, weight_decay=0, init_eta=none)
      DoG: SGD with step lr·max‖x − x₀‖/√Σ‖g‖² (parameter-free; the schedule's rate multiplies it).
      reps_rel = 1e-6: initial distance r_ε = reps_rel·(1 + ‖x₀‖), > 0 (1e-4 with batch norm); ignored with init_eta
      eps = 1e-8: added to the first squared gradient norm, > 0
      weight_decay = 0: L2 penalty added to the gradient, >= 0
      init_eta = none: the first step size η₀, > 0, replacing reps_rel; none uses reps_rel
      reference: dog-optimizer 1.0.3 (dog/dog.py, class DoG); Ivgi, Hinder & Carmon 2023, arXiv:2302.12022
  ldog(reps_rel=1e-6, eps=1e-8, weight_decay=0, init_eta=none, block_size=1)
      L-DoG: DoG's step per block of block_size coordinates (the reference's blocks are layers).
      reps_rel = 1e-6: initial distance r_ε = reps_rel·(1 + ‖x₀‖), > 0 (1e-4 with batch norm); ignored with init_eta
      eps = 1e-8: added to the first squared gradient norm, > 0
      weight_decay = 0: L2 penalty added to the gradient, >= 0
      init_eta = none: the first step size η₀, > 0, replacing reps_rel; none uses reps_rel
      block_size = 1: coordinates per block, a whole number >= 1 (the reference's layers)
      reference: dog-optimizer 1.0.3 (dog/dog.py, class LDoG); Ivgi, Hinder & Carmon 2023, arXiv:2302.12022
  dowg(init_estim_sq_dist=none, eps=1e-4, weight_decay=0)
      DoWG: SGD with step r̄²/√Σ r̄²‖g‖² (parameter-free; the schedule's rate multiplies it).
      init_estim_sq_dist = none: initial squared distance to the solution r̄₀², > 0; none uses eps
      eps = 1e-4: added to the denominator √v, and r̄₀² when init_estim_sq_dist is none, > 0
      weight_decay = 0: L2 penalty added to the gradient, >= 0
      reference: optax.contrib.dowg (optax/contrib/_dog.py, optax 0.2.8); Khaled, Mishchenko & Jin 2023, arXiv:2305.16284
  cocob(alpha=100, eps=1e-8, weight_decay=0)
      COCOB-Backprop: per-coordinate coin betting, no learning rate (the schedule's rate scales the gradient).
      alpha = 100: bound on the fraction bet, max(G + L, alpha·L), > 0 (at most 1 has no effect)
      eps = 1e-8: initial gradient-range estimate L, > 0
      weight_decay = 0: L2 penalty added to the gradient, >= 0
      reference: optax.contrib.cocob (optax/contrib/_cocob.py, optax 0.2.8); Orabona & Tommasi 2017, arXiv:1705.07795, Algorithm 2
  sgd_hd(hypergrad_lr=1e-6, momentum=0, dampening=0, nesterov=false, weight_decay=0)
      SGD-HD: SGD whose rate α is learned by hypergradient descent (the schedule's rate is α₀, its changes are added).
      hypergrad_lr = 1e-6: hypergradient learning rate β of the rate α, >= 0 (0 is SGD)
      momentum = 0: momentum factor in [0, 1); 0 is plain SGD-HD
      dampening = 0: dampening for momentum in [0, 1]
      nesterov = false: Nesterov momentum (needs momentum > 0 and dampening = 0)
      weight_decay = 0: L2 penalty added to the gradient, >= 0
      reference: gbaydin/hypergradient-descent hypergrad/sgd_hd.py (commit 020d608); Baydin et al. 2018, arXiv:1703.04782
  adam_hd(hypergrad_lr=1e-8, betas=0.9;0.999, eps=1e-8, weight_decay=0)
      Adam-HD: Adam whose rate α is learned by hypergradient descent (the schedule's rate is α₀, its changes are added).
      hypergrad_lr = 1e-8: hypergradient learning rate β of the rate α, >= 0 (0 is Adam)
      betas = 0.9;0.999: decay rates β1;β2 of the moment estimates, each in [0, 1)
      eps = 1e-8: added to the root of the (uncorrected) second moment, > 0
      weight_decay = 0: L2 penalty added to the gradient, >= 0
      reference: gbaydin/hypergradient-descent hypergrad/adam_hd.py (commit 020d608); Baydin et al. 2018, arXiv:1703.04782
  sls(n_batches_per_epoch=500, init_step_size=1, c=0.1, beta_b=0.9, gamma=2, beta_f=2, reset_option=1, eta_max=10, bound_step_size=true, line_search_fn=armijo)
      SLS: SGD with a stochastic Armijo (or Goldstein) line search on each minibatch; the schedule's rate multiplies the step.
      n_batches_per_epoch = 500: minibatches per epoch, a whole number >= 1: reset_option=1 grows η by gamma per epoch
      init_step_size = 1: the step size η before the first update, > 0
      c = 0.1: Armijo constant in (0, 1) (goldstein: in (0, 0.5])
      beta_b = 0.9: backtracking factor in (0, 1): η ← beta_b·η after a failed trial
      gamma = 2: reset growth of η per epoch, >= 1 (reset_option=1)
      beta_f = 2: goldstein: growth factor of η after a too-short trial, >= 1
      reset_option = 1: η at the start of an update: 0 the last η, 1 the last η·gamma^(1/n_batches_per_epoch), 2 init_step_size
      eta_max = 10: goldstein: the bound on η (with bound_step_size), > 0
      bound_step_size = true: goldstein: cap η at eta_max
      line_search_fn = armijo: armijo or goldstein
      reference: IssamLaradji/sls sls/sls.py (commit 1934653); Vaswani et al. 2019, arXiv:1905.09997

Schedules:
  constant(factor=1, total_iters=0)
      fixed rate lr0 (optionally lr0*factor for the first total_iters updates)
      factor = 1: multiplier before total_iters, in [0, 1]
      total_iters = 0: updates at the reduced rate
      reference: torch.optim.lr_scheduler.ConstantLR
  step(step_size=required, gamma=0.1)
      multiply by gamma every step_size updates
      step_size = required: updates between decays, >= 1
      gamma = 0.1: decay factor, > 0
      reference: torch.optim.lr_scheduler.StepLR
  multistep(milestones=required, gamma=0.1)
      multiply by gamma at each milestone
      milestones = required: non-decreasing update indices, e.g. 30;80
      gamma = 0.1: decay factor, > 0
      reference: torch.optim.lr_scheduler.MultiStepLR
  exponential(gamma=required)
      multiply by gamma every update
      gamma = required: factor per update, > 0
      reference: torch.optim.lr_scheduler.ExponentialLR
  linear(start_factor=0.3333333333333333, end_factor=1, total_iters=5)
      factor linear from start_factor to end_factor over total_iters updates
      start_factor = 0.3333333333333333: factor at t = 0, in [0, 1]
      end_factor = 1: factor from t = total_iters on, in [0, 1]
      total_iters = 5: length of the ramp, >= 1
      reference: torch.optim.lr_scheduler.LinearLR
  polynomial(total_iters=5, power=1)
      polynomial decay to 0 over total_iters updates
      total_iters = 5: updates until the rate reaches 0, >= 1
      power = 1: exponent, >= 0
      reference: torch.optim.lr_scheduler.PolynomialLR
  cosine(T_max=required, eta_min=0)
      cosine annealing from lr0 to eta_min over T_max updates (periodic beyond, like torch)
      T_max = required: half period in updates, >= 1
      eta_min = 0: minimum rate (absolute), >= 0
      reference: torch.optim.lr_scheduler.CosineAnnealingLR; Loshchilov & Hutter 2017 (SGDR)
  cosine_restarts(T_0=required, T_mult=1, eta_min=0)
      cosine annealing with warm restarts every T_0, T_0*T_mult, ... updates (SGDR)
      T_0 = required: length of the first cycle, >= 1
      T_mult = 1: cycle length multiplier, whole number >= 1
      eta_min = 0: minimum rate (absolute), >= 0
      reference: torch.optim.lr_scheduler.CosineAnnealingWarmRestarts; Loshchilov & Hutter 2017 (SGDR)
  onecycle(max_lr=lr0, total_steps=required, pct_start=0.3, anneal_strategy=cos, div_factor=25, final_div_factor=10000, three_phase=false, cycle_momentum=true, base_momentum=0.85, max_momentum=0.95)
      1cycle: warm up to max_lr, anneal far below the start (momentum cycled inversely)
      max_lr = lr0: peak rate (absolute); defaults to the base rate lr0
      total_steps = required: length of the cycle in updates, >= 2
      pct_start = 0.3: fraction of the cycle spent increasing, in [0, 1]
      anneal_strategy = cos: cos or linear
      div_factor = 25: initial rate = max_lr/div_factor, > 0
      final_div_factor = 10000: final rate = initial rate/final_div_factor, > 0
      three_phase = false: annihilation phase after a symmetric warm-up/cool-down
      cycle_momentum = true: cycle momentum/beta1 inversely to the rate
      base_momentum = 0.85: momentum at the peak rate, in [0, 1]
      max_momentum = 0.95: momentum at the start and end, in [0, 1]
      reference: torch.optim.lr_scheduler.OneCycleLR; Smith & Topin 2019 (arXiv:1708.07120)
  cyclic(base_lr=lr0/10, max_lr=lr0, step_size_up=2000, step_size_down=step_size_up, mode=triangular, gamma=1, cycle_momentum=true, base_momentum=0.8, max_momentum=0.9)
      cyclical rate between base_lr and max_lr (triangular, triangular2, exp_range)
      base_lr = lr0/10: lower bound (absolute); defaults to lr0/10
      max_lr = lr0: upper bound (absolute); defaults to lr0
      step_size_up = 2000: updates in the increasing half, >= 1
      step_size_down = step_size_up: updates in the decreasing half, >= 0
      mode = triangular: triangular, triangular2 or exp_range
      gamma = 1: exp_range's factor per update, > 0
      cycle_momentum = true: cycle momentum/beta1 inversely to the rate
      base_momentum = 0.8: momentum at the peak rate, in [0, 1]
      max_momentum = 0.9: momentum at the bottom rate, in [0, 1]
      reference: torch.optim.lr_scheduler.CyclicLR; Smith 2017 (arXiv:1506.01186)
  plateau(mode=min, factor=0.1, patience=10, threshold=0.0001, threshold_mode=rel, cooldown=0, min_lr=0, eps=1e-8)
      reduce by factor when the observed loss has not improved for patience updates
      mode = min: min or max: whether lower or higher metric is better
      factor = 0.1: reduction factor, in [0, 1)
      patience = 10: bad observations tolerated before reducing, >= 0
      threshold = 0.0001: improvement needed to count as better, >= 0 (< 1 when rel)
      threshold_mode = rel: rel or abs
      cooldown = 0: observations ignored after a reduction, >= 0
      min_lr = 0: lower bound on the rate (absolute), >= 0
      eps = 1e-8: smallest change of rate applied, >= 0
      reference: torch.optim.lr_scheduler.ReduceLROnPlateau
  sequential(schedules=required, milestones=required)
      one schedule after another; each restarts at 0 at its milestone
      schedules = required: specs separated by ';', e.g. linear(total_iters=10);cosine(T_max=90)
      milestones = required: increasing update indices >= 1, one fewer than schedules
      reference: torch.optim.lr_scheduler.SequentialLR
  warmup(steps=required, start_factor=1/(steps+1), then=constant)
      linear warm-up over steps updates, then another schedule
      steps = required: warm-up length in updates, >= 0
      start_factor = 1/(steps+1): factor at t = 0, in [0, 1]
      then = constant: the schedule after the warm-up (restarts at t = 0)
      reference: torch.optim.lr_scheduler.SequentialLR of LinearLR and X
  chained(schedules=required)
      product of the children's factors
      schedules = required: specs separated by ';'
      reference: torch.optim.lr_scheduler.ChainedScheduler
  inverse_time(gamma=required)
      lr0/(1 + gamma*t)
      gamma = required: decay rate per update, >= 0
      reference: seeds 001, 003 (inverse-time decay)
  inverse_sqrt(gamma=required)
      lr0/sqrt(1 + gamma*t)
      gamma = required: decay rate per update, >= 0
      reference: seed 001 (square-root decay)
  loss_adaptive(min_loss=best)
      lr0/(1 + loss/min_loss), min_loss the best loss so far (or fixed)
      min_loss = best: best (lowest observed so far) or a fixed reference loss > 0
      reference: seed 000 (adaptive adjustment)
  time_decay(gamma=required)
      lr0/(1 + gamma*seconds): decays with wall-clock time (non-deterministic)
      gamma = required: decay rate per second, >= 0
      reference: seed 001 (time decay)
  interleave(every=required, on=required, otherwise=required)
      A's rate on every k-th update (t mod k = 0), B's otherwise
      every = required: period k, >= 1
      on = required: schedule used when t mod k = 0
      otherwise = required: schedule used on the other updates
      reference: seed 000 (mixture of linear decay and loss-adaptive rate)
  wsd(warmup_steps=required, decay_steps=required, total_steps=required, decay=linear, min_factor=0)
      warmup-stable-decay: linear warm-up, constant, then a short decay to min_factor*lr0
      warmup_steps = required: warm-up length W, >= 0
      decay_steps = required: decay length D, >= 1
      total_steps = required: run length N >= W + D
      decay = linear: linear, cosine or sqrt (1 - sqrt(p))
      min_factor = 0: final rate as a fraction of lr0, in [0, 1]
      reference: Hu et al. 2024 (MiniCPM); Hägele et al. 2024; transformers get_wsd_schedule
  optax_polynomial(end_factor=required, power=required, transition_steps=required, transition_begin=0, init_factor=1)
      optax polynomial_schedule: init_factor*lr0 to end_factor*lr0 with power, after transition_begin
      end_factor = required: optax end_value / lr0, >= 0
      power = required: exponent of the polynomial, >= 0
      transition_steps = required: length of the transition in updates, >= 1
      transition_begin = 0: updates held at init_factor*lr0 first, >= 0
      init_factor = 1: optax init_value / lr0, >= 0
      reference: optax.schedules.polynomial_schedule
  optax_linear(end_factor=required, transition_steps=required, transition_begin=0, init_factor=1)
      optax linear_schedule: init_factor*lr0 to end_factor*lr0, after transition_begin
      end_factor = required: optax end_value / lr0, >= 0
      transition_steps = required: length of the ramp in updates, >= 1
      transition_begin = 0: updates held at init_factor*lr0 first, >= 0
      init_factor = 1: optax init_value / lr0, >= 0
      reference: optax.schedules.linear_schedule
  optax_cosine(decay_steps=required, alpha=0, exponent=1)
      optax cosine_decay_schedule: cosine from lr0 to alpha*lr0 over decay_steps, held after
      decay_steps = required: length of the decay in updates, >= 1
      alpha = 0: final rate as a fraction of lr0, >= 0
      exponent = 1: power of the cosine factor, >= 0
      reference: optax.schedules.cosine_decay_schedule
  optax_warmup_cosine(init_factor=required, warmup_steps=required, decay_steps=required, end_factor=0, exponent=1)
      optax warmup_cosine_decay_schedule: linear warm-up to lr0, cosine to end_factor*lr0
      init_factor = required: optax init_value / peak_value (lr0), >= 0
      warmup_steps = required: length of the linear warm-up, >= 0
      decay_steps = required: total length, warm-up included, > warmup_steps
      end_factor = 0: optax end_value / peak_value, >= 0
      exponent = 1: power of the cosine factor, >= 0
      reference: optax.schedules.warmup_cosine_decay_schedule
  optax_exponential(transition_steps=required, decay_rate=required, transition_begin=0, staircase=false, end_factor=none)
      optax exponential_decay: lr0*decay_rate^((t-begin)/transition_steps), optional staircase and clip
      transition_steps = required: updates per factor decay_rate, >= 1
      decay_rate = required: factor per transition_steps updates, > 0
      transition_begin = 0: updates held at lr0 first, >= 0
      staircase = false: decay at whole multiples of transition_steps only
      end_factor = none: optax end_value / lr0: lower bound if decay_rate < 1, else upper bound; >= 0
      reference: optax.schedules.exponential_decay
  optax_piecewise_constant(boundaries=required, scales=required)
      optax piecewise_constant_schedule: multiply by scales[i] from update boundaries[i] on
      boundaries = required: distinct update indices >= 0, e.g. 100;200 (the dict's keys)
      scales = required: one factor >= 0 per boundary, e.g. 0.1;0.1 (the dict's values)
      reference: optax.schedules.piecewise_constant_schedule
  optax_piecewise_interpolate(interpolate_type=required, boundaries=required, scales=required)
      optax piecewise_interpolate_schedule: linear or cosine moves between running products of scales
      interpolate_type = required: linear or cosine
      boundaries = required: distinct update indices >= 1, e.g. 100;200 (the dict's keys)
      scales = required: one factor >= 0 per boundary (the dict's values)
      reference: optax.schedules.piecewise_interpolate_schedule
  optax_cosine_onecycle(transition_steps=required, pct_start=0.3, div_factor=25, final_div_factor=10000)
      optax cosine_onecycle_schedule: cosine up to lr0 at int(pct_start*N), down to the final value at N
      transition_steps = required: length N of the cycle in updates, >= 2
      pct_start = 0.3: fraction of N spent increasing, with 1 <= int(pct_start*N) < N
      div_factor = 25: initial rate = lr0/div_factor, > 0
      final_div_factor = 10000: final rate = initial rate/final_div_factor, > 0
      reference: optax.schedules.cosine_onecycle_schedule
  optax_linear_onecycle(transition_steps=required, pct_start=0.3, pct_final=0.85, div_factor=25, final_div_factor=10000)
      optax linear_onecycle_schedule: three linear phases ending at int(pct_start*N), int(pct_final*N), N
      transition_steps = required: length N of the cycle in updates, >= 3
      pct_start = 0.3: end of the increase as a fraction of N, 1 <= int(pct_start*N)
      pct_final = 0.85: end of the decrease back to the start, int(pct_start*N) < int(pct_final*N) < N
      div_factor = 25: initial rate = lr0/div_factor, > 0
      final_div_factor = 10000: final rate = initial rate/final_div_factor, > 0
      reference: optax.schedules.linear_onecycle_schedule

Gradient transforms:
  clip_norm(max_norm=1)
      scale g so that ‖g‖₂ ≤ max_norm (torch.nn.utils.clip_grad_norm_)
      max_norm = 1: largest allowed ℓ2 norm (> 0)
      reference: torch.nn.utils.clip_grad_norm_; Pascanu et al. 2013
  clip_value(clip_value=1)
      clamp every component of g to [−clip_value, clip_value] (torch.nn.utils.clip_grad_value_)
      clip_value = 1: largest allowed magnitude per component (> 0)
      reference: torch.nn.utils.clip_grad_value_
  normalize(eps=0)
      g ← g / (‖g‖₂ + eps): unit-norm steps (normalised gradient descent)
      eps = 0: added to the norm (≥ 0); a zero gradient is left zero
      reference: normalised gradient descent (Nesterov 1984; Hazan, Levy & Shalev-Shwartz 2015)
"""#

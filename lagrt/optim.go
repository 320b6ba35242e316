package lagrt

import (
	"fmt"
	"math"
)

// Optimizer updates a parameter vector from a gradient of the loss. Train
// calls Step once per epoch with the mean gradient over the dataset, after
// zeroing the entries of frozen parameters and clipping.
//
// An Optimizer keeps state (momenta, step counts) sized on the first call
// to Step; use a new one, or call its Reset method, for each training run.
// Implementations need not be safe for concurrent use.
type Optimizer interface {
	// Step updates theta in place using grad (both of the same length,
	// which must not change between calls).
	Step(theta, grad []float64)
	// Name describes the optimiser and its settings, as in
	// "adam(lr=0.001)", for logs.
	Name() string
}

// Defaults of the optimisers.
const (
	DefaultLearningRate = 0.05  // Adam's learning rate, as for the lagc command
	DefaultAdamBeta1    = 0.9   // Adam's β1
	DefaultAdamBeta2    = 0.999 // Adam's β2
	DefaultAdamEps      = 1e-8  // Adam's ε
)

// SGD is stochastic gradient descent with (heavy-ball) momentum, in the
// formulation of PyTorch's torch.optim.SGD: with velocity b (initially 0),
//
//	b ← μ b + g
//	θ ← θ − lr · b
//
// With Momentum μ = 0 it is plain gradient descent θ ← θ − lr·g.
type SGD struct {
	LR       float64 // learning rate lr
	Momentum float64 // momentum μ ∈ [0, 1)

	b []float64
}

// NewSGD returns gradient descent with learning rate lr and momentum μ.
func NewSGD(lr, momentum float64) *SGD { return &SGD{LR: lr, Momentum: momentum} }

// Step implements Optimizer.
func (o *SGD) Step(theta, grad []float64) {
	checkStep(theta, grad)
	if o.b == nil {
		o.b = make([]float64, len(theta))
	}
	checkState(len(o.b), len(theta))
	for i, g := range grad {
		o.b[i] = o.Momentum*o.b[i] + g
		theta[i] -= o.LR * o.b[i]
	}
}

// Reset forgets the velocity.
func (o *SGD) Reset() { o.b = nil }

// Name implements Optimizer: "sgd(lr=…, momentum=…)".
func (o *SGD) Name() string { return fmt.Sprintf("sgd(lr=%g, momentum=%g)", o.LR, o.Momentum) }

// Adam is the Adam optimiser (Kingma and Ba, 2015). With first and second
// moment estimates m and v (initially 0) and step count t:
//
//	t ← t + 1
//	m ← β1 m + (1 − β1) g
//	v ← β2 v + (1 − β2) g²
//	θ ← θ − lr · m̂ / (√v̂ + ε),   m̂ = m / (1 − β1ᵗ),  v̂ = v / (1 − β2ᵗ)
//
// Zero fields take the defaults DefaultLearningRate, DefaultAdamBeta1,
// DefaultAdamBeta2 and DefaultAdamEps (lr = 0.05, β1 = 0.9, β2 = 0.999,
// ε = 1e-8). Its steps are about lr in size whatever the scale of the
// gradient, so choose lr on the scale of the parameters.
type Adam struct {
	LR, Beta1, Beta2, Eps float64

	m, v []float64
	t    int
}

// NewAdam returns Adam with learning rate lr (0: DefaultLearningRate) and
// the default β1, β2 and ε.
func NewAdam(lr float64) *Adam {
	return &Adam{LR: lr}
}

func (o *Adam) params() (lr, b1, b2, eps float64) {
	lr, b1, b2, eps = o.LR, o.Beta1, o.Beta2, o.Eps
	if lr == 0 {
		lr = DefaultLearningRate
	}
	if b1 == 0 {
		b1 = DefaultAdamBeta1
	}
	if b2 == 0 {
		b2 = DefaultAdamBeta2
	}
	if eps == 0 {
		eps = DefaultAdamEps
	}
	return
}

// Step implements Optimizer.
func (o *Adam) Step(theta, grad []float64) {
	checkStep(theta, grad)
	lr, b1, b2, eps := o.params()
	if o.m == nil {
		o.m = make([]float64, len(theta))
		o.v = make([]float64, len(theta))
	}
	checkState(len(o.m), len(theta))
	o.t++
	c1 := 1 - math.Pow(b1, float64(o.t))
	c2 := 1 - math.Pow(b2, float64(o.t))
	for i, g := range grad {
		o.m[i] = b1*o.m[i] + (1-b1)*g
		o.v[i] = b2*o.v[i] + (1-b2)*g*g
		theta[i] -= lr * (o.m[i] / c1) / (math.Sqrt(o.v[i]/c2) + eps)
	}
}

// Reset forgets the moment estimates and the step count.
func (o *Adam) Reset() { o.m, o.v, o.t = nil, nil, 0 }

// Name implements Optimizer: "adam(lr=…, beta1=…, beta2=…, eps=…)".
func (o *Adam) Name() string {
	lr, b1, b2, eps := o.params()
	return fmt.Sprintf("adam(lr=%g, beta1=%g, beta2=%g, eps=%g)", lr, b1, b2, eps)
}

func checkStep(theta, grad []float64) {
	if len(theta) != len(grad) {
		panic(fmt.Sprintf("lagrt: optimizer step with %d parameters and %d gradient entries", len(theta), len(grad)))
	}
}

func checkState(have, want int) {
	if have != want {
		panic(fmt.Sprintf("lagrt: optimizer state has %d parameters, step has %d (call Reset between runs)", have, want))
	}
}

package lagrt

import (
	"fmt"
	"math"
)

// Branch-jump detection; see "Training" in the package documentation.
const (
	// branchLossFactor: a sample's cost change counts as unexplained
	// when it differs from the change the gradients predict by more
	// than this factor times the predicted change's size …
	branchLossFactor = 10
	// branchLossRel … and by more than this fraction of the cost.
	branchLossRel = 0.05
	// branchMoveFactor: a trajectory moving this many times farther per
	// unit parameter step than in the previous evaluation …
	branchMoveFactor = 30
	// branchMoveRel … by more than this fraction of its excursion.
	branchMoveRel = 0.1
)

// branchState is a sample's history for branch-jump detection.
type branchState struct {
	ok    bool      // cost and ratio below are from the last evaluation
	cost  float64   // cost then
	grad  []float64 // gradient then, nil if not evaluated
	ratio float64   // ‖Δq‖∞/‖Δθ‖∞ of the step before it, 0 if unknown
}

// checkBranch compares sample i, just evaluated at theta (trajectory q,
// cost in sl.cost, gradient grad or nil), with its previous evaluation at
// e.lastTheta (trajectory sl.warm), adds a warning to sl.warnings if the
// change looks like a jump to another branch of solutions, and updates
// the history. The trapezoidal prediction ½(g_prev + g)·Δθ of the cost
// change is accurate to O(|Δθ|³) on a smooth branch; a jump changes the
// cost by an amount the step does not explain, or moves the trajectory
// much farther per unit step than the previous step did.
func (e *Evaluator) checkBranch(sl *evalSlot, i int, theta []float64, q [][]float64, grad []float64) {
	b := &sl.branch
	defer func() {
		b.ok, b.cost = true, sl.cost
		if grad != nil {
			b.grad = append(b.grad[:0], grad...)
		} else {
			b.grad = b.grad[:0]
		}
	}()
	if !b.ok || !e.haveLast || len(e.lastTheta) != len(theta) || len(sl.warm) != len(q) || len(q) == 0 || len(sl.warm[0]) != len(q[0]) {
		b.ratio = 0
		return
	}
	dth := 0.0
	for a, x := range theta {
		dth = max(dth, math.Abs(x-e.lastTheta[a]))
	}
	// The cost test.
	dc := sl.cost - b.cost
	pred, size, have := 0.0, 0.0, false
	dot := func(g []float64) float64 {
		s := 0.0
		for a, x := range g {
			s += x * (theta[a] - e.lastTheta[a])
		}
		return s
	}
	switch {
	case len(b.grad) == len(theta) && grad != nil:
		p0, p1 := dot(b.grad), dot(grad)
		pred, size, have = (p0+p1)/2, math.Abs(p0)+math.Abs(p1), true
	case len(b.grad) == len(theta):
		p0 := dot(b.grad)
		pred, size, have = p0, math.Abs(p0), true
	case grad != nil:
		p1 := dot(grad)
		pred, size, have = p1, math.Abs(p1), true
	}
	miss := math.Abs(dc - pred)
	lossJump := have && miss > branchLossFactor*size && miss > branchLossRel*max(math.Abs(sl.cost), math.Abs(b.cost))
	// The trajectory test.
	dq, scale, qmax := 0.0, 0.0, 0.0
	for c := range q[0] {
		lo, hi := math.Inf(1), math.Inf(-1)
		for k, row := range q {
			dq = max(dq, math.Abs(row[c]-sl.warm[k][c]))
			lo, hi = min(lo, row[c]), max(hi, row[c])
			qmax = max(qmax, math.Abs(row[c]), math.Abs(sl.warm[k][c]))
		}
		scale = max(scale, hi-lo)
	}
	if scale == 0 {
		scale = qmax // a constant trajectory: its size
	}
	ratio := 0.0
	if dth > 0 {
		ratio = dq / dth
	}
	moveJump := b.ratio > 0 && ratio > branchMoveFactor*b.ratio && dq > branchMoveRel*scale
	if dth == 0 && dq > branchMoveRel*scale {
		moveJump = true // same parameters, another trajectory
	}
	b.ratio = ratio
	if !lossJump && !moveJump {
		return
	}
	hint := "warm starts can carry a sample across a bifurcation onto another branch, which can stall training: " +
		"compare with warm starts turned off, or give the sample an initial guess near the branch wanted"
	if e.NoWarmStart {
		hint = "at these parameters the initial guess lies in the basin of another branch: give the sample an initial " +
			"guess near the branch wanted"
	}
	sl.warnings = append(sl.warnings, fmt.Sprintf("sample %d: possible jump to another branch of solutions: its cost "+
		"went from %.4g to %.4g (the gradients predict a change of %.3g for the parameter step of %.3g) and its "+
		"trajectory moved by %.3g (its scale is %.3g); %s", i, b.cost, sl.cost, pred, dth, dq, scale, hint))
}

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

// branchState is a sample's history for branch-jump detection. The
// gradient of its previous evaluation, if any, is in that call's slot
// (Evaluator.prev).
type branchState struct {
	cost  float64 // cost at the last evaluation
	ratio float64 // ‖Δq‖∞/‖Δθ‖∞ of the step before it, 0 if unknown
}

// checkBranch compares sample i, just evaluated at theta (trajectory q,
// cost in sl.cost, gradient grad or nil), with its previous evaluation if
// that was in the last successful call, at e.lastTheta (trajectory
// st.warm, gradient in e.prev), adds a warning to sl.warnings if the
// change looks like a jump to another branch of solutions, and updates
// the history. The trapezoidal prediction ½(g_prev + g)·Δθ of the cost
// change is accurate to O(|Δθ|³) on a smooth branch; a jump changes the
// cost by an amount the step does not explain, or moves the trajectory
// much farther per unit step than the previous step did.
func (e *Evaluator) checkBranch(st *sampleState, sl *evalSlot, i int, theta []float64, q [][]float64, grad []float64) {
	b := &st.branch
	defer func() { b.cost = sl.cost }()
	if st.call == 0 || st.call != e.lastCall || len(e.lastTheta) != len(theta) || len(st.warm) != len(q) || len(q) == 0 || len(st.warm[0]) != len(q[0]) {
		b.ratio = 0
		return
	}
	var prevGrad []float64
	if e.lastWithGrad {
		prevGrad = e.prev[st.pos].grad
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
	case len(prevGrad) == len(theta) && grad != nil:
		p0, p1 := dot(prevGrad), dot(grad)
		pred, size, have = (p0+p1)/2, math.Abs(p0)+math.Abs(p1), true
	case len(prevGrad) == len(theta):
		p0 := dot(prevGrad)
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
			dq = max(dq, math.Abs(row[c]-st.warm[k][c]))
			lo, hi = min(lo, row[c]), max(hi, row[c])
			qmax = max(qmax, math.Abs(row[c]), math.Abs(st.warm[k][c]))
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

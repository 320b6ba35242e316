package symbolic

import (
	"fmt"
	"math"
)

// Eval evaluates e with symbol values from env (missing symbols panic).
//
// It is a memoising tree walk meant as a test oracle: sums and products are
// accumulated in Args order, powers use math.Pow, functions the math package
// (sign as documented on [Sign]).
func Eval(e *Node, env map[*Node]float64) float64 {
	memo := make(map[*Node]float64)
	return eval(e, env, memo)
}

func eval(e *Node, env map[*Node]float64, memo map[*Node]float64) float64 {
	switch e.kind {
	case KNum:
		return e.val
	case KSym:
		v, ok := env[e]
		if !ok {
			panic(fmt.Sprintf("symbolic: Eval: no value for symbol %q", e.name))
		}
		return v
	}
	if v, ok := memo[e]; ok {
		return v
	}
	var v float64
	switch e.kind {
	case KAdd:
		v = e.val
		for _, a := range e.args {
			v += eval(a, env, memo)
		}
	case KMul:
		v = e.val
		for _, a := range e.args {
			v *= eval(a, env, memo)
		}
	case KPow:
		v = math.Pow(eval(e.args[0], env, memo), eval(e.args[1], env, memo))
	case KCall:
		x := eval(e.args[0], env, memo)
		if e.fn == Atan2 {
			v = funcTable[Atan2].eval2(x, eval(e.args[1], env, memo))
		} else {
			v = applyFunc(e.fn, x)
		}
	}
	memo[e] = v
	return v
}

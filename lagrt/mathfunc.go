package lagrt

// Sign returns +1 if x > 0, -1 if x < 0 and 0 otherwise (also for NaN),
// as symbolic.Program does. Generated code uses it for the derivative of
// abs.
func Sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

package runtime

// Sign returns -1, 0 or +1 according to the sign of x (0 for NaN is not
// guaranteed: NaN is returned unchanged). Generated code uses it for the
// derivative of abs.
func Sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return x
}

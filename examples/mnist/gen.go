// Command mnist trains a physical network of driven oscillators, written
// as a Lagrangian in mnist.lag, to classify the MNIST handwritten digits
// by Equilibrium Propagation on periodic trajectories (see README.md).
//
// The network is compiled to Go by "go generate" (lagc is pinned by the
// tool directive in go.mod), once per hidden-layer size that -hidden
// offers, and a small one for the tests.
package main

//go:generate go tool lagc gen -D NH=32 -system Net32 -o net32_lagrangian.go mnist.lag
//go:generate go tool lagc gen -D NH=64 -system Net64 -o net64_lagrangian.go mnist.lag
//go:generate go tool lagc gen -D NH=128 -system Net128 -o net128_lagrangian.go mnist.lag
//go:generate go tool lagc gen -D NH=256 -system Net256 -o net256_lagrangian.go mnist.lag
//go:generate go tool lagc gen -D NH=6 -D NI=12 -system Tiny -o tiny_lagrangian.go mnist.lag

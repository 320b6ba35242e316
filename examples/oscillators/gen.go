// Command oscillators shows lagc in a downstream module: network.lag is
// compiled to Go by "go generate" (lagc is pinned by the tool directive in
// go.mod), and this program trains the generated model with the lagc
// runtime by Equilibrium Propagation.
package main

//go:generate go tool lagc gen network.lag

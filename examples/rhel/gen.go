// Command rhel reproduces the toy problem of Recurrent Hamiltonian Echo
// Learning (RHEL; Pourcel & Ernoult, NeurIPS 2025) with lagc: chain.lag,
// six coupled harmonic oscillators, is compiled to Go by "go generate"
// (lagc is pinned by the tool directive in go.mod), and this program
// learns its masses and spring constants from trajectories started from
// given initial conditions, with gradients from the Hamiltonian echo.
package main

//go:generate go tool lagc gen chain.lag

// Package golden holds, one package per testdata system, the Go files lagc
// generates. They are the golden files of package codegen's tests
// (go test ./codegen -update rewrites them) and, being real packages of
// this module, they compile with it and are benchmarked against the
// interpreter here.
package golden

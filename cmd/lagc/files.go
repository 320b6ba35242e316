package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Limits on what lagc reads. A .lag file is written by hand (arrays and
// sums keep even large systems to a few kilobytes), and parsing costs
// far more memory than the text, so sources are capped well below what
// would exhaust a machine; data files hold sampled signals and may be
// large.
const (
	maxSourceBytes = 1 << 20   // a .lag file: 1 MiB
	maxDataBytes   = 256 << 20 // a --data JSON file: 256 MiB
	maxParamsBytes = 16 << 20  // an --init parameters file: 16 MiB
)

// readLimited reads the file at path, failing with a clear error if it
// holds more than limit bytes (what names the kind of file). Any file
// that can be read is accepted, pipes included; /dev/zero fails at the
// limit instead of exhausting memory.
func readLimited(path string, limit int64, what string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("%s: is a directory, not a %s", path, what)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: larger than %s, the limit for a %s", path, byteSize(limit), what)
	}
	return data, nil
}

// readSource reads a .lag file.
func readSource(path string) ([]byte, error) {
	return readLimited(path, maxSourceBytes, ".lag source")
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// checkOutput makes sure path may be replaced by lagc: it is a regular
// file or does not exist yet, it is none of the inputs, and its directory
// accepts new files (tried by creating and removing a temporary file, so
// nothing is left behind). It returns the path to write: a symbolic link
// is resolved, so that the link survives and its target is replaced.
func checkOutput(path string, inputs ...string) (string, error) {
	target, fi, err := outputTarget(path)
	if err != nil {
		return "", err
	}
	if fi != nil {
		for _, in := range inputs {
			if in == "" {
				continue
			}
			if ii, err := os.Stat(in); err == nil && os.SameFile(fi, ii) {
				return "", fmt.Errorf("refusing to write %s: it is the input %s", path, in)
			}
		}
	}
	dir := filepath.Dir(target)
	f, err := os.CreateTemp(dir, "."+filepath.Base(target)+".tmp*")
	if err != nil {
		return "", fmt.Errorf("cannot write %s: directory %s does not accept new files: %w", path, dir, unwrapPath(err))
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	return target, nil
}

// outputTarget resolves a symbolic link at path and checks that what is
// there, if anything, is a regular file. fi is nil if nothing is there.
func outputTarget(path string) (string, fs.FileInfo, error) {
	if path == "" {
		return "", nil, errors.New("empty output file name")
	}
	li, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return path, nil, nil
	case err != nil:
		return "", nil, err
	}
	fi, err := os.Stat(path) // follows links
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", nil, fmt.Errorf("refusing to write %s: it is a symbolic link to a missing file", path)
	case err != nil:
		return "", nil, err
	case !fi.Mode().IsRegular():
		return "", nil, fmt.Errorf("refusing to replace %s: it is %s, not a regular file", path, fileKind(fi.Mode()))
	}
	target := path
	if li.Mode()&fs.ModeSymlink != 0 {
		if target, err = filepath.EvalSymlinks(path); err != nil {
			return "", nil, err
		}
	}
	return target, fi, nil
}

func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "not a regular file"
}

// unwrapPath drops the operation and path of a *fs.PathError, whose
// temporary file name would only confuse.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// sameContents reports whether the regular file at path holds exactly
// data, reading at most len(data)+1 bytes of it.
func sameContents(path string, data []byte) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	old, err := io.ReadAll(io.LimitReader(f, int64(len(data))+1))
	if err != nil {
		return false, err
	}
	return bytes.Equal(old, data), nil
}

// writeIfChanged writes data to path atomically (see writeAtomic), and not
// at all if path already holds it.
func writeIfChanged(path string, data []byte, inputs ...string) error {
	target, err := checkOutput(path, inputs...)
	if err != nil {
		return err
	}
	if same, err := sameContents(target, data); err == nil && same {
		return nil
	}
	return writeFile(target, path, data)
}

// writeAtomic replaces path by a regular file holding data: it checks
// path with checkOutput, writes a temporary file in the same directory
// and renames it over path, so that a reader sees the old or the new
// contents, never a part, and a failure leaves no file behind.
func writeAtomic(path string, data []byte, inputs ...string) error {
	target, err := checkOutput(path, inputs...)
	if err != nil {
		return err
	}
	return writeFile(target, path, data)
}

func writeFile(target, path string, data []byte) error {
	// Check again: a device may have appeared since.
	if _, _, err := outputTarget(target); err != nil {
		return err
	}
	perm := fs.FileMode(0o644)
	if fi, err := os.Stat(target); err == nil {
		perm = fi.Mode().Perm()
	}
	dir := filepath.Dir(target)
	f, err := os.CreateTemp(dir, "."+filepath.Base(target)+".tmp*")
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, unwrapPath(err))
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	if werr == nil {
		werr = f.Sync()
	}
	cerr := f.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(tmp, perm)
	}
	if werr == nil {
		werr = os.Rename(tmp, target)
	}
	if werr != nil {
		os.Remove(tmp)
		return fmt.Errorf("cannot write %s: %w", path, unwrapPath(werr))
	}
	return nil
}

package main

import (
	"bytes"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestOutputOnlyRegular: devices, sockets, pipes and directories are never
// replaced (only checked here with stat: a regression must not destroy
// /dev/null on the test machine).
func TestOutputOnlyRegular(t *testing.T) {
	dir := t.TempDir()
	sock := filepath.Join(dir, "s.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	for path, kind := range map[string]string{
		"/dev/null": "a character device",
		sock:        "a socket",
		fifo:        "a named pipe",
		dir:         "a directory",
	} {
		_, _, err := outputTarget(path)
		if err == nil || !strings.Contains(err.Error(), "refusing to replace "+path+": it is "+kind) {
			t.Errorf("%s: %v, want a refusal naming %s", path, err, kind)
		}
	}
	// Writing to the socket's path is refused and leaves the socket.
	if err := writeAtomic(sock, []byte("x")); err == nil {
		t.Errorf("writeAtomic over a socket succeeded")
	}
	if fi, err := os.Lstat(sock); err != nil || fi.Mode()&os.ModeSocket == 0 {
		t.Errorf("socket replaced: %v %v", fi.Mode(), err)
	}
	// The check leaves no temporary file behind.
	if ents, _ := os.ReadDir(dir); len(ents) != 2 {
		t.Errorf("directory holds %d entries after the checks, want 2", len(ents))
	}
}

// TestReadLimited: reads stop at the limit with a clear error, also from
// an endless device; a file of exactly the limit is read.
func TestReadLimited(t *testing.T) {
	_, err := readLimited("/dev/zero", 1000, "data file")
	if err == nil || err.Error() != "/dev/zero: larger than 1000 bytes, the limit for a data file" {
		t.Errorf("/dev/zero: %v", err)
	}
	path := filepath.Join(t.TempDir(), "f")
	os.WriteFile(path, bytes.Repeat([]byte("x"), 1024), 0o644)
	if b, err := readLimited(path, 1024, "data file"); err != nil || len(b) != 1024 {
		t.Errorf("exactly at the limit: %d bytes, %v", len(b), err)
	}
	if _, err := readLimited(path, 1023, "data file"); err == nil || !strings.Contains(err.Error(), "larger than 1023 bytes") {
		t.Errorf("one byte over: %v", err)
	}
	if byteSize(maxDataBytes) != "256 MiB" || byteSize(maxSourceBytes) != "1 MiB" {
		t.Errorf("limits %s and %s: update the README", byteSize(maxDataBytes), byteSize(maxSourceBytes))
	}
}

// TestTrainUnwritableDirectory: a writable file in a directory that does
// not accept new files (where the atomic write would fail at the end) is
// refused before training. /proc/self holds such files even for root.
func TestTrainUnwritableDirectory(t *testing.T) {
	const out = "/proc/self/oom_score_adj"
	if _, err := os.Stat(out); err != nil {
		t.Skip(err)
	}
	_, stderr, code := lagc(t, "train", "--epochs=1", "--out="+out)
	if code != 1 || !strings.Contains(stderr, "lagc: cannot write "+out+": directory /proc/self does not accept new files") ||
		strings.Contains(stderr, "training demo") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// TestTrainReadOnlyDirectory is the same with a read-only directory; root
// may write anywhere, so it needs another user.
func TestTrainReadOnlyDirectory(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root ignores directory permissions")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "p.json")
	os.WriteFile(out, []byte("{}\n"), 0o644)
	os.Chmod(dir, 0o555)
	defer os.Chmod(dir, 0o755)
	_, stderr, code := lagc(t, "train", "--epochs=1", "--out="+out)
	if code != 1 || !strings.Contains(stderr, "does not accept new files") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// TestTrainFinalWriteFails: if --out cannot be written at the end after
// all (its directory vanished during training), the parameters are
// printed on standard error as JSON.
func TestTrainFinalWriteFails(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	os.Mkdir(dir, 0o755)
	out := filepath.Join(dir, "p.json")
	trainHook = func(epoch int) {
		if epoch == 2 {
			os.RemoveAll(dir)
		}
	}
	defer func() { trainHook = nil }()
	_, stderr, code := lagc(t, "train", "--epochs=3", "--quiet", "--out="+out)
	if code != 1 || !strings.Contains(stderr, "the parameters, which could not be saved, are:\n{") ||
		!strings.Contains(stderr, "lagc: the parameters were not saved to "+out+" (they are printed above)") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	js := stderr[strings.Index(stderr, "{"):]
	js = js[:strings.Index(js, "}")+1]
	var params map[string]float64
	if err := json.Unmarshal([]byte(js), &params); err != nil || len(params) != 5 {
		t.Errorf("printed parameters %q: %v", js, err)
	}
}

// TestTrainCreatesNothingEarly: a run that fails after the output check
// (here on its data) leaves the output directory as it was.
func TestTrainCreatesNothingEarly(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "d.json")
	os.WriteFile(data, []byte(`{"samples": []}`), 0o644)
	_, stderr, code := lagc(t, "train", "../../testdata/duffing.lag", "--data="+data,
		"--out="+filepath.Join(dir, "p.json"), "--history="+filepath.Join(dir, "h.csv"))
	if code != 1 || !strings.Contains(stderr, "no samples") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("directory holds %d entries, want only the data file", len(ents))
	}
}

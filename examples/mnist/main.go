package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/lagc/lagc/lagrt"
)

// config holds the command-line settings.
type config struct {
	train, test, epochs, hidden, batch, steps, workers int
	method, out, init, plot, data                      string
	seed                                               uint64
	lr, gain                                           float64
	decay                                              bool
}

// Defaults: the full run (all 60,000 training and 10,000 test images)
// and the quick one (-train=2000 -test=1000) share them.
const (
	defaultEpochs = 6
	defaultHidden = 64
	defaultBatch  = 10
	defaultLR     = 0.003
	defaultGain   = 4
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// methods maps -method to the runtime's estimators.
var methods = map[string]lagrt.Method{"centered": lagrt.EPCentered, "onesided": lagrt.EPOneSided, "adjoint": lagrt.Adjoint}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	c := new(config)
	fs := flag.NewFlagSet("mnist", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&c.train, "train", 60000, "number of training images (the first N of the 60,000)")
	fs.IntVar(&c.test, "test", 10000, "number of test images (the first M of the 10,000)")
	fs.IntVar(&c.epochs, "epochs", defaultEpochs, "passes over the training images (0: evaluate only)")
	fs.IntVar(&c.hidden, "hidden", defaultHidden, fmt.Sprintf("hidden oscillators, one of %v (gen.go)", sizes()))
	fs.StringVar(&c.method, "method", "centered", "gradient: centered (EP, ±β), onesided (EP, +β) or adjoint (the exact gradient of the discrete problem)")
	fs.Uint64Var(&c.seed, "seed", 1, "seed of the initial parameters and of the minibatch shuffle")
	fs.StringVar(&c.out, "out", "", "write the parameters to this JSON `file` after every epoch and on interrupt (atomically)")
	fs.StringVar(&c.init, "init", "", "start from the parameters in this JSON `file` (as -out writes)")
	fs.StringVar(&c.plot, "plot", "", "write PNGs of loss, accuracy and test digits' output trajectories into this `directory`")
	fs.IntVar(&c.batch, "batch", defaultBatch, "minibatch size (one Adam step per batch)")
	fs.Float64Var(&c.lr, "lr", defaultLR, "Adam learning rate")
	fs.BoolVar(&c.decay, "decay", false, "decay the learning rate along a cosine to a tenth of -lr over the run")
	fs.Float64Var(&c.gain, "gain", defaultGain, "scale of the initial input couplings W1 (entries gain/√196): the rotors' amplitudes then reach the range where sin(h) bends")
	fs.IntVar(&c.steps, "steps", defaultSteps, "time steps per period of the drive")
	fs.IntVar(&c.workers, "workers", 0, "goroutines solving samples (0: GOMAXPROCS; results do not depend on it)")
	fs.StringVar(&c.data, "data", "", "`directory` with the four MNIST .gz files (default: GoMNIST's data/ in the module cache)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	var errs []string
	check := func(ok bool, format string, a ...any) {
		if !ok {
			errs = append(errs, fmt.Sprintf(format, a...))
		}
	}
	check(c.train >= 1 && c.train <= 60000, "-train=%d: want 1..60000", c.train)
	check(c.test >= 0 && c.test <= 10000, "-test=%d: want 0..10000", c.test)
	check(c.epochs >= 0, "-epochs=%d: must not be negative", c.epochs)
	_, ok := networks[c.hidden]
	check(ok, "-hidden=%d: the networks built are %v (add a go:generate line in gen.go for another size)", c.hidden, sizes())
	_, ok = methods[c.method]
	check(ok, "-method=%s: want centered, onesided or adjoint", c.method)
	check(c.batch >= 1, "-batch=%d: must be at least 1", c.batch)
	check(c.lr > 0 && !math.IsInf(c.lr, 0), "-lr=%g: must be positive", c.lr)
	check(c.gain > 0 && !math.IsInf(c.gain, 0), "-gain=%g: must be positive", c.gain)
	check(c.steps >= 8 && c.steps <= 1024, "-steps=%d: want 8..1024", c.steps)
	check(c.workers >= 0, "-workers=%d: must not be negative", c.workers)
	if len(errs) > 0 {
		return nil, errors.New(strings.Join(errs, "\n"))
	}
	return c, nil
}

func run(args []string, stdout, stderr io.Writer) int {
	c, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "mnist:", strings.ReplaceAll(err.Error(), "\n", "\nmnist: "))
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := train(ctx, c, stdout); err != nil {
		fmt.Fprintln(stderr, "mnist:", err)
		return 1
	}
	return 0
}

// train runs the whole job and prints the accuracy line last.
func train(ctx context.Context, c *config, w io.Writer) error {
	n, err := newNet(networks[c.hidden])
	if err != nil {
		return err
	}
	info := n.model.Info()
	if c.out != "" {
		if err := checkWritable(c.out, c.init); err != nil {
			return err
		}
	}
	if c.plot != "" {
		if err := os.MkdirAll(c.plot, 0o777); err != nil {
			return fmt.Errorf("-plot: %w", err)
		}
	}
	theta := n.initTheta(c.seed, c.gain)
	if c.init != "" {
		if theta, err = readParams(c.init, info); err != nil {
			return err
		}
	}
	dir, err := dataDir(c.data)
	if err != nil {
		return err
	}
	start := time.Now()
	tr, err := load(dir, trainImages, trainLabels, c.train)
	if err != nil {
		return err
	}
	te, err := load(dir, testImages, testLabels, c.test)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "data: %d training and %d test images from %s, pooled to %d inputs (%.1fs)\n",
		c.train, c.test, dir, n.ni, time.Since(start).Seconds())
	fmt.Fprintf(w, "network %s: %d inputs drive %d hidden rotors coupled to %d output oscillators; %d parameters; %d steps per period, periodic\n",
		info.Name, n.ni, n.nh, n.no, info.P(), c.steps)
	batches := (c.train + c.batch - 1) / c.batch
	lrs := fmt.Sprint(c.lr)
	if c.decay {
		lrs += fmt.Sprintf(" decaying to %g", c.lr/10)
	}
	fmt.Fprintf(w, "training: %s gradient, Adam lr %s, %d epoch%s of %d minibatches of %d, seed %d, %d workers\n",
		c.method, lrs, c.epochs, plural(c.epochs), batches, c.batch, c.seed, workers(c.workers))

	trainData := n.dataset(tr.x, tr.labels, c.steps)
	testData := n.dataset(te.x, te.labels, c.steps)
	correct := make([]bool, c.train) // the latest free solve's answer per training image
	var seen atomic.Int64
	testEval := &lagrt.Evaluator{Model: n.model, Data: testData, Workers: c.workers}
	testCorrect := make([]bool, c.test)
	testEval.Observe = func(i int, sol *lagrt.Solution) { testCorrect[i] = n.classify(sol.Q) == te.labels[i] }
	evalTest := func(theta []float64) (loss, acc float64, err error) {
		if c.test == 0 {
			return math.NaN(), math.NaN(), nil
		}
		r, err := testEval.Loss(ctx, theta)
		if err != nil {
			return 0, 0, fmt.Errorf("test images: %w", err)
		}
		return r.Loss, percent(testCorrect), nil
	}

	var hist history
	firstLoss := math.NaN()
	epochStart := time.Now()
	lastReport := time.Now()
	adam := lagrt.NewAdam(c.lr)
	steps := c.epochs * batches
	opt := &lagrt.TrainOptions{
		Method:    methods[c.method],
		Optimizer: adam,
		Epochs:    c.epochs,
		Workers:   c.workers,
		BatchSize: c.batch,
		Seed:      c.seed,
		Retry:     true,
		Observe: func(i int, sol *lagrt.Solution) {
			correct[i] = n.classify(sol.Q) == tr.labels[i]
			seen.Add(1)
		},
		BatchProgress: func(b *lagrt.BatchStats) error {
			if b.Steps == 1 {
				firstLoss = b.Loss
			}
			if c.decay {
				adam.LR = learningRate(c.lr, b.Steps, steps)
			}
			if afterBatch != nil {
				afterBatch(b)
			}
			if time.Since(lastReport) < 30*time.Second && b.Batch != batches/2 {
				return nil
			}
			lastReport = time.Now()
			done := float64(b.Batch) / float64(b.Batches)
			el := time.Since(epochStart)
			fmt.Fprintf(w, "  epoch %d/%d %3.0f%%: batch loss %.4f, %s in this epoch, ETA %s for it\n",
				b.Epoch, c.epochs, 100*done, b.Loss, round(el), round(time.Duration(float64(el)*(1-done)/done)))
			return nil
		},
		Progress: func(st *lagrt.EpochStats) error {
			trainEnd := time.Now()
			tl, ta, err := evalTest(st.Theta)
			if err != nil {
				return err
			}
			e := epochRecord{epoch: st.Epoch, trainLoss: st.Loss, trainAcc: percent(correct), testLoss: tl, testAcc: ta,
				elapsed: time.Since(start)}
			hist = append(hist, e)
			saved := ""
			if c.out != "" {
				if err := writeAtomic(c.out, paramsJSON(info, st.Theta)); err != nil {
					return err
				}
				saved = "; saved " + c.out
			}
			if c.plot != "" {
				if err := hist.plot(c.plot); err != nil {
					return err
				}
			}
			per := time.Since(start) / time.Duration(st.Epoch)
			fmt.Fprintf(w, "epoch %d/%d: train loss %.4f, accuracy %.2f%% (during the epoch); test loss %.4f, accuracy %.2f%%; epoch %s (%.1f iterations per solve; test %s), ETA %s%s\n",
				st.Epoch, c.epochs, st.Loss, e.trainAcc, tl, ta, round(trainEnd.Sub(epochStart)),
				float64(st.Iterations)/float64(max(1, st.Solves)), round(time.Since(trainEnd)),
				round(per*time.Duration(c.epochs-st.Epoch)+per/3), saved)
			epochStart, lastReport = time.Now(), time.Now()
			return nil
		},
	}
	res, err := lagrt.Train(ctx, n.model, trainData, theta, opt)
	if err != nil {
		if res != nil && c.out != "" && res.Steps > 0 {
			if werr := writeAtomic(c.out, paramsJSON(info, res.Theta)); werr == nil {
				fmt.Fprintf(w, "stopped after %d steps; their parameters are saved in %s (resume with -init=%s)\n", res.Steps, c.out, c.out)
			}
		}
		if errors.Is(err, lagrt.ErrStopped) {
			return fmt.Errorf("interrupted: %w", err)
		}
		return fmt.Errorf("%w\n(%s)", err, failureHint(err))
	}
	trainAcc := percent(correct) // Train's final evaluation: every image at the final parameters
	testAcc := math.NaN()
	if len(hist) > 0 {
		testAcc = hist[len(hist)-1].testAcc
	} else if _, testAcc, err = evalTest(res.Theta); err != nil {
		return err
	}
	if c.out != "" {
		if err := writeAtomic(c.out, paramsJSON(info, res.Theta)); err != nil {
			return err
		}
	}
	if c.plot != "" && c.test > 0 {
		if err := plotDigits(c.plot, n, testData, te.labels, res.Theta); err != nil {
			return err
		}
		fmt.Fprintf(w, "plots: %s\n", c.plot)
	}
	fmt.Fprintf(w, "done in %s (%d solves): loss %.4f on the first minibatch, %.4f on all training images at the end\n",
		round(time.Since(start)), res.Solves, firstLoss, res.Loss)
	fmt.Fprintf(w, "accuracy: train=%.2f%% test=%.2f%%\n", trainAcc, testAcc)
	return nil
}

// learningRate is the rate after step of steps: a cosine from lr down
// to lr/10.
func learningRate(lr float64, step, steps int) float64 {
	f := min(1, float64(step)/float64(max(1, steps)))
	return lr * (0.1 + 0.9*0.5*(1+math.Cos(math.Pi*f)))
}

// failureHint says what to try after training failed with err: a solver
// failure may yield to a gentler step or a finer grid, an invalid problem
// will not.
func failureHint(err error) string {
	if errors.Is(err, lagrt.ErrProblem) {
		return "-init resumes from a checkpoint"
	}
	return "try -lr smaller, or -steps larger; -init resumes from a checkpoint"
}

// afterBatch, if set (by tests), is called after every minibatch step.
var afterBatch func(*lagrt.BatchStats)

func workers(n int) int {
	if n > 0 {
		return n
	}
	return max(1, runtimeProcs())
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func percent(ok []bool) float64 {
	if len(ok) == 0 {
		return math.NaN()
	}
	k := 0
	for _, b := range ok {
		if b {
			k++
		}
	}
	return 100 * float64(k) / float64(len(ok))
}

func round(d time.Duration) time.Duration {
	if d > time.Minute {
		return d.Round(time.Second)
	}
	return d.Round(100 * time.Millisecond)
}

func formatFloat(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// readParams reads a parameter file as -out writes it: every parameter of
// the network, by name.
func readParams(path string, info *lagrt.Info) ([]float64, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("-init: %w", err)
	}
	var m map[string]float64
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("-init=%s: %w", path, err)
	}
	theta := make([]float64, info.P())
	var missing []string
	for a, name := range info.Params {
		v, ok := m[name]
		if !ok {
			missing = append(missing, name)
			continue
		}
		theta[a] = v
	}
	if len(missing) > 0 || len(m) != info.P() {
		return nil, fmt.Errorf("-init=%s: %d values for network %s's %d parameters (%d missing, e.g. %q); was it written with another -hidden?",
			path, len(m), info.Name, info.P(), len(missing), first(missing))
	}
	return theta, nil
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// checkWritable fails early if path cannot be written atomically (its
// directory is not writable) or names the -init file.
func checkWritable(path, init string) error {
	if init != "" {
		a, errA := os.Stat(path)
		b, errB := os.Stat(init)
		if errA == nil && errB == nil && os.SameFile(a, b) {
			return fmt.Errorf("-out=%s is the -init file: write the new parameters elsewhere", path)
		}
	}
	if fi, err := os.Lstat(path); err == nil && !fi.Mode().IsRegular() {
		return fmt.Errorf("-out=%s: not a regular file", path)
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".mnist-check-*")
	if err != nil {
		return fmt.Errorf("-out=%s: cannot write there: %w", path, err)
	}
	f.Close()
	return os.Remove(f.Name())
}

// writeAtomic replaces path by data: a temporary file in the same
// directory, synced, then renamed, so a reader (or a crash) sees the old
// file or the new one, never a partial one.
func writeAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

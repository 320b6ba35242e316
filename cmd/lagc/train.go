package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/lagc/lagc/compiler"
	"github.com/lagc/lagc/lagrt"
)

// Defaults of train.
const (
	defaultEpochs = 200
	adamLR        = 0.05
	sgdLR         = 0.01
	sgdMomentum   = 0.9
)

func trainHelp() string {
	return fmt.Sprintf(`Train fits the parameters of FILE.lag to the samples in DATA.json by
gradient descent on the mean discrete cost, with gradients from
Equilibrium Propagation (centered by default: a free solve and two gently
nudged ones per sample), the one-sided estimator (ep) or the adjoint method.
Samples are solved in parallel; results do not depend on --workers.

Samples with "bc": "initial" (q0 with v0 or p0) are integrated forward and
take the Hamiltonian echo where EP was asked for: centered (the default)
and echo mean centered EP for fixed and periodic samples and the centered
echo for initial ones; ep and echo1 mean the one-sided estimator of each;
adjoint and fd apply to every sample. A dataset may mix the three kinds.

Without FILE it trains the embedded demo: a driven chain of three Duffing
oscillators with periodic boundary conditions whose stiffnesses and
couplings learn to reproduce the waveforms of a teacher network, on %d
random drives drawn with --seed, for %d epochs unless --epochs says
otherwise. --epochs=0 only evaluates the loss at the initial parameters.

Each epoch takes one step on the full batch of samples by default. With
--batch=N it takes one step per minibatch of N samples instead, visiting
the samples in an order shuffled anew every epoch from --seed (the same
seed gives the same run); the last batch of an epoch may be smaller. The
loss and |grad| reported per epoch are then the mean cost of the epoch's
samples, each at the parameters before its batch's step, and the mean
gradient norm of its batches; the final loss is evaluated over all
samples at the trained parameters. Minibatches need memory for the
gradients of one batch only, and skip the detection of jumps to other
branches of solutions, which compares full batches.

Progress (epoch, loss, gradient norm, elapsed time, estimated time left) is
updated in place on a terminal and printed as lines otherwise. --out writes
the parameters as JSON (name to value) atomically at the end, also when
interrupted with Ctrl-C; --init resumes from such a file. --history writes
a CSV with header epoch,loss,grad_norm,elapsed_s,<parameters>. Both are
checked before training starts (they must be regular files or not exist,
in a directory that accepts new files) and written only when there is
something to write. --plot writes PNG pictures into DIR: the loss curve
and, for the first samples, the trained trajectories against their
targets.`, demoSamples, demoEpochs)
}

type trainOpts struct {
	data, optimizer, method, init, out, history, plot string
	epochs, workers, batch                            int
	lr, beta, momentum, clip, jitter, targetLoss      float64
	seed                                              uint64
	freeze, params                                    multiFlag
	quiet, noWarmStart                                bool
}

func trainSetup(fs *flag.FlagSet) func(*cli, *flag.FlagSet, []string) error {
	o := new(trainOpts)
	fs.StringVar(&o.data, "data", "", "training data `file` (JSON; see the README); required with FILE")
	fs.IntVar(&o.epochs, "epochs", 0, fmt.Sprintf("number of epochs, passes over the samples; 0 only evaluates the loss (default %d; demo %d)", defaultEpochs, demoEpochs))
	fs.IntVar(&o.batch, "batch", 0, "minibatch size: one step per this many samples, shuffled every epoch; 0 means the full batch, one step per epoch")
	fs.Float64Var(&o.lr, "lr", 0, fmt.Sprintf("learning rate, positive (default %g for adam, %g for sgd)", adamLR, sgdLR))
	fs.StringVar(&o.optimizer, "optimizer", "adam", "optimizer: adam or sgd")
	fs.Float64Var(&o.momentum, "momentum", sgdMomentum, "momentum of sgd, in [0, 1)")
	fs.StringVar(&o.method, "method", "centered", "gradient method: centered, ep or adjoint (fd also works, slowly); echo and echo1 mean centered and ep, which initial-value samples run as the echo")
	fs.Float64Var(&o.beta, "beta", 0, "nudging strength β of EP, positive (default: chosen from the problem's scale per sample)")
	fs.IntVar(&o.workers, "workers", 0, "parallel solver goroutines; 0 means GOMAXPROCS")
	fs.Uint64Var(&o.seed, "seed", 1, "random seed: the minibatch shuffles, the demo's drives and --jitter")
	fs.Float64Var(&o.jitter, "jitter", 0, "perturb the initial parameters by this relative random amount (≥ 0)")
	fs.StringVar(&o.init, "init", "", "initial parameters `file` (JSON from --out)")
	fs.Var(&o.params, "param", "set an initial parameter `name=value`; repeatable")
	fs.Var(&o.freeze, "freeze", "keep parameter `name` (or a whole array) fixed; repeatable")
	fs.BoolVar(&o.noWarmStart, "no-warm-start", false, "start every solve from the sample's guess instead of its last trajectory (slower; avoids branch jumps)")
	fs.Float64Var(&o.clip, "clip", 0, "clip the gradient to this Euclidean norm (0: off)")
	fs.Float64Var(&o.targetLoss, "target-loss", 0, "stop early once the loss is at most this (0: off)")
	fs.StringVar(&o.out, "out", "", "write the trained parameters to this JSON `file`")
	fs.StringVar(&o.history, "history", "", "write the loss history to this CSV `file`")
	fs.StringVar(&o.plot, "plot", "", "write PNG pictures into this `directory`")
	fs.BoolVar(&o.quiet, "quiet", false, "no progress output")
	return func(c *cli, fs *flag.FlagSet, pos []string) error { return runTrain(c, fs, o, pos) }
}

// check validates the numeric flags of train and fills in the defaults
// that depend on other flags.
func (o *trainOpts) check(fs *flag.FlagSet, demo bool) error {
	finite := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	switch {
	case !given(fs, "epochs"):
		o.epochs = defaultEpochs
		if demo {
			o.epochs = demoEpochs
		}
	case o.epochs < 0:
		return usageError{fmt.Sprintf("--epochs=%d: must not be negative (0 only evaluates the loss)", o.epochs)}
	}
	if given(fs, "lr") {
		if !(o.lr > 0) || !finite(o.lr) {
			return usageError{fmt.Sprintf("--lr=%g: the learning rate must be finite and positive", o.lr)}
		}
	} else if o.optimizer == "sgd" {
		o.lr = sgdLR
	} else {
		o.lr = adamLR
	}
	if given(fs, "beta") {
		if err := checkBeta(o.beta); err != nil {
			return err
		}
	}
	if !(o.momentum >= 0 && o.momentum < 1) {
		return usageError{fmt.Sprintf("--momentum=%g: must be at least 0 and less than 1", o.momentum)}
	}
	if o.workers < 0 {
		return usageError{fmt.Sprintf("--workers=%d: must not be negative (0 means GOMAXPROCS)", o.workers)}
	}
	if o.batch < 0 {
		return usageError{fmt.Sprintf("--batch=%d: must not be negative (0 means the full batch)", o.batch)}
	}
	if !(o.jitter >= 0) || !finite(o.jitter) {
		return usageError{fmt.Sprintf("--jitter=%g: must be a finite number ≥ 0", o.jitter)}
	}
	if !(o.clip >= 0) || !finite(o.clip) {
		return usageError{fmt.Sprintf("--clip=%g: must be a finite norm ≥ 0 (0 turns clipping off)", o.clip)}
	}
	if !(o.targetLoss >= 0) || !finite(o.targetLoss) {
		return usageError{fmt.Sprintf("--target-loss=%g: must be a finite number ≥ 0 (0 turns it off)", o.targetLoss)}
	}
	return nil
}

func runTrain(c *cli, fs *flag.FlagSet, o *trainOpts, pos []string) error {
	if len(pos) > 1 {
		return usageError{"expected at most one FILE.lag"}
	}
	demo := len(pos) == 0
	method, err := lagrt.ParseMethod(o.method)
	if err != nil {
		return usageError{err.Error()}
	}
	if o.optimizer != "adam" && o.optimizer != "sgd" {
		return usageError{fmt.Sprintf("--optimizer=%q: want adam or sgd", o.optimizer)}
	}
	if err := o.check(fs, demo); err != nil {
		return err
	}
	var optim lagrt.Optimizer = lagrt.NewAdam(o.lr)
	if o.optimizer == "sgd" {
		optim = lagrt.NewSGD(o.lr, o.momentum)
	}

	var (
		u    *compiler.Unit
		m    lagrt.Model
		data *lagrt.Dataset
		name string
	)
	if demo {
		if o.data != "" {
			return usageError{"--data needs FILE.lag"}
		}
	} else if o.data == "" {
		return usageError{"--data=DATA.json is required with FILE.lag"}
	}
	// Check the outputs before spending time on anything else. Nothing
	// is created until there is something to write.
	if err := o.checkOutputs(pos); err != nil {
		return err
	}
	if demo {
		name = "demo"
		if u, m, err = loadDemo(); err != nil {
			return err
		}
		if data, err = demoData(u, m, o.seed); err != nil {
			return err
		}
	} else {
		name = pos[0]
		if u, m, err = loadModel(pos[0]); err != nil {
			return err
		}
		if data, err = loadData(o.data, u); err != nil {
			return err
		}
	}
	info := m.Info()
	theta, err := initialParams(info, o)
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(c.ctx, os.Interrupt)
	defer stop()
	prog := newProgress(c.stderr, o.epochs, o.quiet)
	what := fmt.Sprintf("%d epochs", o.epochs)
	if o.epochs == 0 {
		what = "no epochs (evaluating the loss only)"
	}
	minibatch := o.batch > 0 && o.batch < len(data.Samples)
	if minibatch && o.epochs > 0 {
		nb := (len(data.Samples) + o.batch - 1) / o.batch
		what += fmt.Sprintf(" of %s (minibatches of %d, seed %d)", plural(nb, "step"), o.batch, o.seed)
	}
	fmt.Fprintf(prog.w, "training %s: %s, %s, %s, %s, %s\n",
		name, plural(info.P(), "parameter"), plural(len(data.Samples), "sample"), methodsUsed(data, method), optim.Name(), what)
	initial := append([]float64(nil), theta...)
	res, err := lagrt.Train(ctx, m, data, theta, &lagrt.TrainOptions{
		Method:        method,
		Solver:        &lagrt.Options{Beta: o.beta},
		Optimizer:     optim,
		Epochs:        o.epochs,
		BatchSize:     o.batch,
		Seed:          o.seed,
		Workers:       o.workers,
		Frozen:        o.freeze,
		ClipNorm:      o.clip,
		NoWarmStart:   o.noWarmStart,
		Retry:         true,
		TargetLoss:    o.targetLoss,
		Progress:      prog.update,
		BatchProgress: prog.batch,
	})
	prog.done()
	if res == nil {
		return cliHints(err, trainHints)
	}
	stopped := errors.Is(err, lagrt.ErrStopped)
	// Save what there is: the result of a complete run, or the last good
	// parameters after at least one step.
	saved := false
	if err == nil || res.Steps > 0 {
		if werr := o.save(c, info, res); werr != nil {
			return werr
		}
		saved = o.out != ""
	}
	if err != nil {
		if stopped {
			fmt.Fprintf(c.stderr, "lagc: training interrupted after %s", plural(res.Steps, "step"))
			switch {
			case !math.IsNaN(res.Loss):
				fmt.Fprintf(c.stderr, "; loss %.4g", res.Loss)
			case len(res.History) > 0: // minibatches: no loss at the last parameters
				h := res.History[len(res.History)-1]
				fmt.Fprintf(c.stderr, "; mean loss %.4g in epoch %d", h.Loss, h.Epoch)
			}
			switch {
			case saved:
				fmt.Fprintf(c.stderr, "; parameters saved to %s (resume with --init=%s)", o.out, o.out)
			case o.out != "":
				fmt.Fprintf(c.stderr, "; no step was taken, so %s was not written", o.out)
			}
			fmt.Fprintln(c.stderr)
			return exitError{130}
		}
		return trainFailure(c, o, res, saved, err)
	}
	if o.epochs == 0 {
		fmt.Fprintf(c.stdout, "loss %.4g at the initial parameters (no epochs: evaluation only), %s\n",
			res.Loss, res.Elapsed.Round(time.Millisecond))
	} else {
		first := math.NaN()
		if len(res.History) > 0 {
			first = res.History[0].Loss
		}
		steps := plural(res.Steps, "epoch")
		if minibatch {
			steps = fmt.Sprintf("%s (%s)", plural(len(res.History), "epoch"), plural(res.Steps, "step"))
		}
		fmt.Fprintf(c.stdout, "loss %.4g -> %.4g%s in %s, %s\n",
			first, res.Loss, lossChange(first, res.Loss), steps, res.Elapsed.Round(time.Millisecond))
	}
	var teacher map[string]float64
	if demo {
		teacher = demoTeacher
	}
	after := res.Theta
	if o.epochs == 0 {
		after = nil
	}
	printParams(c.stdout, info, initial, after, teacher)
	if o.plot != "" {
		if err := writePlots(o.plot, m, data, initial, res); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "pictures written to %s\n", o.plot)
	}
	return nil
}

// methodsUsed describes the gradient estimators that method means for the
// samples of data (lagrt.MethodFor): "centered gradients", or for a mixed
// dataset "centered gradients (echo for 3 initial-value samples)".
func methodsUsed(data *lagrt.Dataset, method lagrt.Method) string {
	counts := map[lagrt.Method]int{}
	for i := range data.Samples {
		bc := data.BC
		if b := data.Samples[i].BC; b != nil {
			bc = *b
		}
		counts[lagrt.MethodFor(method, bc)]++
	}
	// The top-level condition's method, unless every sample overrides
	// it, in which case the one method they all use.
	main := lagrt.MethodFor(method, data.BC)
	for m := lagrt.EPCentered; counts[main] == 0 && m <= lagrt.Echo; m++ {
		main = m
	}
	s := main.String() + " gradients"
	var other []string
	for m := lagrt.EPCentered; m <= lagrt.Echo; m++ {
		if n := counts[m]; m != main && n > 0 {
			kind := "boundary-value"
			if m == lagrt.Echo || m == lagrt.EchoOneSided {
				kind = "initial-value"
			}
			other = append(other, fmt.Sprintf("%s for %s", m, plural(n, kind+" sample")))
		}
	}
	if len(other) > 0 {
		s += " (" + strings.Join(other, ", ") + ")"
	}
	return s
}

// checkOutputs checks --out, --history and --plot before training.
func (o *trainOpts) checkOutputs(pos []string) error {
	inputs := append([]string{o.data, o.init}, pos...)
	for _, p := range []string{o.out, o.history} {
		if p == "" {
			continue
		}
		if _, err := checkOutput(p, inputs...); err != nil {
			return err
		}
	}
	if o.out != "" && o.history != "" && sameFile(o.out, o.history) {
		return usageError{fmt.Sprintf("--out and --history name the same file %s", o.out)}
	}
	if o.plot != "" {
		if fi, err := os.Stat(o.plot); err == nil && !fi.IsDir() {
			return fmt.Errorf("--plot=%s: not a directory", o.plot)
		}
	}
	return nil
}

// sameFile reports whether a and b name the same file, existing or not.
func sameFile(a, b string) bool {
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	if err1 == nil && err2 == nil {
		return os.SameFile(fa, fb)
	}
	aa, err1 := filepath.Abs(a)
	ab, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && aa == ab
}

// save writes --out and --history. If the parameters cannot be written,
// they are printed on standard error instead, so that the run is not lost.
func (o *trainOpts) save(c *cli, info *lagrt.Info, res *lagrt.TrainResult) error {
	var errs []error
	if o.out != "" {
		js := paramsJSON(info, res.Theta)
		if err := writeAtomic(o.out, js); err != nil {
			fmt.Fprintf(c.stderr, "lagc: %v\nlagc: the parameters, which could not be saved, are:\n%s", err, js)
			errs = append(errs, fmt.Errorf("the parameters were not saved to %s (they are printed above)", o.out))
		}
	}
	if o.history != "" {
		if err := writeHistory(o.history, info, res.History); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// trainFailure reports a failed run and what to try.
func trainFailure(c *cli, o *trainOpts, res *lagrt.TrainResult, saved bool, err error) error {
	var se *lagrt.SampleError
	isSample := errors.As(err, &se)
	var hint string
	var step *lagrt.StepError
	switch {
	case errors.As(err, &step):
		hint = fmt.Sprintf("the initial-value run failed at step %d of %d (t = %g) after %s: try more \"steps\" for the sample or other initial conditions",
			step.Step, step.N, step.T, plural(res.Steps, "training step"))
		if res.Steps > 0 {
			hint += fmt.Sprintf(", or a smaller --lr (here %g)", o.lr)
		}
	case res.Steps == 0 && isSample:
		hint = "the sample fails at the initial parameters, before any step: check its data, give it a \"guess\", " +
			"or start from other parameters (--init, --param)"
	case isSample:
		hint = fmt.Sprintf("the sample failed after %s: try a smaller --lr (here %g), --clip, or more steps in the data",
			plural(res.Steps, "step"), o.lr)
	}
	switch {
	case saved:
		fmt.Fprintf(c.stderr, "lagc: the last good parameters (after %s) were saved to %s\n", plural(res.Steps, "step"), o.out)
	case o.out != "":
		fmt.Fprintf(c.stderr, "lagc: no step was taken, so %s was not written\n", o.out)
	}
	err = cliHints(err, trainHints)
	if hint != "" {
		return fmt.Errorf("%w\n%s", err, hint)
	}
	return err
}

// lossChange describes how the loss changed, for the summary line.
func lossChange(first, last float64) string {
	switch {
	case math.IsNaN(first) || math.IsNaN(last):
		return ""
	case first == last:
		return " (unchanged)"
	case last == 0:
		return " (to exactly zero)"
	case first == 0:
		return " (up from exactly zero)"
	case last < first:
		return fmt.Sprintf(" (%.3gx lower)", first/last)
	}
	return fmt.Sprintf(" (%.3gx higher)", last/first)
}

// initialParams combines defaults, --init, --param and --jitter.
func initialParams(info *lagrt.Info, o *trainOpts) ([]float64, error) {
	theta := append([]float64(nil), info.Defaults...)
	if o.init != "" {
		raw, err := readLimited(o.init, maxParamsBytes, "parameters file")
		if err != nil {
			return nil, err
		}
		root, err := parseJSON(o.init, raw)
		if err != nil {
			return nil, err
		}
		if root.kind != jsonObject {
			return nil, root.errorf("want an object of parameter names to numbers, not %s", root.kind)
		}
		for _, f := range root.fields {
			i := lagrt.Index(info.Params, f.key)
			if i < 0 {
				return nil, root.doc.errorf(f.keyOff, "unknown parameter %q (parameters: %s)", f.key, list(info.Params))
			}
			if theta[i], err = f.val.number(fmt.Sprintf("parameter %q", f.key)); err != nil {
				return nil, err
			}
		}
	}
	if len(o.params) > 0 {
		withDefaults := *info
		withDefaults.Defaults = theta
		t, err := parseParams(&withDefaults, o.params)
		if err != nil {
			return nil, err
		}
		theta = t
	}
	if o.jitter > 0 {
		rng := rand.New(rand.NewPCG(o.seed, 2))
		for i := range theta {
			theta[i] *= 1 + o.jitter*(2*rng.Float64()-1)
		}
	}
	return theta, nil
}

// paramsJSON formats parameters as name → value JSON, in model order.
func paramsJSON(info *lagrt.Info, theta []float64) []byte {
	var b strings.Builder
	b.WriteString("{\n")
	for i, name := range info.Params {
		k, _ := json.Marshal(name)
		fmt.Fprintf(&b, "  %s: %s", k, strconv.FormatFloat(theta[i], 'g', -1, 64))
		if i < len(info.Params)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("}\n")
	return []byte(b.String())
}

func writeHistory(path string, info *lagrt.Info, hist []lagrt.EpochStats) error {
	var b strings.Builder
	cw := csv.NewWriter(&b)
	cw.Write(append([]string{"epoch", "loss", "grad_norm", "elapsed_s"}, info.Params...))
	for _, h := range hist {
		row := []string{strconv.Itoa(h.Epoch), fmtFloat(h.Loss), fmtFloat(h.GradNorm),
			strconv.FormatFloat(h.Elapsed.Seconds(), 'f', 3, 64)}
		for _, x := range h.Theta {
			row = append(row, fmtFloat(x))
		}
		cw.Write(row)
	}
	cw.Flush()
	return writeAtomic(path, []byte(b.String()))
}

// maxListed is the number of parameters printed after training; a
// network's thousands are left to --out.
const maxListed = 40

// printParams lists the parameters before and after training (only
// before if after is nil), and the values that generated the data when
// they are known (the demo).
func printParams(w io.Writer, info *lagrt.Info, before, after []float64, teacher map[string]float64) {
	width := 0
	for _, n := range info.Params {
		width = max(width, len([]rune(n)))
	}
	for i, n := range info.Params {
		if i == maxListed && len(info.Params) > maxListed+1 {
			fmt.Fprintf(w, "  … and %d more parameters (--out writes them all)\n", len(info.Params)-maxListed)
			break
		}
		line := fmt.Sprintf("  %-*s %10.5g", width, n, before[i])
		if after != nil {
			line += fmt.Sprintf(" -> %-10.5g", after[i])
		}
		if v, ok := teacher[n]; ok {
			line += fmt.Sprintf(" (teacher %g)", v)
		}
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
}

// progress prints training progress: in place on a terminal, as lines
// otherwise (at most about 60 of them).
type progress struct {
	w        io.Writer
	tty      bool
	epochs   int
	every    int
	quiet    bool
	lastLen  int
	lastLine string
}

func newProgress(w io.Writer, epochs int, quiet bool) *progress {
	p := &progress{w: w, epochs: epochs, quiet: quiet, every: max(1, epochs/60)}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.tty = true
	}
	if quiet {
		p.w = io.Discard
	}
	return p
}

// trainHook, if set (by tests), is called with each epoch number.
var trainHook func(epoch int)

func (p *progress) update(s *lagrt.EpochStats) error {
	if trainHook != nil {
		trainHook(s.Epoch)
	}
	for _, w := range s.Warnings {
		if p.tty && p.lastLen > 0 {
			fmt.Fprintln(p.w)
			p.lastLen = 0
		}
		fmt.Fprintf(p.w, "lagc: warning: epoch %d: %s\n", s.Epoch, w)
	}
	if p.quiet {
		return nil
	}
	eta := time.Duration(0)
	if s.Epoch > 0 {
		eta = time.Duration(float64(s.Elapsed) / float64(s.Epoch) * float64(p.epochs-s.Epoch))
	}
	line := fmt.Sprintf("epoch %*d/%d  loss %.4e  |grad| %.3e  elapsed %s  left %s",
		len(strconv.Itoa(p.epochs)), s.Epoch, p.epochs, s.Loss, s.GradNorm,
		s.Elapsed.Round(100*time.Millisecond), eta.Round(time.Second))
	if p.tty {
		p.show(line)
		return nil
	}
	if s.Epoch == 1 || s.Epoch%p.every == 0 || s.Epoch == p.epochs {
		fmt.Fprintln(p.w, line)
	}
	return nil
}

// show replaces the line shown on the terminal.
func (p *progress) show(line string) {
	pad := ""
	if n := len(line); n < p.lastLen {
		pad = strings.Repeat(" ", p.lastLen-n)
	}
	fmt.Fprintf(p.w, "\r%s%s", line, pad)
	p.lastLen = len(line)
}

// batch shows the progress of minibatches within the epoch, on a terminal
// only; lines are per epoch (update).
func (p *progress) batch(s *lagrt.BatchStats) error {
	if p.quiet || !p.tty {
		return nil
	}
	eta := time.Duration(float64(s.Elapsed) / float64(s.Steps) * float64(p.epochs*s.Batches-s.Steps))
	line := fmt.Sprintf("epoch %*d/%d  batch %*d/%d  batch loss %.4e  |grad| %.3e  elapsed %s  left %s",
		len(strconv.Itoa(p.epochs)), s.Epoch, p.epochs, len(strconv.Itoa(s.Batches)), s.Batch, s.Batches, s.Loss, s.GradNorm,
		s.Elapsed.Round(100*time.Millisecond), eta.Round(time.Second))
	p.show(line)
	return nil
}

func (p *progress) done() {
	if p.tty && p.lastLen > 0 {
		fmt.Fprintln(p.w)
	}
}

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
	"strconv"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/lagc/lagc/compiler"
	"github.com/lagc/lagc/lagrt"
)

func init() {
	register(&command{
		name:  "train",
		usage: "train [FILE.lag] [--data=DATA.json] [--epochs=N] [--lr=X] [--optimizer=adam|sgd] [--method=centered|ep|adjoint] [--beta=B] [--workers=K] [--seed=S] [--init=params.json] [--out=params.json] [--history=loss.csv] [--plot=DIR]",
		help: `Train fits the parameters of FILE.lag to the samples in DATA.json by
gradient descent on the mean discrete cost, with gradients from
Equilibrium Propagation (centered by default: a free solve and two gently
nudged ones per sample), the one-sided estimator (ep) or the adjoint method.
Samples are solved in parallel; results do not depend on --workers.

Without FILE it trains the embedded demo: a driven chain of three Duffing
oscillators with periodic boundary conditions whose stiffnesses and
couplings learn to reproduce the waveforms of a teacher network, on eight
random drives drawn with --seed.

Progress (epoch, loss, gradient norm, elapsed time, estimated time left) is
updated in place on a terminal and printed as lines otherwise. --out writes
the parameters as JSON (name to value) atomically, also when interrupted
with Ctrl-C; --init resumes from such a file. --history writes a CSV with
header epoch,loss,grad_norm,elapsed_s,<parameters>. --plot writes PNG
pictures into DIR: the loss curve and, for the first samples, the trained
trajectories against their targets.`,
		run: runTrain,
	})
	flagSets["train"] = func() *flag.FlagSet { fs, _ := trainFlags(); return fs }
}

type trainOpts struct {
	data, optimizer, method, init, out, history, plot string
	epochs, workers                                   int
	lr, beta, momentum, clip, jitter, targetLoss      float64
	seed                                              uint64
	freeze, params                                    multiFlag
	quiet                                             bool
}

func trainFlags() (*flag.FlagSet, *trainOpts) {
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	o := new(trainOpts)
	fs.StringVar(&o.data, "data", "", "training data `file` (JSON; see the README); required with FILE")
	fs.IntVar(&o.epochs, "epochs", 0, "number of epochs, one full-batch step each (default 200; demo 150)")
	fs.Float64Var(&o.lr, "lr", 0, "learning rate (default 0.05 for adam, 0.01 for sgd)")
	fs.StringVar(&o.optimizer, "optimizer", "adam", "optimizer: adam or sgd")
	fs.Float64Var(&o.momentum, "momentum", 0.9, "momentum of sgd")
	fs.StringVar(&o.method, "method", "centered", "gradient method: centered, ep or adjoint (fd also works, slowly)")
	fs.Float64Var(&o.beta, "beta", 0, fmt.Sprintf("nudging strength β of EP (default %g)", lagrt.DefaultBeta))
	fs.IntVar(&o.workers, "workers", 0, "parallel solver goroutines (default GOMAXPROCS)")
	fs.Uint64Var(&o.seed, "seed", 1, "random seed: the demo's drives and --jitter")
	fs.Float64Var(&o.jitter, "jitter", 0, "perturb the initial parameters by this relative random amount")
	fs.StringVar(&o.init, "init", "", "initial parameters `file` (JSON from --out)")
	fs.Var(&o.params, "param", "set an initial parameter `name=value`; repeatable")
	fs.Var(&o.freeze, "freeze", "keep parameter `name` (or a whole array) fixed; repeatable")
	fs.Float64Var(&o.clip, "clip", 0, "clip the gradient to this Euclidean norm (0: off)")
	fs.Float64Var(&o.targetLoss, "target-loss", 0, "stop early once the loss is at most this")
	fs.StringVar(&o.out, "out", "", "write the trained parameters to this JSON `file`")
	fs.StringVar(&o.history, "history", "", "write the loss history to this CSV `file`")
	fs.StringVar(&o.plot, "plot", "", "write PNG pictures into this `directory`")
	fs.BoolVar(&o.quiet, "quiet", false, "no progress output")
	return fs, o
}

func runTrain(c *cli, args []string) error {
	fs, o := trainFlags()
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usageError{"expected at most one FILE.lag"}
	}
	method, err := lagrt.ParseMethod(o.method)
	if err != nil {
		return usageError{err.Error()}
	}
	var optim lagrt.Optimizer
	switch o.optimizer {
	case "adam":
		if o.lr == 0 {
			o.lr = 0.05
		}
		optim = lagrt.NewAdam(o.lr)
	case "sgd":
		if o.lr == 0 {
			o.lr = 0.01
		}
		optim = lagrt.NewSGD(o.lr, o.momentum)
	default:
		return usageError{fmt.Sprintf("--optimizer=%q: want adam or sgd", o.optimizer)}
	}
	if o.lr < 0 || o.beta < 0 || o.epochs < 0 {
		return usageError{"--lr, --beta and --epochs must not be negative"}
	}

	var (
		u    *compiler.Unit
		m    lagrt.Model
		data *lagrt.Dataset
		name string
	)
	if len(pos) == 0 {
		if o.data != "" {
			return usageError{"--data needs FILE.lag"}
		}
		name = "demo"
		if u, m, err = loadDemo(); err != nil {
			return err
		}
		if data, err = demoData(u, m, o.seed); err != nil {
			return err
		}
		if o.epochs == 0 {
			o.epochs = demoEpochs
		}
	} else {
		name = pos[0]
		if o.data == "" {
			return usageError{"--data=DATA.json is required with FILE.lag"}
		}
		if u, m, err = loadModel(pos[0]); err != nil {
			return err
		}
		if data, err = loadData(o.data, u); err != nil {
			return err
		}
	}
	if o.epochs == 0 {
		o.epochs = 200
	}
	info := m.Info()
	theta, err := initialParams(info, o)
	if err != nil {
		return err
	}
	// Check output paths before spending time on training.
	for _, p := range []string{o.out, o.history} {
		if p != "" {
			if err := checkWritable(p); err != nil {
				return err
			}
		}
	}

	ctx, stop := signal.NotifyContext(c.ctx, os.Interrupt)
	defer stop()
	prog := newProgress(c.stderr, o.epochs, o.quiet)
	fmt.Fprintf(prog.w, "training %s: %d parameters, %d samples, %s gradients, %s, %d epochs\n",
		name, info.P(), len(data.Samples), method, optim.Name(), o.epochs)
	initial := append([]float64(nil), theta...)
	res, err := lagrt.Train(ctx, m, data, theta, &lagrt.TrainOptions{
		Method:     method,
		Solver:     &lagrt.Options{Beta: o.beta},
		Optimizer:  optim,
		Epochs:     o.epochs,
		Workers:    o.workers,
		Frozen:     o.freeze,
		ClipNorm:   o.clip,
		Retry:      true,
		TargetLoss: o.targetLoss,
		Progress:   prog.update,
	})
	prog.done()
	if res == nil {
		return err
	}
	stopped := errors.Is(err, lagrt.ErrStopped)
	// Whatever happened, save what we have.
	if o.out != "" {
		if werr := writeParams(o.out, info, res.Theta); werr != nil {
			return werr
		}
	}
	if o.history != "" {
		if werr := writeHistory(o.history, info, res.History); werr != nil {
			return werr
		}
	}
	if err != nil {
		if stopped {
			fmt.Fprintf(c.stderr, "lagc: training interrupted after %d steps; loss %.4g", res.Steps, res.Loss)
			if o.out != "" {
				fmt.Fprintf(c.stderr, "; parameters saved to %s (resume with --init=%s)", o.out, o.out)
			}
			fmt.Fprintln(c.stderr)
			return exitError{130}
		}
		if o.out != "" {
			fmt.Fprintf(c.stderr, "lagc: the last good parameters were saved to %s\n", o.out)
		}
		return fmt.Errorf("%w\ntry a smaller --lr, --clip, or more --steps in the data", err)
	}
	first := math.NaN()
	if len(res.History) > 0 {
		first = res.History[0].Loss
	}
	fmt.Fprintf(c.stdout, "loss %.4g -> %.4g (%.3gx lower) in %d epochs, %s\n",
		first, res.Loss, first/res.Loss, res.Steps, res.Elapsed.Round(time.Millisecond))
	var teacher map[string]float64
	if len(pos) == 0 {
		teacher = demoTeacher
	}
	printParams(c.stdout, info, initial, res.Theta, teacher)
	if o.plot != "" {
		if err := writePlots(o.plot, m, data, initial, res); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "pictures written to %s\n", o.plot)
	}
	return nil
}

// initialParams combines defaults, --init, --param and --jitter.
func initialParams(info *lagrt.Info, o *trainOpts) ([]float64, error) {
	theta := append([]float64(nil), info.Defaults...)
	if o.init != "" {
		raw, err := os.ReadFile(o.init)
		if err != nil {
			return nil, err
		}
		var vals map[string]float64
		if err := json.Unmarshal(raw, &vals); err != nil {
			return nil, fmt.Errorf("%s: %v (want an object of parameter names to numbers)", o.init, err)
		}
		for _, name := range sortedKeys(vals) {
			i := lagrt.Index(info.Params, name)
			if i < 0 {
				return nil, fmt.Errorf("%s: unknown parameter %q (parameters: %s)", o.init, name, list(info.Params))
			}
			theta[i] = vals[name]
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

func checkWritable(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	return f.Close()
}

// writeParams writes name → value JSON atomically.
func writeParams(path string, info *lagrt.Info, theta []float64) error {
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
	return writeAtomic(path, []byte(b.String()))
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

// printParams lists the parameters before and after training, and the
// values that generated the data when they are known (the demo).
func printParams(w io.Writer, info *lagrt.Info, before, after []float64, teacher map[string]float64) {
	width := 0
	for _, n := range info.Params {
		width = max(width, len([]rune(n)))
	}
	for i, n := range info.Params {
		line := fmt.Sprintf("  %-*s %10.5g -> %-10.5g", width, n, before[i], after[i])
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
		pad := ""
		if n := len(line); n < p.lastLen {
			pad = strings.Repeat(" ", p.lastLen-n)
		}
		fmt.Fprintf(p.w, "\r%s%s", line, pad)
		p.lastLen = len(line)
		return nil
	}
	if s.Epoch == 1 || s.Epoch%p.every == 0 || s.Epoch == p.epochs {
		fmt.Fprintln(p.w, line)
	}
	return nil
}

func (p *progress) done() {
	if p.tty && p.lastLen > 0 {
		fmt.Fprintln(p.w)
	}
}

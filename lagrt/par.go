package lagrt

import (
	"sync"
	"sync/atomic"
)

// Two-way splitting of large kernels. A kernel is split into two halves
// whose results do not depend on which goroutine computes them (each
// output element is computed by the same sequence of operations either
// way), so results are bitwise independent of GOMAXPROCS and of the
// machine's load. The second half goes to a shared helper goroutine when
// it is idle and runs inline otherwise; handing it over allocates
// nothing.

// halver is a kernel split in two: half(0) and half(1) write disjoint
// outputs.
type halver interface{ half(h int) }

type helperMsg struct {
	k    halver
	done chan struct{}
}

var (
	helperOnce sync.Once
	helperCh   chan helperMsg
	helperBusy atomic.Bool
)

func startHelper() {
	helperCh = make(chan helperMsg)
	go func() {
		for m := range helperCh {
			m.k.half(1)
			helperBusy.Store(false)
			m.done <- struct{}{}
		}
	}()
}

// splitter runs split kernels; its zero value is ready to use.
type splitter struct{ done chan struct{} }

// run runs k.half(0) and k.half(1), the second on the helper goroutine if
// that is free.
func (sp *splitter) run(k halver) {
	helperOnce.Do(startHelper)
	if helperBusy.CompareAndSwap(false, true) {
		if sp.done == nil {
			sp.done = make(chan struct{}, 1)
		}
		helperCh <- helperMsg{k, sp.done}
		k.half(0)
		<-sp.done
		return
	}
	k.half(0)
	k.half(1)
}

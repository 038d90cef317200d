// Command pause is the sandbox ("infra") process of every Pod on the
// air-gapped kind node: it holds the Pod's namespaces and does nothing else.
// It blocks until SIGINT or SIGTERM and then exits 0. As PID 1 of a Pod that
// shares its PID namespace it also reaps orphaned children (SIGCHLD).
// Built static (CGO_ENABLED=0) by scripts/airgap/lib/go-binaries.sh.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	if len(os.Args) > 1 && (os.Args[1] == "-v" || os.Args[1] == "--version") {
		fmt.Println("podmates pause")
		return
	}
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for s := range sigs {
		if s == syscall.SIGCHLD {
			reap()
			continue
		}
		os.Exit(0)
	}
}

// reap collects every exited child without blocking.
func reap() {
	for {
		var ws syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
		if pid <= 0 || err != nil {
			return
		}
	}
}

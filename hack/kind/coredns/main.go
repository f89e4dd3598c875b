// CoreDNS with only the plugins kubeadm's Corefile uses (kind's CoreDNS Deployment runs that Corefile):
// errors, health, ready, kubernetes, prometheus, forward, cache, loop, reload, loadbalance, plus log.
// The full build compiles every cloud plugin (Route 53, Azure, Cloud DNS, etcd, dnstap, tracing) and takes
// about 400 s of the kind build on 2 cores; this one needs a fraction of that. Built by hack/kind/build.sh.
package main

import (
	"github.com/coredns/coredns/coremain"

	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/forward"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/loadbalance"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/loop"
	_ "github.com/coredns/coredns/plugin/metrics"
	_ "github.com/coredns/coredns/plugin/ready"
	_ "github.com/coredns/coredns/plugin/reload"
)

func main() {
	coremain.Run()
}

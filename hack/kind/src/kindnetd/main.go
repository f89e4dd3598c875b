// Command kindnetd is a minimal stand-in for kind's kindnetd (whose source the
// Go module proxy here does not serve): it runs as the kube-system/kindnet
// DaemonSet from kind's default CNI manifest and
//
//   - writes /etc/cni/net.d/10-kindnet.conflist (ptp + host-local on this
//     node's podCIDRs + portmap), as kindnetd does, so the kubelet's runtime
//     network becomes ready;
//   - routes every other node's podCIDRs via that node's InternalIP (multi-node).
//
// It does no masquerading (traffic must not leave the machine here) and no
// network policies.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/vishvananda/netlink"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

const cniConfig = "/etc/cni/net.d/10-kindnet.conflist"

func main() {
	hostIP := os.Getenv("HOST_IP")
	if hostIP == "" {
		log.Fatal("HOST_IP is not set")
	}
	cfg, err := rest.InClusterConfig()
	if err != nil {
		log.Fatalf("in-cluster config: %v", err)
	}
	client, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		log.Fatalf("client: %v", err)
	}
	log.Printf("kindnetd (chopsticks) HOST_IP=%s POD_SUBNET=%s", hostIP, os.Getenv("POD_SUBNET"))
	for {
		// Until kube-proxy programs the service IP the first calls time out: retry fast.
		if err := reconcile(client, hostIP); err != nil {
			log.Printf("reconcile: %v", err)
			time.Sleep(2 * time.Second)
			continue
		}
		time.Sleep(10 * time.Second)
	}
}

func internalIP(n *corev1.Node) string {
	for _, a := range n.Status.Addresses {
		if a.Type == corev1.NodeInternalIP {
			return a.Address
		}
	}
	return ""
}

func podCIDRs(n *corev1.Node) []string {
	if len(n.Spec.PodCIDRs) > 0 {
		return n.Spec.PodCIDRs
	}
	if n.Spec.PodCIDR != "" {
		return []string{n.Spec.PodCIDR}
	}
	return nil
}

func reconcile(client kubernetes.Interface, hostIP string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	nodes, err := client.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return err
	}
	for i := range nodes.Items {
		n := &nodes.Items[i]
		ip := internalIP(n)
		cidrs := podCIDRs(n)
		if ip == "" || len(cidrs) == 0 {
			continue
		}
		if ip == hostIP {
			if err := writeCNIConfig(cidrs); err != nil {
				return err
			}
			continue
		}
		gw := net.ParseIP(ip)
		for _, c := range cidrs {
			_, dst, err := net.ParseCIDR(c)
			if err != nil {
				return err
			}
			if (dst.IP.To4() == nil) != (gw.To4() == nil) {
				continue
			}
			if err := netlink.RouteReplace(&netlink.Route{Dst: dst, Gw: gw}); err != nil {
				return fmt.Errorf("route %s via %s: %w", c, ip, err)
			}
		}
	}
	return nil
}

func writeCNIConfig(cidrs []string) error {
	ranges := make([][]map[string]string, 0, len(cidrs))
	routes := []map[string]string{}
	for _, c := range cidrs {
		ranges = append(ranges, []map[string]string{{"subnet": c}})
		if strings.Contains(c, ":") {
			routes = append(routes, map[string]string{"dst": "::/0"})
		} else {
			routes = append(routes, map[string]string{"dst": "0.0.0.0/0"})
		}
	}
	conf := map[string]any{
		"cniVersion": "0.3.1",
		"name":       "kindnet",
		"plugins": []any{
			map[string]any{
				"type":   "ptp",
				"ipMasq": false,
				"ipam": map[string]any{
					"type":    "host-local",
					"dataDir": "/run/cni-ipam-state",
					"routes":  routes,
					"ranges":  ranges,
				},
				"mtu": 1500,
			},
			map[string]any{"type": "portmap", "capabilities": map[string]bool{"portMappings": true}},
		},
	}
	data, err := json.MarshalIndent(conf, "", "  ")
	if err != nil {
		return err
	}
	if old, err := os.ReadFile(cniConfig); err == nil && string(old) == string(data) {
		return nil
	}
	tmp := filepath.Join(filepath.Dir(cniConfig), ".10-kindnet.conflist.tmp")
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, cniConfig); err != nil {
		return err
	}
	log.Printf("wrote %s for %v", cniConfig, cidrs)
	return nil
}

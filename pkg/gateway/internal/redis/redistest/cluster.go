package redistest

import (
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Cluster is a Redis Cluster of masters without replicas on 127.0.0.1.
type Cluster struct {
	Nodes []*Server
}

// StartCluster starts n (at least 3) cluster-enabled servers, joins
// them with redis-cli --cluster create, and waits until every node
// reports cluster_state:ok.
func StartCluster(t testing.TB, n int) *Cluster {
	t.Helper()
	requireServer(t)
	dir := t.TempDir()
	c := &Cluster{}
	create := []string{"--cluster", "create"}
	for i := 0; i < n; i++ {
		port := FreePort(t)
		s := &Server{t: t, Port: port, extra: []string{"--cluster-enabled", "yes", "--dir", dir,
			"--cluster-config-file", filepath.Join(dir, "nodes-"+strconv.Itoa(port)+".conf"), "--cluster-node-timeout", "2000"}}
		s.Restart()
		t.Cleanup(s.Stop)
		c.Nodes = append(c.Nodes, s)
		create = append(create, s.Addr())
	}
	if out, err := exec.Command("redis-cli", append(create, "--cluster-yes")...).CombinedOutput(); err != nil {
		t.Fatalf("redis-cli --cluster create: %v\n%s", err, out)
	}
	deadline := time.Now().Add(15 * time.Second)
	for _, s := range c.Nodes {
		for !strings.Contains(s.Cli("CLUSTER", "INFO"), "cluster_state:ok") {
			if time.Now().After(deadline) {
				t.Fatalf("redistest: node %s did not report cluster_state:ok", s.Addr())
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	return c
}

// URL is the redis+cluster:// URL naming every node.
func (c *Cluster) URL() string {
	addrs := make([]string, len(c.Nodes))
	for i, s := range c.Nodes {
		addrs[i] = s.Addr()
	}
	return "redis+cluster://" + strings.Join(addrs, ",")
}

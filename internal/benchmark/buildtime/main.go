// Command buildtime measures how long mgw build takes for labels of 1, 10,
// 100 and 1,000 APIs (warm build cache), a cold build (empty build cache),
// the size of the binaries, and what mgw build --image adds for a label of
// 10 APIs. make bench runs it.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/mgwio/mgw/internal/build"
	"github.com/mgwio/mgw/internal/workspace"
)

func main() {
	os.Exit(run())
}

func run() int {
	sizes := flag.String("apis", "1,10,100,1000", "label sizes (APIs) to measure")
	resources := flag.Int("resources", 4, "resources per API")
	flag.Parse()
	ctx := context.Background()
	tc, err := build.FindToolchain(ctx, os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	tmp, err := os.MkdirTemp("", "mgw-buildtime-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(tmp)

	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "build\tAPIs\tresources\tseconds\tbinary MB\t")
	var n []int
	for _, s := range strings.Split(*sizes, ",") {
		var v int
		if _, err := fmt.Sscan(s, &v); err != nil || v < 1 {
			fmt.Fprintf(os.Stderr, "bad -apis value %q\n", s)
			return 2
		}
		n = append(n, v)
	}
	var last build.Artifact // the warm 10-API build, for the image figures
	measure := func(kind string, apis int, env []string) error {
		spec, probs := workspace.SpecFromFiles(fmt.Sprintf("bench%d", apis), syntheticLabel(apis, *resources), "bench")
		if len(probs) > 0 {
			return probs
		}
		// The first build of a size warms the cache for its generated
		// package; the measured one is the second (what a developer sees
		// when rebuilding after an API change).
		req := build.Request{Spec: spec, Target: build.HostTarget(), Toolchain: tc, OutDir: filepath.Join(tmp, "dist"), Env: env}
		if kind == "warm" {
			if _, err := build.Build(ctx, req); err != nil {
				return err
			}
			spec.APIs[0].Resources[0].OperationID = "changed"
		}
		start := time.Now()
		art, err := build.Build(ctx, req)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s\t%d\t%d\t%.2f\t%.1f\t\n", kind, art.APIs, art.Resources, time.Since(start).Seconds(), float64(art.Size)/(1<<20))
		if kind == "warm" && apis == 10 {
			last = art
		}
		return nil
	}
	for _, apis := range n {
		if err := measure("warm", apis, os.Environ()); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	cold := append(os.Environ(), "GOCACHE="+filepath.Join(tmp, "gocache"))
	if err := measure("cold", 10, cold); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	w.Flush()
	if out, err := exec.Command(tc.Path, "version").Output(); err == nil {
		fmt.Printf("toolchain: %s", out)
	}
	fmt.Println("targets: warm build of 10 APIs <= 3 s, of 1,000 APIs <= 20 s; binary < 15 MB")
	if last.Path == "" {
		return 0
	}
	if err := measureImage(last, filepath.Join(tmp, "dist")); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// syntheticLabel is a label of n OpenAPI 3 APIs with MGW 3.x extensions.
func syntheticLabel(n, resources int) workspace.LabelFiles {
	files := workspace.LabelFiles{}
	for i := range n {
		var b strings.Builder
		fmt.Fprintf(&b, "openapi: 3.0.0\ninfo:\n  title: Synthetic%04d\n  version: v1\n", i)
		fmt.Fprintf(&b, "x-wso2-basePath: /synthetic%04d/v1\n", i)
		fmt.Fprintf(&b, "x-wso2-production-endpoints:\n  urls:\n    - http://127.0.0.1:%d/api\n", 8000+i%100)
		b.WriteString("paths:\n")
		for r := range resources {
			fmt.Fprintf(&b, "  /items%d/{id}:\n    get:\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n      responses:\n        '200': {description: ok}\n", r)
		}
		files[fmt.Sprintf("apis/Synthetic%04d-v1.yaml", i)] = []byte(b.String())
	}
	return files
}

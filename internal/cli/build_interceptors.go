package cli

import (
	"github.com/mgwio/mgw/internal/interceptors"
	"github.com/mgwio/mgw/internal/workspace"
	"github.com/mgwio/mgw/pkg/gateway"
)

// loadInterceptors reads and checks a label's Go interceptors; nil when
// the label has none and names none.
func loadInterceptors(ws *workspace.Workspace, spec *gateway.Spec) (*interceptors.Checked, workspace.Problems) {
	src, err := ws.Interceptors(spec.Label)
	if err != nil {
		return nil, workspace.Problems{err}
	}
	if len(src.Files) == 0 && !usesInterceptors(spec) {
		return nil, nil
	}
	ic, problems := interceptors.Check(src, spec)
	return ic, problems
}

// usesInterceptors reports whether an API or resource of spec names one.
func usesInterceptors(spec *gateway.Spec) bool {
	for i := range spec.APIs {
		a := &spec.APIs[i]
		if a.RequestInterceptor != "" || a.ResponseInterceptor != "" {
			return true
		}
		for j := range a.Resources {
			if r := &a.Resources[j]; r.RequestInterceptor != "" || r.ResponseInterceptor != "" {
				return true
			}
		}
	}
	return false
}

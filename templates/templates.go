// Package templates holds the text/template files that render a gateway's
// Go source. They are glue and data tables only: logic lives in pkg/gateway.
package templates

import "embed"

// FS holds every *.tmpl file.
//
//go:embed *.tmpl
var FS embed.FS

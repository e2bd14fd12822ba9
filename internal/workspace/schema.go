package workspace

import _ "embed"

// Schema is the JSON Schema of mgw.yaml, for editors and CI linters.
//
//go:embed mgw.schema.json
var Schema []byte

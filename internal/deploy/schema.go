package deploy

import _ "embed"

// Schema is the JSON Schema of labels/<label>/deploy.yaml, for editors
// and CI linters. Load checks more than the schema can say (quantities,
// image references, requests within limits, secrets kept out of env).
//
//go:embed deploy.schema.json
var Schema []byte

// Package deploy renders Kubernetes manifests for a built gateway: the
// `mgw build --k8s` half of issue #11.
//
// It is pure apart from Load (which reads labels/<label>/deploy.yaml) and
// Write (which replaces an output folder atomically): InputsFor gathers
// the facts about a built label, Render turns a Config and those Inputs
// into file name → YAML bytes, deterministically. Every value that comes
// from a user reaches the YAML through the encoder, never by
// concatenation. docs/DEPLOY.md describes the files and the keys.
package deploy

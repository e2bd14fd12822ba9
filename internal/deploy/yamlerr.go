package deploy

import "strings"

// ConfigError lists every problem found in a deploy.yaml, one per line.
type ConfigError struct {
	Problems []string
}

// Error implements error.
func (e *ConfigError) Error() string { return strings.Join(e.Problems, "\n") }

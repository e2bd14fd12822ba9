// Package workspace reads and writes an mgw workspace on disk: mgw.yaml,
// labels/<label>/apis/*.yaml, labels/<label>/policies.yaml and the optional
// labels/<label>/gateway.yaml. Writes are atomic; files are deterministic so
// that a workspace diffs cleanly in git.
package workspace

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// ConfigFile is the name of the workspace file.
const ConfigFile = "mgw.yaml"

// Label sources.
const (
	SourceAPIM   = "apim"
	SourceImport = "import"
)

// Config is the content of mgw.yaml. It never holds a password.
type Config struct {
	// Version is the workspace format version (1).
	Version int `yaml:"version"`
	// Server is how to reach the API Manager.
	Server *Server `yaml:"server,omitempty"`
	// Labels are the labels of the workspace, sorted by name.
	Labels []Label `yaml:"labels"`
}

// Server holds the API Manager connection details remembered by setup.
type Server struct {
	URL      string `yaml:"url"`
	Username string `yaml:"username,omitempty"`
	CAFile   string `yaml:"caFile,omitempty"`
	// APIMVersion is the API Manager release line ("2.6", "3.x", "4.x"),
	// found by setup or forced with --apim-version; empty means detect.
	APIMVersion string `yaml:"apimVersion,omitempty"`
	RESTVersion string `yaml:"restVersion,omitempty"`
	DCRVersion  string `yaml:"dcrVersion,omitempty"`
}

// APIM versions mgw.yaml accepts in server.apimVersion.
var apimVersions = []string{"2.6", "3.x", "4.x"}

// Label is one label of the workspace and where its APIs come from.
type Label struct {
	Name string `yaml:"name"`
	// Source is SourceAPIM (mgw setup) or SourceImport (mgw import).
	Source string `yaml:"source"`
	// API, when set, limits an API Manager label to one API.
	API *APIRef `yaml:"api,omitempty"`
}

// APIRef names one API.
type APIRef struct {
	Name    string `yaml:"name"`
	Version string `yaml:"version"`
}

// Label returns the label named name, or nil.
func (c *Config) Label(name string) *Label {
	for i := range c.Labels {
		if c.Labels[i].Name == name {
			return &c.Labels[i]
		}
	}
	return nil
}

// SetLabel adds or replaces a label, keeping labels sorted by name.
func (c *Config) SetLabel(l Label) {
	if old := c.Label(l.Name); old != nil {
		*old = l
		return
	}
	c.Labels = append(c.Labels, l)
	sortLabels(c.Labels)
}

var labelRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$`)

// ValidateLabelName checks that a label name can name a folder and a binary.
func ValidateLabelName(name string) error {
	if !labelRE.MatchString(name) {
		return fmt.Errorf("invalid label name %q: use 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit", name)
	}
	return nil
}

// ParseConfig decodes mgw.yaml strictly: unknown keys and wrong types are
// errors that name the file and line.
func ParseConfig(path string, data []byte) (*Config, error) {
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: empty file; run 'mgw init' or 'mgw setup <label>' to create a workspace", path)
		}
		return nil, yamlError(path, err)
	}
	if err := c.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &c, nil
}

func (c *Config) validate() error {
	var problems []string
	if c.Version != 1 {
		problems = append(problems, fmt.Sprintf("version: %d is not supported (this mgw writes version 1)", c.Version))
	}
	if c.Server != nil && c.Server.URL == "" {
		problems = append(problems, "server.url: missing")
	}
	if c.Server != nil && c.Server.APIMVersion != "" && !contains(apimVersions, c.Server.APIMVersion) {
		problems = append(problems, fmt.Sprintf("server.apimVersion: %q is not one of %s (or leave it out to detect the version)", c.Server.APIMVersion, strings.Join(apimVersions, ", ")))
	}
	seen := map[string]bool{}
	for i, l := range c.Labels {
		if err := ValidateLabelName(l.Name); err != nil {
			problems = append(problems, fmt.Sprintf("labels[%d]: %v", i, err))
		}
		if seen[l.Name] {
			problems = append(problems, fmt.Sprintf("labels[%d]: label %q is listed twice", i, l.Name))
		}
		seen[l.Name] = true
		switch l.Source {
		case SourceAPIM, SourceImport:
		default:
			problems = append(problems, fmt.Sprintf("labels[%d].source: %q is not one of %q, %q", i, l.Source, SourceAPIM, SourceImport))
		}
		if l.API != nil && (l.API.Name == "" || l.API.Version == "") {
			problems = append(problems, fmt.Sprintf("labels[%d].api: name and version are both required", i))
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// MarshalConfig renders mgw.yaml deterministically.
func MarshalConfig(c *Config) ([]byte, error) {
	sortLabels(c.Labels)
	var buf bytes.Buffer
	buf.WriteString("# mgw workspace: written by mgw, safe to edit and commit. Never holds a password.\n")
	buf.WriteString("# yaml-language-server: $schema=https://raw.githubusercontent.com/mgwio/mgw/main/internal/workspace/mgw.schema.json\n")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(c); err != nil {
		return nil, fmt.Errorf("encode %s: %w", ConfigFile, err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode %s: %w", ConfigFile, err)
	}
	return buf.Bytes(), nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

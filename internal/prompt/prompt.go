// Package prompt asks the user for missing values: with survey on a
// terminal, and with a clear error naming the flag and the environment
// variable everywhere else, so scripts never block.
package prompt

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/AlecAivazis/survey/v2"
	"github.com/AlecAivazis/survey/v2/terminal"
	"golang.org/x/term"
)

// Question describes a value mgw needs.
type Question struct {
	// Message is what the prompt says, e.g. "API Manager URL".
	Message string
	// Default is offered on a terminal.
	Default string
	// Flag and Env name how to pass the value without a prompt.
	Flag, Env string
	// Secret hides the input.
	Secret bool
}

// ErrMissing is what errors.Is finds when a value is needed and there is no
// terminal to ask on.
var ErrMissing = errors.New("missing value")

// missingError names the missing value and how to give it.
type missingError struct{ q Question }

func (e missingError) Error() string {
	return fmt.Sprintf("%s is required: pass %s or set %s", e.q.Message, e.q.Flag, e.q.Env)
}

func (e missingError) Is(target error) bool { return target == ErrMissing }

// Prompter asks questions.
type Prompter interface {
	Ask(q Question) (string, error)
}

// New returns a survey prompter when in and out are terminals, else one
// that fails at once, naming the flag and the variable.
func New(in io.Reader, out io.Writer) Prompter {
	fin, ok1 := in.(*os.File)
	fout, ok2 := out.(*os.File)
	if ok1 && ok2 && term.IsTerminal(int(fin.Fd())) && term.IsTerminal(int(fout.Fd())) {
		return &surveyPrompter{in: fin, out: fout}
	}
	return noTerminal{}
}

type noTerminal struct{}

func (noTerminal) Ask(q Question) (string, error) {
	return "", missingError{q}
}

type surveyPrompter struct {
	in  *os.File
	out *os.File
}

func (s *surveyPrompter) Ask(q Question) (string, error) {
	var p survey.Prompt
	if q.Secret {
		p = &survey.Password{Message: q.Message + ":"}
	} else {
		p = &survey.Input{Message: q.Message + ":", Default: q.Default}
	}
	var answer string
	err := survey.AskOne(p, &answer, survey.WithStdio(s.in, s.out, s.out), survey.WithValidator(survey.Required))
	if errors.Is(err, terminal.InterruptErr) {
		return "", fmt.Errorf("interrupted while asking for %s", q.Message)
	}
	if err != nil {
		return "", fmt.Errorf("ask for %s: %w", q.Message, err)
	}
	return answer, nil
}

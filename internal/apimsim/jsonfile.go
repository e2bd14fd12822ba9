package apimsim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
)

// decodeStrict decodes one JSON value from data into v, rejecting unknown
// fields and trailing data. Errors name the line of the problem.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return withLine(data, dec.InputOffset(), err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("line %d: unexpected data after the JSON value", lineAt(data, dec.InputOffset()))
	}
	return nil
}

// withLine prefixes a JSON decoding error with the line it happened on.
func withLine(data []byte, fallback int64, err error) error {
	offset := fallback
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		offset = syn.Offset
	case errors.As(err, &typ):
		offset = typ.Offset
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("unexpected end of file: %w", err)
	}
	return fmt.Errorf("line %d: %w", lineAt(data, offset), err)
}

// lineAt returns the 1-based line of a byte offset.
func lineAt(data []byte, offset int64) int {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	if offset < 0 {
		offset = 0
	}
	return bytes.Count(data[:offset], []byte("\n")) + 1
}

// readStrict reads the file name from fsys and decodes it strictly into v.
func readStrict(fsys fs.FS, name string, v any) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	if err := decodeStrict(data, v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

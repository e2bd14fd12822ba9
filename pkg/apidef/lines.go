package apidef

// AddLines fills in the line of problems that have a JSON pointer but no
// line, from the text the document was loaded from (ToAPI works on the
// decoded document and cannot know them). Problems are returned in
// order; text that does not parse leaves them as they are.
func AddLines(path string, data []byte, problems []Problem) []Problem {
	if len(problems) == 0 {
		return problems
	}
	t, err := parseTree(path, data)
	if err != nil {
		return problems
	}
	for i := range problems {
		p := &problems[i]
		if p.Line == 0 && len(p.Location) > 1 && p.Location[0] == '#' {
			p.Line = t.line(p.Location)
		}
	}
	return problems
}

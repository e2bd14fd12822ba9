package apidef

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/mgwio/mgw/pkg/apim"
	"github.com/mgwio/mgw/pkg/gateway"
)

// readDTO reads an API DTO fixture from testdata/dto.
func readDTO(t testing.TB, name string) apim.API {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "dto", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var api apim.API
	if err := json.Unmarshal(data, &api); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return api
}

// throughWorkspace runs the setup path: FromPublisher, Marshal, Load,
// ToAPI. It fails the test on any error and returns the YAML too.
func throughWorkspace(t *testing.T, dto apim.API) (gateway.API, []byte) {
	t.Helper()
	doc, err := FromPublisher(dto)
	if err != nil {
		t.Fatalf("FromPublisher: %v", err)
	}
	out, err := Marshal(doc)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	loaded, err := Load("apis/x.yaml", out)
	if err != nil {
		t.Fatalf("Load: %v\n%s", err, out)
	}
	api, problems := ToAPI("apis/x.yaml", loaded)
	if len(problems) > 0 {
		t.Fatalf("ToAPI problems: %v\n%s", Problems(problems), out)
	}
	return api, out
}

// mustDecode parses a document without validating it, for ToAPI tests.
func mustDecode(t *testing.T, text string) *openapi3.T {
	t.Helper()
	d, err := decode("test.yaml", []byte(text))
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return d.doc
}

// jsonString renders v for failure messages.
func jsonString(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

func readFile(path string) (string, error) {
	b, err := os.ReadFile(path)
	return string(b), err
}

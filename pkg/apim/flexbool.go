package apim

import (
	"bytes"
	"fmt"
)

// FlexBool is a boolean that API Manager sends either as a JSON boolean
// (2.6 DCR) or as a string "true"/"false" (the DCR v0.17 definition types
// isSaasApplication as a string). It encodes as a JSON boolean.
type FlexBool bool

// UnmarshalJSON accepts true, false, "true", "false" and null.
func (b *FlexBool) UnmarshalJSON(data []byte) error {
	switch string(bytes.TrimSpace(data)) {
	case "true", `"true"`:
		*b = true
	case "false", `"false"`, "null", `""`:
		*b = false
	default:
		return fmt.Errorf("%s is not a boolean", data)
	}
	return nil
}

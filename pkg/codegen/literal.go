package codegen

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// literal renders v as a Go composite literal of package gateway's types.
//
// It is the single place where outside data becomes Go source: strings only
// ever pass through strconv.Quote, numbers and booleans through strconv, and
// field and type names come from the Go types themselves, never from input.
// Zero-valued fields are omitted so the output stays small and stable.
func literal(v any) (string, error) {
	var b strings.Builder
	if err := writeLiteral(&b, reflect.ValueOf(v), 0, true); err != nil {
		return "", err
	}
	return b.String(), nil
}

// gatewayPkg is the package qualifier generated code uses for the runtime.
const gatewayPkg = "gateway"

func typeName(t reflect.Type) (string, error) {
	switch t.Kind() {
	case reflect.Pointer:
		inner, err := typeName(t.Elem())
		return "*" + inner, err
	case reflect.Slice:
		inner, err := typeName(t.Elem())
		return "[]" + inner, err
	case reflect.Map:
		k, err := typeName(t.Key())
		if err != nil {
			return "", err
		}
		e, err := typeName(t.Elem())
		return "map[" + k + "]" + e, err
	case reflect.Struct:
		if t.Name() == "" || !strings.HasSuffix(t.PkgPath(), "/pkg/gateway") {
			return "", fmt.Errorf("codegen: cannot render type %s", t)
		}
		return gatewayPkg + "." + t.Name(), nil
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		if t.PkgPath() != "" {
			return "", fmt.Errorf("codegen: cannot render named basic type %s", t)
		}
		return t.Kind().String(), nil
	}
	return "", fmt.Errorf("codegen: cannot render kind %s", t.Kind())
}

func indent(b *strings.Builder, depth int) {
	for range depth {
		b.WriteByte('\t')
	}
}

// writeLiteral writes v; typed says whether the literal needs its type
// (false inside a slice or map, where Go elides it).
func writeLiteral(b *strings.Builder, v reflect.Value, depth int, typed bool) error {
	switch v.Kind() {
	case reflect.String:
		b.WriteString(strconv.Quote(v.String()))
	case reflect.Bool:
		b.WriteString(strconv.FormatBool(v.Bool()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		b.WriteString(strconv.FormatInt(v.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		b.WriteString(strconv.FormatUint(v.Uint(), 10))
	case reflect.Float32, reflect.Float64:
		b.WriteString(strconv.FormatFloat(v.Float(), 'g', -1, 64))
	case reflect.Pointer:
		if v.IsNil() {
			b.WriteString("nil")
			return nil
		}
		if typed {
			b.WriteByte('&')
		}
		return writeLiteral(b, v.Elem(), depth, typed)
	case reflect.Slice:
		if v.IsNil() {
			b.WriteString("nil")
			return nil
		}
		if err := writeOpen(b, v, typed); err != nil {
			return err
		}
		for i := range v.Len() {
			indent(b, depth+1)
			if err := writeLiteral(b, v.Index(i), depth+1, false); err != nil {
				return err
			}
			b.WriteString(",\n")
		}
		indent(b, depth)
		b.WriteByte('}')
	case reflect.Map:
		if v.IsNil() {
			b.WriteString("nil")
			return nil
		}
		if err := writeOpen(b, v, typed); err != nil {
			return err
		}
		keys := v.MapKeys()
		if v.Type().Key().Kind() != reflect.String {
			return fmt.Errorf("codegen: cannot render map with %s keys", v.Type().Key())
		}
		sortValues(keys)
		for _, k := range keys {
			indent(b, depth+1)
			b.WriteString(strconv.Quote(k.String()))
			b.WriteString(": ")
			if err := writeLiteral(b, v.MapIndex(k), depth+1, false); err != nil {
				return err
			}
			b.WriteString(",\n")
		}
		indent(b, depth)
		b.WriteByte('}')
	case reflect.Struct:
		if err := writeOpen(b, v, typed); err != nil {
			return err
		}
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				return fmt.Errorf("codegen: %s.%s is unexported and cannot be rendered", t.Name(), f.Name)
			}
			fv := v.Field(i)
			if fv.IsZero() {
				continue
			}
			indent(b, depth+1)
			b.WriteString(f.Name)
			b.WriteString(": ")
			if err := writeLiteral(b, fv, depth+1, true); err != nil {
				return err
			}
			b.WriteString(",\n")
		}
		indent(b, depth)
		b.WriteByte('}')
	default:
		return fmt.Errorf("codegen: cannot render kind %s", v.Kind())
	}
	return nil
}

// writeOpen starts a composite literal: its type (when typed) and "{".
func writeOpen(b *strings.Builder, v reflect.Value, typed bool) error {
	if typed {
		name, err := typeName(v.Type())
		if err != nil {
			return err
		}
		b.WriteString(name)
	}
	b.WriteString("{\n")
	return nil
}

func sortValues(keys []reflect.Value) {
	sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
}

package gateway

import (
	"math/bits"

	"github.com/mgwio/mgw/pkg/gateway/internal/swar"
)

// propTable finds an object's declared property by a key of the body
// without a general string hash: every object member looks one up, and a
// Go map's lookup was the validator's largest cost after scanning
// strings. A slot is computed from the key's first and last eight bytes
// and its length (a short key whole), and the table is built so that no
// two declared names share a slot; one comparison with the name in the
// slot then decides. Objects whose names cannot be spread that way keep
// the map (newPropTable returns nil).
type propTable struct {
	names []string // by property index
	slots []uint16 // property index + 1; 0: no property
	mul   uint64
	shift uint8
}

// maxTableProps bounds the properties a table is built for; larger
// objects keep the map.
const maxTableProps = 1024

// newPropTable spreads names over a table of two to sixteen times as many
// slots; it returns nil when no multiplier gives every name a slot of its
// own.
func newPropTable(names []string) *propTable {
	if len(names) == 0 || len(names) > maxTableProps {
		return nil
	}
	keys := make([]uint64, len(names))
	for i, name := range names {
		keys[i] = propKey([]byte(name))
	}
	bitsFor := 1
	for 1<<bitsFor < 2*len(names) {
		bitsFor++
	}
	// Tried in turn until the names spread without a collision: odd
	// constants with well-mixed bits.
	multipliers := [...]uint64{
		0x9e3779b97f4a7c15, 0xbf58476d1ce4e5b9, 0x94d049bb133111eb, 0xff51afd7ed558ccd,
		0xc4ceb9fe1a85ec53, 0x87c37b91114253d5, 0x4cf5ad432745937f, 0xd6e8feb86659fd93,
		0xa0761d6478bd642f, 0xe7037ed1a0b428db, 0x8ebc6af09c88c6e3, 0x589965cc75374cc3,
		0x1d8e4e27c47d124f, 0x2545f4914f6cdd1d, 0xda942042e4dd58b5, 0xc6bc279692b5c323,
	}
	for size := bitsFor; size <= bitsFor+3; size++ {
		slots := make([]uint16, 1<<size)
		for _, mul := range multipliers {
			clear(slots)
			shift := uint8(64 - size)
			ok := true
			for i, k := range keys {
				s := (k * mul) >> shift
				if slots[s] != 0 {
					ok = false
					break
				}
				slots[s] = uint16(i + 1)
			}
			if ok {
				return &propTable{names: names, slots: slots, mul: mul, shift: shift}
			}
		}
	}
	return nil
}

// find returns the index of the property named key, or -1.
func (t *propTable) find(key []byte) int {
	j := int(t.slots[(propKey(key)*t.mul)>>t.shift]) - 1
	if j >= 0 && t.names[j] == string(key) {
		return j
	}
	return -1
}

// propKey packs a name into a word: a name of up to seven bytes whole,
// with its length; a longer one as its first and last eight bytes, mixed,
// and its length.
func propKey(s []byte) uint64 {
	n := len(s)
	if n < 8 {
		w := uint64(n) << 56
		for i, c := range s {
			w |= uint64(c) << (8 * i)
		}
		return w
	}
	return swar.LoadBytes(s, 0) ^ bits.RotateLeft64(swar.LoadBytes(s, n-8), 31) ^ uint64(n)
}

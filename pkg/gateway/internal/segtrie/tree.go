package segtrie

import "strings"

// smallFanout is the number of literal children kept in a slice before
// a node switches to a map.
const smallFanout = 8

// maxSteps bounds the nodes one lookup visits, so that backtracking over
// pathological templates stays cheap.
const maxSteps = 4096

// Tree maps templates to values of type T. The zero value is empty and
// ready to use; a Tree must not be modified while it is being read.
type Tree[T any] struct {
	root node[T]
}

type node[T any] struct {
	keys   []string
	kids   []*node[T]
	index  map[string]*node[T] // replaces keys and kids past smallFanout
	folded map[string]struct{} // lower-cased keys of index
	param  *node[T]
	wild   *node[T]
	has    bool
	val    T
}

// Slot returns the value slot of the template segs, creating it (with the
// zero value) if needed. created reports a new slot.
func (t *Tree[T]) Slot(segs []Segment) (v *T, created bool) {
	n := &t.root
	for _, s := range segs {
		switch s.Kind {
		case Literal:
			n = n.literal(s.Text)
		case Param:
			if n.param == nil {
				n.param = &node[T]{}
			}
			n = n.param
		case Wildcard:
			if n.wild == nil {
				n.wild = &node[T]{}
			}
			n = n.wild
		}
	}
	created = !n.has
	n.has = true
	return &n.val, created
}

func (n *node[T]) literal(key string) *node[T] {
	if c := n.child(key); c != nil {
		return c
	}
	c := &node[T]{}
	if n.index != nil {
		n.index[key] = c
		n.folded[strings.ToLower(key)] = struct{}{}
		return c
	}
	n.keys = append(n.keys, key)
	n.kids = append(n.kids, c)
	if len(n.keys) > smallFanout {
		n.index = make(map[string]*node[T], len(n.keys))
		n.folded = make(map[string]struct{}, len(n.keys))
		for i, k := range n.keys {
			n.index[k] = n.kids[i]
			n.folded[strings.ToLower(k)] = struct{}{}
		}
		n.keys, n.kids = nil, nil
	}
	return c
}

func (n *node[T]) child(key string) *node[T] {
	if n.index != nil {
		return n.index[key]
	}
	for i, k := range n.keys {
		if k == key {
			return n.kids[i]
		}
	}
	return nil
}

// confusable reports a segment that equals a literal child of n when case
// is ignored.
func (n *node[T]) confusable(seg string) bool {
	if n.folded != nil {
		_, ok := n.folded[strings.ToLower(seg)]
		return ok
	}
	for _, k := range n.keys {
		if strings.EqualFold(k, seg) {
			return true
		}
	}
	return false
}

// Lookup returns the value of the most specific template matching segs,
// or nil.
func (t *Tree[T]) Lookup(segs []string) *T {
	steps := maxSteps
	return t.root.lookup(segs, &steps)
}

func (n *node[T]) lookup(segs []string, steps *int) *T {
	if *steps <= 0 {
		return nil
	}
	*steps--
	if len(segs) == 0 {
		if n.has {
			return &n.val
		}
		if n.wild != nil && n.wild.has {
			return &n.wild.val
		}
		return nil
	}
	s := segs[0]
	if c := n.child(s); c != nil {
		if v := c.lookup(segs[1:], steps); v != nil {
			return v
		}
	} else if (n.param != nil || n.wild != nil) && n.confusable(s) {
		return nil
	}
	if n.param != nil {
		if v := n.param.lookup(segs[1:], steps); v != nil {
			return v
		}
	}
	if n.wild != nil && n.wild.has {
		return &n.wild.val
	}
	return nil
}

// LongestPrefix returns the value of the longest all-literal template that
// is a prefix of segs, and how many segments it spans. Parameters and
// wildcards are not followed. A segment that matches a literal only when
// case is ignored stops the search with no match.
func (t *Tree[T]) LongestPrefix(segs []string) (*T, int) {
	n := &t.root
	var best *T
	depth := 0
	if n.has {
		best = &n.val
	}
	for i, s := range segs {
		c := n.child(s)
		if c == nil {
			if n.confusable(s) {
				return nil, 0
			}
			break
		}
		n = c
		if n.has {
			best, depth = &n.val, i+1
		}
	}
	return best, depth
}

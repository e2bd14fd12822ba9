package gateway

import (
	"bytes"
	"net/netip"
	"net/url"
)

// checkFormat reports whether s is valid for a string format. The rules
// are kin-openapi's (date, date-time, byte built in; email, uuid, ipv4,
// ipv6 as its optional definitions; uri: an absolute URI), written as
// scanners so no regular expression runs per value.
func checkFormat(f uint8, s []byte) bool {
	switch f {
	case fmtDate:
		return len(s) == 10 && validDate(s)
	case fmtDateTime:
		return validDateTime(s)
	case fmtByte:
		return validBase64Chars(s)
	case fmtEmail:
		return validEmail(s)
	case fmtUUID:
		return validUUID(s)
	case fmtIPv4, fmtIPv6:
		addr, err := netip.ParseAddr(string(s))
		if err != nil {
			return false
		}
		if f == fmtIPv4 {
			return addr.Is4()
		}
		return addr.Is6()
	case fmtURI:
		u, err := url.Parse(string(s))
		return err == nil && u.Scheme != ""
	}
	return true // int32/int64 on a string: not a string format
}

func digits(s []byte) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func num2(s []byte) int { return int(s[0]-'0')*10 + int(s[1]-'0') }

// validDate checks YYYY-MM-DD with a day that exists in that month.
func validDate(s []byte) bool {
	if s[4] != '-' || s[7] != '-' || !digits(s[0:4]) || !digits(s[5:7]) || !digits(s[8:10]) {
		return false
	}
	y := num2(s[0:2])*100 + num2(s[2:4])
	m, d := num2(s[5:7]), num2(s[8:10])
	if m < 1 || m > 12 || d < 1 {
		return false
	}
	days := [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m]
	if m == 2 && y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		days = 29
	}
	return d <= days
}

// validDateTime checks RFC 3339: date "T" hh:mm:ss[.frac] then Z or
// ±hh:mm (upper-case T and Z, leap second 60 allowed).
func validDateTime(s []byte) bool {
	if len(s) < 20 || !validDate(s[:10]) || s[10] != 'T' {
		return false
	}
	t := s[11:]
	if t[2] != ':' || t[5] != ':' || !digits(t[0:2]) || !digits(t[3:5]) || !digits(t[6:8]) {
		return false
	}
	if num2(t[0:2]) > 23 || num2(t[3:5]) > 59 || num2(t[6:8]) > 60 {
		return false
	}
	rest := t[8:]
	if len(rest) > 0 && rest[0] == '.' {
		i := 1
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 1 {
			return false
		}
		rest = rest[i:]
	}
	if len(rest) == 1 && rest[0] == 'Z' {
		return true
	}
	if len(rest) != 6 || (rest[0] != '+' && rest[0] != '-') || rest[3] != ':' || !digits(rest[1:3]) || !digits(rest[4:6]) {
		return false
	}
	return num2(rest[1:3]) <= 23 && num2(rest[4:6]) <= 59
}

// validBase64Chars checks base64 or base64url characters followed by
// padding (kin-openapi's "byte": the alphabet, not the length).
func validBase64Chars(s []byte) bool {
	i := 0
	for i < len(s) {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '-' || c == '_' {
			i++
			continue
		}
		break
	}
	for i < len(s) && s[i] == '=' {
		i++
	}
	return i == len(s)
}

// validEmail checks something@domain, where the domain has no @, <, >,
// quote, comma or white space: it catches only what is clearly wrong.
func validEmail(s []byte) bool {
	at := bytes.IndexByte(s, '@')
	if at < 1 || at == len(s)-1 {
		return false
	}
	for _, c := range s[at+1:] {
		switch c {
		case '@', '<', '>', '"', ',', ' ', '\t', '\n', '\f', '\r':
			return false
		}
	}
	return true
}

// validUUID checks an RFC 9562 UUID: versions 1-8 with the variant bits
// 10, or the nil or max UUID.
func validUUID(s []byte) bool {
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return false
	}
	zeros, fs := true, true
	for i, c := range s {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			continue
		}
		if !isHex(c) {
			return false
		}
		zeros = zeros && c == '0'
		fs = fs && (c == 'f' || c == 'F')
	}
	if zeros || fs {
		return true
	}
	if s[14] < '1' || s[14] > '8' {
		return false
	}
	switch s[19] {
	case '8', '9', 'a', 'b', 'A', 'B':
		return true
	}
	return false
}

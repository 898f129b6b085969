package slo

import "strings"

// Op compares a measured value with a threshold.
type Op string

// The operators, as k6 writes them.
const (
	Less           Op = "<"
	LessOrEqual    Op = "<="
	Greater        Op = ">"
	GreaterOrEqual Op = ">="
	Equal          Op = "=="
	NotEqual       Op = "!="
)

// opChars are the characters operators are made of.
const opChars = "<>=!"

// knownOps lists the operators for error messages.
const knownOps = "<, <=, >, >=, == and !="

// holds reports whether "v op t" is true, comparing at full precision.
// An unknown operator never holds.
func (op Op) holds(v, t float64) bool {
	switch op {
	case Less:
		return v < t
	case LessOrEqual:
		return v <= t
	case Greater:
		return v > t
	case GreaterOrEqual:
		return v >= t
	case Equal:
		return v == t
	case NotEqual:
		return v != t
	}
	return false
}

// lexOp reads the operator s starts with and returns it and the rest of
// s.
func lexOp(s string) (Op, string, error) {
	n := 0
	for n < len(s) && strings.IndexByte(opChars, s[n]) >= 0 {
		n++
	}
	switch op := Op(s[:n]); op {
	case Less, LessOrEqual, Greater, GreaterOrEqual, Equal, NotEqual:
		return op, s[n:], nil
	case "=":
		return "", "", problem(`unknown operator "="; write == to compare for equality`)
	default:
		return "", "", problem("unknown operator %q; the operators are %s", op, knownOps)
	}
}

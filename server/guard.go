package server

// What a request must be before a handler sees it: addressed to a name the
// server answers to, from an origin it trusts when it changes anything,
// as JSON when it carries a body.

import (
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/firedrill/firedrill/engine"
)

// allowedHosts are the names a server answers to in the Host header. A web
// page an operator visits can point its own DNS name at the server's
// address (DNS rebinding); the browser then sends that name as Host and as
// Origin, which agree, so only a list of the server's own names stops it.
// An IP literal cannot be rebound, so every one is fine when the server
// listens on every address.
type allowedHosts struct {
	names map[string]bool // lower case, without a port
	anyIP bool
}

func newAllowedHosts(listen string, hosts, origins []string) (allowedHosts, error) {
	a := allowedHosts{names: map[string]bool{"localhost": true}}
	if listen != "" {
		host, _, err := net.SplitHostPort(listen)
		if err != nil {
			return allowedHosts{}, fmt.Errorf("server: listen address %q: %w", listen, err)
		}
		if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
			a.anyIP = true
		} else {
			a.names[canonicalHost(host)] = true
		}
	}
	for _, h := range hosts {
		a.names[canonicalHost(h)] = true
	}
	for _, o := range origins {
		u, err := url.Parse(o)
		if err != nil || u.Host == "" {
			return allowedHosts{}, fmt.Errorf("server: origin %q: want scheme://host[:port]", o)
		}
		a.names[canonicalHost(u.Hostname())] = true
	}
	return a, nil
}

// canonicalHost is a host name as the allow-list keeps it: lower case,
// without brackets or a final dot, an IP in its shortest form.
func canonicalHost(h string) string {
	h = strings.TrimSuffix(strings.ToLower(strings.Trim(h, "[]")), ".")
	if ip := net.ParseIP(h); ip != nil {
		return ip.String()
	}
	return h
}

// allows reports whether the server answers a request whose Host header
// is hostport.
func (a allowedHosts) allows(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = canonicalHost(host)
	if host == "" {
		return false
	}
	if a.names[host] {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.IsLoopback() || a.anyIP)
}

// beyondLoopback reports whether a server listening on listen can be
// reached from other machines.
func beyondLoopback(listen string) bool {
	if listen == "" {
		return false
	}
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		return true
	}
	if strings.EqualFold(host, "localhost") {
		return false
	}
	ip := net.ParseIP(host)
	return ip == nil || !ip.IsLoopback()
}

// Refusals of the guard.
var (
	errHostNotAllowed = &httpError{status: http.StatusMisdirectedRequest, code: engine.Forbidden,
		msg: "this server does not answer to that host name; use its address, or add the name with serve --hosts"}
	errForeignOrigin = &httpError{status: http.StatusForbidden, code: engine.Forbidden,
		msg: "requests from this origin are not allowed; add it with serve --origins"}
	errNotJSON = &httpError{status: http.StatusUnsupportedMediaType, code: engine.BadRequest,
		msg: "send the body as JSON, with Content-Type: application/json"}
)

// httpError is a refusal with its own HTTP status.
type httpError struct {
	status int
	code   engine.Code
	msg    string
}

func (e *httpError) Error() string { return e.msg }

// probes answer whatever the Host: load balancers and orchestrators probe
// by address or by a name of their own, and they reveal nothing.
var probes = []string{"/healthz", "/readyz"}

// guard refuses, before any handler, a request to a name the server does
// not answer to, and a request that changes state from a foreign origin
// or with a body that is not declared JSON. A browser sends a form's or a
// fetch's text/plain POST to any site without asking first; one that says
// application/json it must ask about (CORS), and this server never says
// yes.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if slices.Contains(probes, r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		if !s.allowed.allows(r.Host) {
			s.refuseHTTP(w, errHostNotAllowed)
			return
		}
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
		default:
			if !s.checkOrigin(r) {
				s.refuseHTTP(w, errForeignOrigin)
				return
			}
			if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
				s.refuseHTTP(w, errNotJSON)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// refuseHTTP answers a refused request and counts it.
func (s *Server) refuseHTTP(w http.ResponseWriter, e *httpError) {
	s.metrics.refused.WithLabelValues(string(e.code)).Inc()
	writeError(w, e)
}

// checkOrigin allows programs (no Origin), the server's own host (which
// the guard has checked against the allowed names), and the configured
// origins.
func (s *Server) checkOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false // "null" from a sandbox or a file, or nonsense
	}
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	return slices.ContainsFunc(s.cfg.Origins, func(o string) bool { return strings.EqualFold(strings.TrimSuffix(o, "/"), origin) })
}

// bearer is the token of an "Authorization: Bearer TOKEN" header, the
// only place the admin token and the HTTP API's codes are read from: a
// token in a URL ends up in proxies' logs and browsers' histories.
func bearer(r *http.Request) string {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

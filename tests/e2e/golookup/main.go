// golookup asks Go's resolver one question and prints the answer, one item a
// line, in the order the resolver returned them (no sorting: the order is
// part of what glibc and libaresolv must agree on). Run it with
// GODEBUG=netdns=cgo so that every lookup goes through libc.
//
//	golookup host NAME            net.LookupHost: addresses
//	golookup ip NAME              net.LookupIP: addresses
//	golookup ip4 NAME | ip6 NAME  net.Resolver.LookupIP with "ip4"/"ip6"
//	golookup cname NAME           net.LookupCNAME: the canonical name
//	golookup addr IP              net.LookupAddr: names
//	golookup port NETWORK SERVICE net.LookupPort: the port number
//	golookup dial HOST:PORT       net.Dial("tcp"): the remote address
//
// On error it prints "error: " and the error to stdout and exits 1.
package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"time"
)

func usage() {
	fmt.Fprintln(os.Stderr, "usage: golookup host|ip|ip4|ip6|cname|addr NAME | port NETWORK SERVICE | dial HOST:PORT")
	os.Exit(2)
}

func main() {
	if len(os.Args) < 3 {
		usage()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var lines []string
	var err error
	switch mode, arg := os.Args[1], os.Args[2]; mode {
	case "host":
		lines, err = net.DefaultResolver.LookupHost(ctx, arg)
	case "ip", "ip4", "ip6":
		var ips []net.IP
		if mode == "ip" {
			ips, err = net.LookupIP(arg)
		} else {
			ips, err = net.DefaultResolver.LookupIP(ctx, mode, arg)
		}
		for _, ip := range ips {
			lines = append(lines, ip.String())
		}
	case "cname":
		var cname string
		cname, err = net.DefaultResolver.LookupCNAME(ctx, arg)
		lines = []string{cname}
	case "addr":
		lines, err = net.DefaultResolver.LookupAddr(ctx, arg)
	case "port":
		if len(os.Args) < 4 {
			usage()
		}
		var port int
		port, err = net.DefaultResolver.LookupPort(ctx, arg, os.Args[3])
		lines = []string{fmt.Sprint(port)}
	case "dial":
		var conn net.Conn
		dialer := net.Dialer{Timeout: 10 * time.Second}
		conn, err = dialer.DialContext(ctx, "tcp", arg)
		if err == nil {
			lines = []string{conn.RemoteAddr().String()}
			conn.Close()
		}
	default:
		usage()
	}
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	for _, line := range lines {
		fmt.Println(line)
	}
}

// Reading A/AAAA responses as nss_dns does (glibc 2.36 release branch, the
// ns_rr_cursor based parser): gaih_getanswer for gethostbyname4_r and
// getanswer_r for gethostbyname3_r. The record walk follows glibc: a CNAME
// (its owner is not checked, as in glibc) makes its target the name that
// address records must own; address records must have the question's type,
// that owner (compared case-insensitively, label by label) and the exact
// address length; a record that runs past the end of the packet fails the
// whole answer.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "resolver/records.h"

namespace aresolv {

constexpr int kMaxWireName = 255;  // NS_MAXCDNAME
constexpr int kMaxAliases = 16;

// What gethostbyname3_r builds: h_name is result.canonical_name, the aliases
// are the CNAME chain before it (the query name first).
struct HostentAnswer {
  NameResult result;
  char aliases[kMaxAliases][kMaxNameLength];
  int alias_count = 0;
  bool aliases_truncated = false;
};

// ns_name_unpack: expands the possibly compressed name at `src` into
// uncompressed wire form in `dst` (kMaxWireName bytes). Returns the number of
// bytes the name occupies at `src`, or -1 for a malformed name (bad label
// type, pointer out of the packet or looping, name too long).
int dns_unpack_name(const uint8_t* msg, const uint8_t* end, const uint8_t* src, uint8_t* dst);

// __ns_name_length_uncompressed: the length of the (never compressed) question
// name at `p`, its final zero byte included, or -1.
int dns_question_name_length(const uint8_t* p, const uint8_t* end);

// Two wire-form names equal label by label, ASCII letters compared without case.
bool dns_same_name(const uint8_t* a, const uint8_t* b);

// ns_name_pton: text (with \X and \DDD escapes) to uncompressed wire form in
// `out` (`size` bytes); false when malformed or longer than kMaxWireName.
bool dns_text_to_wire(const char* text, uint8_t* out, size_t size);

// res_hnok on a wire-form name: labels of [0-9A-Za-z_-], no leading '-'.
bool dns_binary_hnok(const uint8_t* wire);

// res_hnok on a text name: printable, then as dns_binary_hnok after
// ns_name_pton decoded its escapes.
bool dns_text_hnok(const char* name);

// A host-name-like wire name in text form, without the final dot ("." for
// the root). Returns false if it does not fit.
bool dns_wire_to_text(const uint8_t* wire, char* out, size_t out_size);

// gaih_getanswer (packet2 nullptr or len 0: only packet1, as with no-aaaa).
// Addresses are appended to `out` in answer order, packet1 first; the
// canonical name is the one glibc stores with the first address. ttl is the
// minimum TTL of the CNAME and address records seen (0 on failure).
NssStatus dns_parse_addrinfo_answer(const uint8_t* packet1, int len1, const uint8_t* packet2,
                                    int len2, NameResult* out, int* h_errno_out);

// getanswer_r for qtype A or AAAA.
NssStatus dns_parse_hostent_answer(const uint8_t* packet, int len, int qtype, HostentAnswer* out,
                                   int* h_errno_out);

}  // namespace aresolv

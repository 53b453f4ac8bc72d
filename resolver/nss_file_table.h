// Reads a database file the way glibc's nss_files does (nss_readline and
// files-parse.c) into a table of entries, for /etc/hosts and /etc/services:
// lines as fgets sees them (a NUL ends a line's text), leading white space
// dropped, empty lines and lines starting with '#' skipped, everything from
// the first '#' on a comment.
//
// Table needs `int refs`, `Entry* entries`, `size_t count` and `char* pool`;
// Entry needs `size_t names` (its offset in the pool). ParseLine copies what
// it keeps of one line to the start of its argument (at most twice the
// line's length plus two bytes) and returns the bytes used, 0 to skip the line.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

namespace aresolv {

inline bool is_nss_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

template <typename Table, typename Entry, size_t (*ParseLine)(char*, Entry*),
          void (*Destroy)(Table*)>
Table* parse_nss_file(const char* text, size_t length) {
  size_t lines = 1;
  for (const char* p = text;
       length > 0 && (p = static_cast<const char*>(memchr(p, '\n', text + length - p))); ++p) {
    ++lines;
  }
  // A line of n bytes takes at most 2n + 2 bytes of pool.
  if (length > (SIZE_MAX - 16) / 4) return nullptr;
  size_t pool_capacity = 2 * length + 2 * lines + 16;

  Table* t = static_cast<Table*>(calloc(1, sizeof(Table)));
  if (!t) return nullptr;
  t->refs = 1;
  t->entries = static_cast<Entry*>(malloc(lines * sizeof(Entry)));
  t->pool = static_cast<char*>(malloc(pool_capacity));
  if (!t->entries || !t->pool) {
    Destroy(t);
    return nullptr;
  }

  size_t pool_used = 0;
  const char* end = text + length;
  for (const char* start = text; start < end;) {
    const char* newline = static_cast<const char*>(memchr(start, '\n', end - start));
    const char* next = newline ? newline + 1 : end;
    // fgets keeps the newline; the C string ends at the first NUL.
    const char* nul = static_cast<const char*>(memchr(start, '\0', next - start));
    const char* s = start;
    size_t s_length = static_cast<size_t>((nul ? nul : next) - start);
    start = next;

    size_t blank = 0;
    while (blank < s_length && is_nss_space(s[blank])) ++blank;
    if (blank == s_length || s[blank] == '#') continue;

    // nss_readline moves the text left over the white space without its
    // terminator, so the last `blank` bytes of the old text remain after it
    // (an indented last line without a newline ends doubled); parse_line then
    // cuts at the first '#' or newline.
    char* line = t->pool + pool_used;
    size_t body_length = s_length - blank;
    memcpy(line, s + blank, body_length);
    memcpy(line + body_length, s + s_length - blank, blank);
    line[body_length + blank] = '\0';
    line[strcspn(line, "#\n")] = '\0';

    Entry* entry = &t->entries[t->count];
    size_t used = ParseLine(line, entry);
    if (used == 0) continue;
    entry->names = pool_used;
    pool_used += used;
    ++t->count;
  }

  // Give back what the worst-case estimates reserved.
  if (char* shrunk = static_cast<char*>(realloc(t->pool, pool_used ? pool_used : 1))) {
    t->pool = shrunk;
  }
  if (auto* shrunk =
          static_cast<Entry*>(realloc(t->entries, (t->count ? t->count : 1) * sizeof(Entry)))) {
    t->entries = shrunk;
  }
  return t;
}

}  // namespace aresolv

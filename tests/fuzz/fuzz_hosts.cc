// /etc/hosts text into hosts_table_parse, then every lookup on the table.
// Input: the file text; the names looked up are taken from the text itself
// (so that lookups hit), plus fixed ones.
#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "resolver/hosts.h"

namespace {

// Every white-space separated word of the first lines, so that the lookups
// find the names the parser kept.
std::vector<std::string> words_of(const uint8_t* data, size_t size) {
  std::vector<std::string> words;
  std::string word;
  for (size_t i = 0; i < size && words.size() < 24; ++i) {
    char c = static_cast<char>(data[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\0' || c == '#') {
      if (!word.empty()) words.push_back(word);
      word.clear();
    } else if (word.size() < 300) {
      word += c;
    }
  }
  if (!word.empty()) words.push_back(word);
  return words;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace aresolv;
  HostsTable* table = hosts_table_parse(reinterpret_cast<const char*>(data), size);
  if (table == nullptr) return 0;

  static NameResult result;  // large: keep it off the stack
  static char alias_storage[4096];
  std::vector<std::string> names = words_of(data, size);
  names.push_back("localhost");
  names.push_back("");
  for (const std::string& name : names) {
    for (bool multi : {false, true}) {
      hosts_table_by_name4(*table, multi, name.c_str(), &result);
      for (int family : {AF_INET, AF_INET6}) {
        AliasBuffer aliases(alias_storage, sizeof alias_storage);
        hosts_table_by_name3(*table, multi, name.c_str(), family, &result, &aliases);
        if (!aliases.overflowed()) {
          int count = 0;
          for (const char* alias = aliases.next(nullptr); alias != nullptr;
               alias = aliases.next(alias))
            ++count;
          if (count != aliases.count) __builtin_trap();
        }
        AliasBuffer tiny(alias_storage, 3);
        hosts_table_by_name3(*table, multi, name.c_str(), family, &result, &tiny);
        hosts_table_by_name3(*table, multi, name.c_str(), family, &result, nullptr);
      }
    }
    // Reverse lookups of every word that is an address.
    uint8_t address[16];
    if (inet_pton(AF_INET, name.c_str(), address) == 1) {
      AliasBuffer aliases(alias_storage, sizeof alias_storage);
      hosts_table_by_addr(*table, address, 4, AF_INET, &result, &aliases);
    } else if (inet_pton(AF_INET6, name.c_str(), address) == 1) {
      AliasBuffer aliases(alias_storage, sizeof alias_storage);
      hosts_table_by_addr(*table, address, 16, AF_INET6, &result, &aliases);
      hosts_table_by_addr(*table, address + 12, 4, AF_INET, &result, nullptr);
    }
  }
  hosts_table_release(table);
  return 0;
}

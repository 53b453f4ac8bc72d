// /etc/services text into services_table_parse, then lookups by name and port
// of what the text names.
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <string>
#include <vector>

#include "resolver/services.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace aresolv;
  ServicesTable* table = services_table_parse(reinterpret_cast<const char*>(data), size);
  if (table == nullptr) return 0;

  std::vector<std::string> words;
  std::string word;
  for (size_t i = 0; i <= size && words.size() < 24; ++i) {
    char c = i < size ? static_cast<char>(data[i]) : '\n';
    if (c == ' ' || c == '\t' || c == '\n' || c == '\0' || c == '#' || c == '/') {
      if (!word.empty()) words.push_back(word);
      word.clear();
    } else if (word.size() < 300) {
      word += c;
    }
  }
  words.push_back("http");
  const char* protocols[] = {nullptr, "tcp", "udp", "sctp", "dccp", ""};
  for (const std::string& name : words) {
    for (const char* protocol : protocols) {
      uint16_t port = 0;
      if (services_table_port_by_name(*table, name.c_str(), protocol, &port) == Status::kSuccess) {
        char back[64];
        services_table_name_by_port(*table, port, protocol, back, sizeof back);
        services_table_name_by_port(*table, port, protocol, back, 2);
        services_table_name_by_port(*table, port, protocol, back, 0);
      }
      // Words as ports, the way the parser reads them.
      char* end = nullptr;
      unsigned long value = strtoul(name.c_str(), &end, 0);
      char back[32];
      services_table_name_by_port(*table, static_cast<uint16_t>(value), protocol, back,
                                  sizeof back);
    }
  }
  services_table_release(table);
  return 0;
}

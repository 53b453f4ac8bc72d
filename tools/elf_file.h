// A small reader of ELF files for `aresolv audit` and `aresolv stats`:
// 32- and 64-bit, either byte order, whatever the machine the command runs
// on. It reads only what those commands need (program headers, section
// headers, the dynamic section, the symbol tables, notes) and checks every
// offset against the file size, so a truncated or hostile file gives an
// error, never a crash.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace aresolv_tool {

struct ElfSymbol {
  std::string name;
  uint64_t value = 0;
  uint64_t size = 0;
  uint8_t type = 0;     // STT_*
  uint8_t binding = 0;  // STB_*
  uint16_t section = 0;
  bool defined() const { return section != 0; }
};

struct ElfSection {
  std::string name;
  uint32_t type = 0;
  uint64_t address = 0;
  uint64_t offset = 0;
  uint64_t size = 0;
  uint32_t link = 0;
  uint64_t entry_size = 0;
};

struct ElfSegment {
  uint32_t type = 0;
  uint32_t flags = 0;
  uint64_t offset = 0;
  uint64_t address = 0;
  uint64_t file_size = 0;
  uint64_t memory_size = 0;
};

struct ElfNote {
  std::string owner;
  uint32_t type = 0;
  std::string description;
};

class ElfFile {
 public:
  // Reads the whole file; on failure returns nothing and sets *error.
  static std::optional<ElfFile> load(const std::string& path, std::string* error);
  static std::optional<ElfFile> parse(std::string bytes, std::string* error);

  bool is_64bit() const { return is64_; }
  bool big_endian() const { return big_; }
  uint16_t type() const { return type_; }  // ET_EXEC, ET_DYN, ...
  uint16_t machine() const { return machine_; }
  std::string machine_name() const;

  const std::vector<ElfSegment>& segments() const { return segments_; }
  const std::vector<ElfSection>& sections() const { return sections_; }
  const ElfSection* section(const std::string& name) const;

  // PT_INTERP's path, empty when there is none.
  const std::string& interpreter() const { return interpreter_; }
  bool has_dynamic() const { return has_dynamic_; }
  const std::vector<std::string>& needed() const { return needed_; }
  const std::string& soname() const { return soname_; }
  const std::vector<std::string>& run_paths() const { return run_paths_; }

  // .dynsym and .symtab (empty when absent or stripped).
  const std::vector<ElfSymbol>& dynamic_symbols() const { return dynsym_; }
  const std::vector<ElfSymbol>& symbols() const { return symtab_; }

  // Every note of every SHT_NOTE section (or PT_NOTE segment without sections).
  const std::vector<ElfNote>& notes() const { return notes_; }

  // The bytes of a section (empty for SHT_NOBITS or out-of-file ones).
  std::string section_bytes(const ElfSection& s) const;

 private:
  uint16_t u16(uint64_t offset) const;
  uint32_t u32(uint64_t offset) const;
  uint64_t u64(uint64_t offset) const;
  uint64_t word(uint64_t offset) const { return is64_ ? u64(offset) : u32(offset); }
  bool in_file(uint64_t offset, uint64_t length) const;
  bool read_headers(std::string* error);
  void read_symbols(const ElfSection& table, std::vector<ElfSymbol>* out) const;
  void read_dynamic(uint64_t offset, uint64_t size, uint64_t strtab_offset, uint64_t strtab_size);
  void read_notes(uint64_t offset, uint64_t size);
  std::string string_at(uint64_t table_offset, uint64_t table_size, uint64_t index) const;
  // File offset of a virtual address, through the PT_LOAD segments.
  std::optional<uint64_t> offset_of_address(uint64_t address) const;

  std::string bytes_;
  bool is64_ = false;
  bool big_ = false;
  uint16_t type_ = 0;
  uint16_t machine_ = 0;
  std::vector<ElfSegment> segments_;
  std::vector<ElfSection> sections_;
  std::string interpreter_;
  bool has_dynamic_ = false;
  std::vector<std::string> needed_;
  std::string soname_;
  std::vector<std::string> run_paths_;
  std::vector<ElfSymbol> dynsym_;
  std::vector<ElfSymbol> symtab_;
  std::vector<ElfNote> notes_;
};

}  // namespace aresolv_tool

#include "tools/elf_file.h"

#include <elf.h>

#include <fstream>
#include <sstream>

namespace aresolv_tool {
namespace {

// Sections and segments beyond these counts are not real programs.
constexpr uint64_t kMaxTableEntries = 1u << 16;
constexpr uint64_t kMaxSymbols = 1u << 22;

}  // namespace

std::optional<ElfFile> ElfFile::load(const std::string& path, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot open " + path;
    return std::nullopt;
  }
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) {
    *error = "cannot read " + path;
    return std::nullopt;
  }
  return parse(contents.str(), error);
}

std::optional<ElfFile> ElfFile::parse(std::string bytes, std::string* error) {
  ElfFile file;
  file.bytes_ = std::move(bytes);
  if (!file.read_headers(error)) return std::nullopt;
  return file;
}

bool ElfFile::in_file(uint64_t offset, uint64_t length) const {
  return offset <= bytes_.size() && length <= bytes_.size() - offset;
}

uint16_t ElfFile::u16(uint64_t offset) const {
  if (!in_file(offset, 2)) return 0;
  auto b = reinterpret_cast<const unsigned char*>(bytes_.data() + offset);
  return big_ ? static_cast<uint16_t>(b[0] << 8 | b[1]) : static_cast<uint16_t>(b[1] << 8 | b[0]);
}

uint32_t ElfFile::u32(uint64_t offset) const {
  if (!in_file(offset, 4)) return 0;
  auto b = reinterpret_cast<const unsigned char*>(bytes_.data() + offset);
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(b[big_ ? i : 3 - i]) << (8 * (3 - i));
  return v;
}

uint64_t ElfFile::u64(uint64_t offset) const {
  uint64_t hi = u32(offset + (big_ ? 0 : 4));
  uint64_t lo = u32(offset + (big_ ? 4 : 0));
  return hi << 32 | lo;
}

std::string ElfFile::string_at(uint64_t table_offset, uint64_t table_size, uint64_t index) const {
  if (index >= table_size || !in_file(table_offset, table_size)) return {};
  const char* start = bytes_.data() + table_offset + index;
  size_t limit = table_size - index;
  size_t length = 0;
  while (length < limit && start[length] != '\0') ++length;
  return std::string(start, length);
}

std::string ElfFile::machine_name() const {
  switch (machine_) {
    case EM_386:
      return "i386";
    case EM_X86_64:
      return "x86-64";
    case EM_ARM:
      return "arm";
    case EM_AARCH64:
      return "aarch64";
    case EM_RISCV:
      return "riscv";
    case EM_S390:
      return "s390";
    case EM_PPC:
      return "powerpc";
    case EM_PPC64:
      return "powerpc64";
    case EM_MIPS:
      return "mips";
    case 258:  // EM_LOONGARCH
      return "loongarch";
    case 0x9916:  // sw_64 (Sunway), as its binutils number it
      return "sw_64";
    default:
      return "machine " + std::to_string(machine_);
  }
}

bool ElfFile::read_headers(std::string* error) {
  if (bytes_.size() < EI_NIDENT || bytes_.compare(0, SELFMAG, ELFMAG) != 0) {
    *error = "not an ELF file";
    return false;
  }
  unsigned char cls = static_cast<unsigned char>(bytes_[EI_CLASS]);
  unsigned char data = static_cast<unsigned char>(bytes_[EI_DATA]);
  if ((cls != ELFCLASS32 && cls != ELFCLASS64) || (data != ELFDATA2LSB && data != ELFDATA2MSB)) {
    *error = "unknown ELF class or byte order";
    return false;
  }
  is64_ = cls == ELFCLASS64;
  big_ = data == ELFDATA2MSB;
  uint64_t header_size = is64_ ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
  if (bytes_.size() < header_size) {
    *error = "truncated ELF header";
    return false;
  }
  type_ = u16(16);
  machine_ = u16(18);
  uint64_t phoff = is64_ ? u64(32) : u32(28);
  uint64_t shoff = is64_ ? u64(40) : u32(32);
  uint64_t phentsize = u16(is64_ ? 54 : 42);
  uint64_t phnum = u16(is64_ ? 56 : 44);
  uint64_t shentsize = u16(is64_ ? 58 : 46);
  uint64_t shnum = u16(is64_ ? 60 : 48);
  uint64_t shstrndx = u16(is64_ ? 62 : 50);

  uint64_t min_ph = is64_ ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
  if (phnum > 0 &&
      (phentsize < min_ph || phnum > kMaxTableEntries || !in_file(phoff, phnum * phentsize))) {
    *error = "bad program header table";
    return false;
  }
  for (uint64_t i = 0; i < phnum; ++i) {
    uint64_t p = phoff + i * phentsize;
    ElfSegment s;
    s.type = u32(p);
    if (is64_) {
      s.flags = u32(p + 4);
      s.offset = u64(p + 8);
      s.address = u64(p + 16);
      s.file_size = u64(p + 32);
      s.memory_size = u64(p + 40);
    } else {
      s.offset = u32(p + 4);
      s.address = u32(p + 8);
      s.file_size = u32(p + 16);
      s.memory_size = u32(p + 20);
      s.flags = u32(p + 24);
    }
    segments_.push_back(s);
  }

  uint64_t min_sh = is64_ ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr);
  if (shnum > 0 && shoff != 0) {
    if (shentsize < min_sh || shnum > kMaxTableEntries || !in_file(shoff, shnum * shentsize)) {
      *error = "bad section header table";
      return false;
    }
    std::vector<uint32_t> name_index;
    for (uint64_t i = 0; i < shnum; ++i) {
      uint64_t p = shoff + i * shentsize;
      ElfSection s;
      name_index.push_back(u32(p));  // into the section name table, read below
      s.type = u32(p + 4);
      if (is64_) {
        s.address = u64(p + 16);
        s.offset = u64(p + 24);
        s.size = u64(p + 32);
        s.link = u32(p + 40);
        s.entry_size = u64(p + 56);
      } else {
        s.address = u32(p + 12);
        s.offset = u32(p + 16);
        s.size = u32(p + 20);
        s.link = u32(p + 24);
        s.entry_size = u32(p + 36);
      }
      sections_.push_back(s);
    }
    const ElfSection* names = shstrndx < sections_.size() ? &sections_[shstrndx] : nullptr;
    for (size_t i = 0; i < sections_.size(); ++i)
      sections_[i].name = names ? string_at(names->offset, names->size, name_index[i]) : "";
  }

  for (const ElfSegment& s : segments_) {
    if (s.type == PT_INTERP && in_file(s.offset, s.file_size))
      interpreter_ = string_at(s.offset, s.file_size, 0);
    if (s.type == PT_DYNAMIC) has_dynamic_ = true;
  }

  for (const ElfSection& s : sections_) {
    if (s.type == SHT_DYNSYM) read_symbols(s, &dynsym_);
    if (s.type == SHT_SYMTAB) read_symbols(s, &symtab_);
    if (s.type == SHT_NOTE) read_notes(s.offset, s.size);
  }
  if (sections_.empty())
    for (const ElfSegment& s : segments_)
      if (s.type == PT_NOTE) read_notes(s.offset, s.file_size);

  // The dynamic section: from its section when there are sections, else from
  // PT_DYNAMIC with the string table found through DT_STRTAB.
  for (const ElfSection& s : sections_) {
    if (s.type != SHT_DYNAMIC) continue;
    const ElfSection* strtab = s.link < sections_.size() ? &sections_[s.link] : nullptr;
    if (strtab) read_dynamic(s.offset, s.size, strtab->offset, strtab->size);
    return true;
  }
  for (const ElfSegment& s : segments_) {
    if (s.type != PT_DYNAMIC) continue;
    uint64_t entry = is64_ ? 16 : 8;
    uint64_t strtab_address = 0, strtab_size = 0;
    for (uint64_t p = s.offset; in_file(p, entry) && p + entry <= s.offset + s.file_size;
         p += entry) {
      uint64_t tag = word(p);
      if (tag == DT_NULL) break;
      if (tag == DT_STRTAB) strtab_address = word(p + entry / 2);
      if (tag == DT_STRSZ) strtab_size = word(p + entry / 2);
    }
    if (auto off = offset_of_address(strtab_address))
      read_dynamic(s.offset, s.file_size, *off, strtab_size);
  }
  return true;
}

std::optional<uint64_t> ElfFile::offset_of_address(uint64_t address) const {
  for (const ElfSegment& s : segments_)
    if (s.type == PT_LOAD && address >= s.address && address - s.address < s.file_size)
      return s.offset + (address - s.address);
  return std::nullopt;
}

void ElfFile::read_dynamic(uint64_t offset, uint64_t size, uint64_t strtab_offset,
                           uint64_t strtab_size) {
  uint64_t entry = is64_ ? 16 : 8;
  for (uint64_t p = offset; in_file(p, entry) && p + entry <= offset + size; p += entry) {
    uint64_t tag = word(p);
    uint64_t value = word(p + entry / 2);
    if (tag == DT_NULL) break;
    if (tag == DT_NEEDED) needed_.push_back(string_at(strtab_offset, strtab_size, value));
    if (tag == DT_SONAME) soname_ = string_at(strtab_offset, strtab_size, value);
    if (tag == DT_RUNPATH || tag == DT_RPATH) {
      std::string paths = string_at(strtab_offset, strtab_size, value);
      size_t start = 0;
      while (start <= paths.size()) {
        size_t colon = paths.find(':', start);
        if (colon == std::string::npos) colon = paths.size();
        if (colon > start) run_paths_.push_back(paths.substr(start, colon - start));
        start = colon + 1;
      }
    }
  }
}

void ElfFile::read_symbols(const ElfSection& table, std::vector<ElfSymbol>* out) const {
  uint64_t entry = is64_ ? sizeof(Elf64_Sym) : sizeof(Elf32_Sym);
  if (table.link >= sections_.size() || !in_file(table.offset, table.size)) return;
  const ElfSection& strtab = sections_[table.link];
  uint64_t count = table.size / entry;
  if (count > kMaxSymbols) count = kMaxSymbols;
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t p = table.offset + i * entry;
    ElfSymbol s;
    uint32_t name = u32(p);
    unsigned char info;
    if (is64_) {
      info = static_cast<unsigned char>(bytes_[p + 4]);
      s.section = u16(p + 6);
      s.value = u64(p + 8);
      s.size = u64(p + 16);
    } else {
      s.value = u32(p + 4);
      s.size = u32(p + 8);
      info = static_cast<unsigned char>(bytes_[p + 12]);
      s.section = u16(p + 14);
    }
    s.type = info & 0xf;
    s.binding = info >> 4;
    s.name = string_at(strtab.offset, strtab.size, name);
    out->push_back(std::move(s));
  }
}

void ElfFile::read_notes(uint64_t offset, uint64_t size) {
  if (!in_file(offset, size)) return;
  uint64_t p = offset, end = offset + size;
  while (p + 12 <= end) {
    uint64_t name_size = u32(p), desc_size = u32(p + 4);
    uint32_t type = u32(p + 8);
    uint64_t name_at = p + 12;
    uint64_t desc_at = name_at + ((name_size + 3) & ~uint64_t{3});
    uint64_t next = desc_at + ((desc_size + 3) & ~uint64_t{3});
    if (next > end || next <= p) break;
    ElfNote note;
    note.type = type;
    note.owner = string_at(name_at, name_size, 0);
    note.description.assign(bytes_.data() + desc_at, desc_size);
    notes_.push_back(std::move(note));
    p = next;
  }
}

const ElfSection* ElfFile::section(const std::string& name) const {
  for (const ElfSection& s : sections_)
    if (s.name == name) return &s;
  return nullptr;
}

std::string ElfFile::section_bytes(const ElfSection& s) const {
  if (s.type == SHT_NOBITS || !in_file(s.offset, s.size)) return {};
  return bytes_.substr(s.offset, s.size);
}

}  // namespace aresolv_tool

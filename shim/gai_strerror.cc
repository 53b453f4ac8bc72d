// gai_strerror: glibc's messages, translated through glibc's own catalogue so
// that a program running in another locale prints what it printed before.
#include <libintl.h>
#include <locale.h>
#include <netdb.h>

#include "shim/export.h"
#include "shim/passthrough.h"

namespace {

aresolv::LibcFunction libc_gai_strerror("gai_strerror");

struct Message {
  int code;
  const char* text;
};

constexpr Message kMessages[] = {
    {EAI_ADDRFAMILY, "Address family for hostname not supported"},
    {EAI_AGAIN, "Temporary failure in name resolution"},
    {EAI_BADFLAGS, "Bad value for ai_flags"},
    {EAI_FAIL, "Non-recoverable failure in name resolution"},
    {EAI_FAMILY, "ai_family not supported"},
    {EAI_MEMORY, "Memory allocation failure"},
    {EAI_NODATA, "No address associated with hostname"},
    {EAI_NONAME, "Name or service not known"},
    {EAI_SERVICE, "Servname not supported for ai_socktype"},
    {EAI_SOCKTYPE, "ai_socktype not supported"},
    {EAI_SYSTEM, "System error"},
    {EAI_INPROGRESS, "Processing request in progress"},
    {EAI_CANCELED, "Request canceled"},
    {EAI_NOTCANCELED, "Request not canceled"},
    {EAI_ALLDONE, "All requests done"},
    {EAI_INTR, "Interrupted by a signal"},
    {EAI_IDN_ENCODE, "Parameter string not correctly encoded"},
};

}  // namespace

ARESOLV_EXPORT const char* gai_strerror(int code) {
  if (auto libc = aresolv::libc_target<decltype(&gai_strerror)>(libc_gai_strerror,
                                                                aresolv::Forward::kOnKillSwitch))
    return libc(code);
  const char* text = "Unknown error";
  for (const Message& m : kMessages) {
    if (m.code == code) {
      text = m.text;
      break;
    }
  }
  return dcgettext("libc", text, LC_MESSAGES);
}

#include "resolver/answer_memo.h"

#include <netdb.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <atomic>

#include "resolver/recheck.h"

namespace aresolv {
namespace {

struct ThreadMemo {
  RepeatedAnswer answers[kRepeatedAnswersPerThread];
  int next_victim;
};

// Read on every recall, written only when the configuration changes: the
// cache line stays shared among the readers.
std::atomic<uint32_t> g_generation{0};

thread_local ThreadMemo* t_memo;  // freed by the key's destructor at thread exit
pthread_key_t g_memo_key;
bool g_memo_key_made;
pthread_once_t g_memo_key_once = PTHREAD_ONCE_INIT;

void free_thread_memo(void* memo) {
  free(memo);
  t_memo = nullptr;
}

void make_memo_key() { g_memo_key_made = pthread_key_create(&g_memo_key, free_thread_memo) == 0; }

int length_of(const char* text) { return text == nullptr ? -1 : static_cast<int>(strlen(text)); }

bool same_question(const RepeatedAnswer& a, const GaiQuestion& q, int node_length,
                   int service_length) {
  if (a.flags != q.flags || a.family != q.family || a.socktype != q.socktype ||
      a.protocol != q.protocol || a.node_length != node_length ||
      a.service_length != service_length)
    return false;
  const char* text = a.text;
  if (node_length > 0 && memcmp(text, q.node, static_cast<size_t>(node_length)) != 0) return false;
  text += node_length + 1;
  return service_length <= 0 || memcmp(text, q.service, static_cast<size_t>(service_length)) == 0;
}

ThreadMemo* thread_memo() {
  if (t_memo != nullptr) return t_memo;
  pthread_once(&g_memo_key_once, make_memo_key);
  if (!g_memo_key_made) return nullptr;  // could never be freed
  auto* memo = static_cast<ThreadMemo*>(calloc(1, sizeof(ThreadMemo)));
  if (memo == nullptr) return nullptr;
  if (pthread_setspecific(g_memo_key, memo) != 0) {
    free(memo);
    return nullptr;
  }
  t_memo = memo;
  return memo;
}

}  // namespace

bool answer_memo_applies(int flags) {
  return !(flags & (AI_IDN | AI_CANONIDN)) && recheck_memos_enabled();
}

const RepeatedAnswer* recall_answer(const GaiQuestion& question) {
  ThreadMemo* memo = t_memo;
  if (memo == nullptr) return nullptr;
  int node_length = length_of(question.node);
  int service_length = length_of(question.service);
  uint32_t generation = g_generation.load(std::memory_order_acquire);
  // A handful of slots: comparing the numbers first is as quick as a hash.
  for (const RepeatedAnswer& answer : memo->answers) {
    if (answer.until_ms == 0 || answer.generation != generation ||
        !same_question(answer, question, node_length, service_length))
      continue;
    long now = coarse_monotonic_ms();
    return now < answer.until_ms ? &answer : nullptr;
  }
  return nullptr;
}

void remember_answer(const GaiQuestion& question, const Address* addresses, int count,
                     const ServiceResult& services, const char* canonical_name, AnswerSource source,
                     long until_ms) {
  if (count <= 0 || count > kRepeatedAddresses) return;
  int node_length = length_of(question.node);
  int service_length = length_of(question.service);
  int canonical_length = length_of(canonical_name);
  int text_bytes = (node_length + 1) + (service_length + 1) + (canonical_length + 1);
  if (text_bytes > kRepeatedTextBytes) return;
  // The generation is read before the clock: a flush after this point makes
  // the entry stale rather than letting it outlive the flush.
  uint32_t generation = g_generation.load(std::memory_order_acquire);
  if (coarse_monotonic_ms() >= until_ms) return;
  ThreadMemo* memo = thread_memo();
  if (memo == nullptr) return;

  RepeatedAnswer* slot = nullptr;
  for (RepeatedAnswer& answer : memo->answers) {
    if (answer.until_ms != 0 && same_question(answer, question, node_length, service_length)) {
      slot = &answer;  // the same question again: replace its old answer
      break;
    }
  }
  if (slot == nullptr) {
    slot = &memo->answers[memo->next_victim];
    memo->next_victim = (memo->next_victim + 1) % kRepeatedAnswersPerThread;
  }

  slot->until_ms = until_ms;
  slot->generation = generation;
  slot->flags = question.flags;
  slot->family = question.family;
  slot->socktype = question.socktype;
  slot->protocol = question.protocol;
  slot->node_length = node_length;
  slot->service_length = service_length;
  slot->source = source;
  slot->count = count;
  memcpy(slot->addresses, addresses, sizeof *addresses * static_cast<size_t>(count));
  slot->services = services;
  char* text = slot->text;
  auto append = [&text](const char* value, int length) {
    if (length < 0) return;
    memcpy(text, value, static_cast<size_t>(length));
    text[length] = '\0';
    text += length + 1;
  };
  append(question.node, node_length);
  append(question.service, service_length);
  slot->has_canonical_name = canonical_length >= 0;
  append(canonical_name, canonical_length);
}

void forget_repeated_answers() { g_generation.fetch_add(1, std::memory_order_acq_rel); }

}  // namespace aresolv

/* The cost of starting a process that never resolves, with and without a
 * preloaded library: spawns PROGRAM (default /bin/true) many times per
 * variant, the variants interleaved round by round so that drift of the
 * machine (other load, frequency) falls on all of them alike.
 *   exec_bench [--rounds R] [--per-round K] [--program PATH]
 *              NAME=PRELOAD ...     (PRELOAD empty: no LD_PRELOAD at all)
 * Prints one line per round and variant: ROUND NAME WALL_US CPU_US, the
 * means per exec over the round of the wall clock and of the children's CPU
 * time (wait4). Rounds pair the variants in time, for paired ratios. */
#define _GNU_SOURCE
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

#define MAX_VARIANTS 8
#define MAX_ROUNDS 1000

struct variant {
  const char *name;
  char **environment;
};

static double now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

/* Our environment without LD_PRELOAD, plus the variant's. */
static char **environment_with(const char *preload) {
  size_t count = 0;
  while (environ[count]) count++;
  char **result = calloc(count + 2, sizeof *result);
  size_t used = 0;
  for (size_t i = 0; i < count; i++)
    if (strncmp(environ[i], "LD_PRELOAD=", 11) != 0) result[used++] = environ[i];
  if (preload && *preload) {
    size_t size = strlen(preload) + 12;
    result[used] = malloc(size);
    snprintf(result[used++], size, "LD_PRELOAD=%s", preload);
  }
  return result;
}

int main(int argc, char **argv) {
  int rounds = 40, per_round = 25;
  const char *program = "/bin/true";
  struct variant variants[MAX_VARIANTS];
  int count = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
      rounds = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--per-round") && i + 1 < argc)
      per_round = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--program") && i + 1 < argc)
      program = argv[++i];
    else if (strchr(argv[i], '=') && count < MAX_VARIANTS) {
      char *equals = strchr(argv[i], '=');
      *equals = '\0';
      variants[count] =
          (struct variant){.name = argv[i], .environment = environment_with(equals + 1)};
      count++;
    } else {
      fprintf(stderr, "usage: %s [--rounds R] [--per-round K] [--program P] NAME=PRELOAD...\n",
              argv[0]);
      return 2;
    }
  }
  if (count == 0 || rounds < 1 || rounds > MAX_ROUNDS || per_round < 1) {
    fprintf(stderr, "exec_bench: nothing to do\n");
    return 2;
  }
  char *child_argv[] = {(char *)program, NULL};
  for (int round = 0; round < rounds; round++) {
    for (int k = 0; k < count; k++) {
      /* Rotate the order so that no variant always follows the same one. */
      struct variant *variant = &variants[(round + k) % count];
      double start = now_us(), cpu_us = 0;
      for (int i = 0; i < per_round; i++) {
        pid_t pid;
        if (posix_spawn(&pid, program, NULL, NULL, child_argv, variant->environment) != 0) {
          perror("posix_spawn");
          return 1;
        }
        int status;
        struct rusage usage;
        if (wait4(pid, &status, 0, &usage) != pid || !WIFEXITED(status) ||
            WEXITSTATUS(status) != 0) {
          fprintf(stderr, "exec_bench: %s failed under %s\n", program, variant->name);
          return 1;
        }
        cpu_us += (double)(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e6 +
                  (double)(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
      }
      printf("%d %s %.2f %.2f\n", round, variant->name, (now_us() - start) / per_round,
             cpu_us / per_round);
    }
  }
  return 0;
}

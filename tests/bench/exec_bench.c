/* The cost of starting a process that never resolves, with and without a
 * preloaded library: runs PROGRAM (default /bin/true) many times per
 * variant, one exec of each variant in turn, so that drift of the machine
 * (other load, frequency, another guest on the host) falls on all of them
 * alike.
 *   exec_bench [--rounds R] [--per-round K] [--program PATH]
 *              NAME=PRELOAD ...     (PRELOAD empty: no LD_PRELOAD at all)
 * Prints one line per round and variant: ROUND NAME WALL_US CPU_US TASK_US,
 * the means per exec over the round of the wall clock, of the child's CPU
 * time (wait4: from the fork on) and of its task clock from the exec on (a
 * perf software counter enabled on exec, what `perf stat` counts; -1 when
 * perf events are not allowed here). Rounds pair the variants in time, for
 * paired ratios. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/perf_event.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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

/* A task-clock counter for `pid`, counting from its next exec on. */
static int task_clock_of(pid_t pid) {
  struct perf_event_attr attr;
  memset(&attr, 0, sizeof attr);
  attr.size = sizeof attr;
  attr.type = PERF_TYPE_SOFTWARE;
  attr.config = PERF_COUNT_SW_TASK_CLOCK;
  attr.disabled = 1;
  attr.enable_on_exec = 1;
  return (int)syscall(SYS_perf_event_open, &attr, pid, -1, -1, PERF_FLAG_FD_CLOEXEC);
}

/* Runs PROGRAM once; adds its wall, CPU and task-clock microseconds (the
 * last set to -1 for good once a counter could not be had). */
static int run_once(const char *program, char **argv, char **environment, double *wall_us,
                    double *cpu_us, double *task_us) {
  int gate[2];
  if (pipe2(gate, O_CLOEXEC) != 0) return -1;
  double start = now_us();
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    /* Wait until the parent has its counter on us, then become PROGRAM. */
    char go;
    close(gate[1]);
    if (read(gate[0], &go, 1) != 1) _exit(126);
    execve(program, argv, environment);
    _exit(127);
  }
  close(gate[0]);
  int counter = task_clock_of(pid);
  int released = write(gate[1], "x", 1) == 1;
  close(gate[1]);
  int status;
  struct rusage usage;
  if (wait4(pid, &status, 0, &usage) != pid || !released || !WIFEXITED(status) ||
      WEXITSTATUS(status) != 0) {
    if (counter >= 0) close(counter);
    return -1;
  }
  *wall_us += now_us() - start;
  *cpu_us += (double)(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e6 +
             (double)(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
  uint64_t nanoseconds = 0;
  if (counter >= 0 && *task_us >= 0 &&
      read(counter, &nanoseconds, sizeof nanoseconds) == (ssize_t)sizeof nanoseconds)
    *task_us += (double)nanoseconds / 1e3;
  else
    *task_us = -1;
  if (counter >= 0) close(counter);
  return 0;
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
  double wall_us[MAX_VARIANTS], cpu_us[MAX_VARIANTS], task_us[MAX_VARIANTS];
  for (int round = 0; round < rounds; round++) {
    for (int k = 0; k < count; k++) wall_us[k] = cpu_us[k] = task_us[k] = 0;
    /* One exec of each variant in turn, the order rotating: a slow spell of
     * the machine lasting a few milliseconds falls on every variant alike
     * instead of on one block of execs. */
    for (int i = 0; i < per_round; i++) {
      for (int j = 0; j < count; j++) {
        int k = (round + i + j) % count;
        if (run_once(program, child_argv, variants[k].environment, &wall_us[k], &cpu_us[k],
                     &task_us[k]) != 0) {
          fprintf(stderr, "exec_bench: %s failed under %s\n", program, variants[k].name);
          return 1;
        }
      }
    }
    for (int k = 0; k < count; k++)
      printf("%d %s %.2f %.2f %.2f\n", round, variants[k].name, wall_us[k] / per_round,
             cpu_us[k] / per_round, task_us[k] < 0 ? -1.0 : task_us[k] / per_round);
  }
  return 0;
}

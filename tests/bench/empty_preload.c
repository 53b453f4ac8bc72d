/* The baseline for the cost of preloading: a shared object with nothing to
 * do, so that the difference to libaresolv.so is what aresolv itself costs. */
int aresolv_bench_empty_preload_marker(void) { return 0; }

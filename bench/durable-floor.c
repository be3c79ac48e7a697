/* The disk's durable-commit floor, for bench/native-load.sh: how many SQLite transactions
 * per second this file system can make durable, one small INSERT each, with the settings the
 * native host opens every database with (native-harness/sqlite.cpp: WAL, synchronous=FULL)
 * and its BEGIN IMMEDIATE … COMMIT per object call. In WAL mode with synchronous=FULL every
 * COMMIT waits for an fsync of the WAL, so this is the rate a single writer that commits
 * serially can never beat: the native server commits on one thread.
 * Built against the system libsqlite3, the same library the server links.
 *   durable-floor DB_PATH SECONDS   → one JSON line on stdout
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void check(sqlite3* db, int rc, const char* what) {
  if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW) return;
  fprintf(stderr, "durable-floor: %s: %s\n", what, sqlite3_errmsg(db));
  exit(1);
}

static int compare(const void* a, const void* b) {
  const double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

/* Nearest rank, as the other benchmarks report percentiles. */
static double percentile(const double* sorted, size_t n, double p) {
  size_t rank = (size_t)(p * (double)n + 0.999999);
  if (rank < 1) rank = 1;
  if (rank > n) rank = n;
  return sorted[rank - 1];
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: durable-floor DB_PATH SECONDS\n");
    return 2;
  }
  const char* path = argv[1];
  const double seconds = atof(argv[2]);
  /* A fresh file each time: a grown WAL or database would measure something else. */
  char side[4096];
  unlink(path);
  snprintf(side, sizeof side, "%s-wal", path);
  unlink(side);
  snprintf(side, sizeof side, "%s-shm", path);
  unlink(side);

  sqlite3* db = NULL;
  check(db, sqlite3_open(path, &db), "open");
  check(db, sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", NULL, NULL, NULL), "pragmas");
  check(db, sqlite3_exec(db, "CREATE TABLE commits (seq INTEGER PRIMARY KEY, at_ns INTEGER NOT NULL, payload TEXT)",
                         NULL, NULL, NULL),
        "create");
  sqlite3_stmt *begin = NULL, *insert = NULL, *commit = NULL;
  check(db, sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &begin, NULL), "prepare begin");
  check(db, sqlite3_prepare_v2(db, "INSERT INTO commits (at_ns, payload) VALUES (?1, ?2)", -1, &insert, NULL),
        "prepare insert");
  check(db, sqlite3_prepare_v2(db, "COMMIT", -1, &commit, NULL), "prepare commit");

  size_t capacity = 1 << 16, n = 0;
  double* latencies = malloc(capacity * sizeof *latencies);
  const char payload[] = "{\"event\":\"evt_0123456789abcdef01234567\",\"kind\":\"call\"}";
  const double start = now_s();
  double elapsed = 0;
  while (elapsed < seconds) {
    const double t0 = now_s();
    check(db, sqlite3_step(begin), "begin");
    sqlite3_reset(begin);
    sqlite3_bind_int64(insert, 1, (sqlite3_int64)(t0 * 1e9));
    sqlite3_bind_text(insert, 2, payload, -1, SQLITE_STATIC);
    check(db, sqlite3_step(insert), "insert");
    sqlite3_reset(insert);
    check(db, sqlite3_step(commit), "commit");
    sqlite3_reset(commit);
    const double t1 = now_s();
    if (n == capacity) latencies = realloc(latencies, (capacity *= 2) * sizeof *latencies);
    latencies[n++] = (t1 - t0) * 1e6;
    elapsed = t1 - start;
  }
  sqlite3_finalize(begin);
  sqlite3_finalize(insert);
  sqlite3_finalize(commit);
  sqlite3_close(db);

  qsort(latencies, n, sizeof *latencies, compare);
  printf("{\"commits\":%zu,\"seconds\":%.3f,\"commits_per_s\":%.1f,\"p50_us\":%.0f,\"p99_us\":%.0f,"
         "\"max_us\":%.0f,\"sqlite\":\"%s\"}\n",
         n, elapsed, (double)n / elapsed, percentile(latencies, n, 0.50), percentile(latencies, n, 0.99),
         n > 0 ? latencies[n - 1] : 0.0, sqlite3_libversion());
  free(latencies);
  return 0;
}

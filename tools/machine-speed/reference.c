/* A fixed SQLite workload, independent of KAM: how fast this machine is at this minute. 200,000 rows into a fresh WAL
 * file with a unique key, then one index, in one transaction (the shape of an import's writes). Compare a benchmark's
 * figures only with those taken while this took about the same time. Built and run by tools/machine-speed/run. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "/tmp/kam-machine-speed.sqlite";
    char wal[4096], shm[4096];
    snprintf(wal, sizeof wal, "%s-wal", path);
    snprintf(shm, sizeof shm, "%s-shm", path);
    unlink(path), unlink(wal), unlink(shm);
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK) {
        fprintf(stderr, "machine-speed: cannot open %s: %s\n", path, sqlite3_errmsg(db));
        return 1;
    }
    char *error = NULL;
    int rc = sqlite3_exec(
        db,
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
        "CREATE TABLE t(id INTEGER PRIMARY KEY, k TEXT UNIQUE, v TEXT);"
        "BEGIN;"
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)"
        "  INSERT INTO t SELECT i, printf('key-%d-%d', i * 7919 % 200003, i), printf('value %d of the reference', i) FROM n;"
        "CREATE INDEX t_v ON t(v);"
        "COMMIT;",
        NULL, NULL, &error);
    sqlite3_close(db);
    clock_gettime(CLOCK_MONOTONIC, &end);
    unlink(path), unlink(wal), unlink(shm);
    if (rc != SQLITE_OK) {
        fprintf(stderr, "machine-speed: %s\n", error ? error : "failed");
        return 1;
    }
    printf("machine speed: the reference SQLite workload took %.3f s\n",
           (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9);
    return 0;
}

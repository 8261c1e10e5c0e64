// The SQLite floor of a CSV import: what SQLite alone spends to store one workbench row of a file with one row
// a client, with the statements, values and schema `CSVImportWriter` uses (client, contact, two activities, task,
// two memory items, one event a client; the import's deferrable indexes dropped and built again before the
// commit), prepared once and bound through the C API, with no Swift around them. Whatever the importer does
// on top, its writing thread cannot store rows faster than this; BENCHMARKS.md "CSV import" uses it.
//
// The events are appended as the import appends them (`ImportedClientEvents`): one client.imported a client by one
// INSERT ... SELECT before the commit, reading the new rows. PER_RECORD=1 appends them as the import did before
// 2026-12-04, one INSERT an event as each record is written, with its payload made by the caller.
//
//   tools/import-floor/run [ROWS] [STORE]    (builds this with cc and runs it five ways)
//   floor SCHEMA_STORE ROWS [EVENTS=1] [FOREIGN_KEYS=1] [PER_RECORD=0]
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static sqlite3 *db;

static double cpuSeconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void fail(const char *what) {
    fprintf(stderr, "floor: %s: %s\n", what, sqlite3_errmsg(db));
    exit(1);
}

static void exec(const char *sql) {
    char *error = 0;
    if (sqlite3_exec(db, sql, 0, 0, &error) != SQLITE_OK) {
        fprintf(stderr, "floor: %s: %s\n", sql, error);
        exit(1);
    }
}

static sqlite3_stmt *prepare(const char *sql) {
    sqlite3_stmt *statement;
    if (sqlite3_prepare_v2(db, sql, -1, &statement, 0) != SQLITE_OK) fail(sql);
    return statement;
}

static void step(sqlite3_stmt *statement) {
    if (sqlite3_step(statement) != SQLITE_DONE) fail("step");
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
}

static void text(sqlite3_stmt *statement, int index, const char *value) {
    sqlite3_bind_text(statement, index, value, -1, SQLITE_TRANSIENT);
}

/// Copies the tables and indexes of a KAM store (any, even empty: only its schema is read) into `db`.
static void copySchema(const char *store) {
    sqlite3 *source;
    if (sqlite3_open_v2(store, &source, SQLITE_OPEN_READONLY, 0) != SQLITE_OK) {
        fprintf(stderr, "floor: cannot open %s; give a KAM store (kam --db FILE clients list makes one)\n", store);
        exit(2);
    }
    sqlite3_stmt *schema;
    sqlite3_prepare_v2(
        source, "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid", -1, &schema,
        0);
    while (sqlite3_step(schema) == SQLITE_ROW) exec((const char *)sqlite3_column_text(schema, 0));
    sqlite3_finalize(schema);
    sqlite3_close(source);
}

static const char *deferred[][2] = {
    {"events_client", "CREATE INDEX events_client ON events(client_id, id)"},
    {"activities_on_client_time", "CREATE INDEX activities_on_client_time ON activities(client_id, occurred_at)"},
    {"activities_on_contact", "CREATE INDEX activities_on_contact ON activities(contact_id)"},
    {"tasks_pending_on_client_due",
     "CREATE INDEX tasks_pending_on_client_due ON tasks(client_id, due) WHERE status IN ('open', 'in-progress')"},
    {"clients_on_name", "CREATE INDEX clients_on_name ON clients(name COLLATE NOCASE)"},
    {"clients_on_owner", "CREATE INDEX clients_on_owner ON clients(owner_id)"},
    {"contacts_on_email", "CREATE INDEX contacts_on_email ON contacts(email)"},
};

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: floor SCHEMA_STORE ROWS [EVENTS=1] [FOREIGN_KEYS=1] [PER_RECORD=0]\n");
        return 2;
    }
    const char *path = "/tmp/kam-import-floor.sqlite";
    int rows = atoi(argv[2]), events = argc > 3 ? atoi(argv[3]) : 1, foreignKeys = argc > 4 ? atoi(argv[4]) : 1;
    int perRecord = argc > 5 ? atoi(argv[5]) : 0;
    char file[256];
    const char *suffixes[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(file, sizeof file, "%s%s", path, suffixes[i]);
        remove(file);
    }
    // KAM's process settings (SQLiteProcess): SQLite's memory statistics off, before its first connection.
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    if (sqlite3_open(path, &db) != SQLITE_OK) fail("open");
    // ClientStore's settings, and the page cache an import writes with (ClientStore.importCacheKiB).
    exec("PRAGMA journal_mode = WAL");
    exec("PRAGMA synchronous = NORMAL");
    exec("PRAGMA mmap_size = 1073741824");
    exec("PRAGMA cache_size = -512");
    exec(foreignKeys ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF");
    copySchema(argv[1]);
    exec("INSERT INTO users (id, name, email) VALUES ('lena.schmidt', 'Lena Schmidt', 'lena.schmidt@atlas.com')");

    double start = cpuSeconds();
    exec("BEGIN IMMEDIATE");
    for (size_t i = 0; i < sizeof deferred / sizeof deferred[0]; i++) {
        char drop[128];
        snprintf(drop, sizeof drop, "DROP INDEX IF EXISTS \"%s\"", deferred[i][0]);
        exec(drop);
    }
    sqlite3_stmt *client = prepare(
        "INSERT INTO clients (name, external_id, industry, tier, monthly_budget, currency, owner_id, domain, "
        "consent_ai_analysis, consent_training, lifecycle, lead_status, renewal_date, updated_at, id, created_at) "
        "VALUES (?, NULL, NULL, 'standard', NULL, 'USD', 'lena.schmidt', ?, 1, 0, 'prospect', 'contacted', NULL, 1.7e9, ?, 1.7e9)");
    sqlite3_stmt *contact = prepare(
        "INSERT INTO contacts (client_id, external_id, name, email, phone, title, role) VALUES (?, ?, ?, ?, ?, NULL, 'user') "
        "ON CONFLICT(external_id) DO NOTHING");
    sqlite3_stmt *activity = prepare(
        "INSERT INTO activities (client_id, contact_id, external_id, kind, direction, occurred_at, subject, body, sentiment) "
        "VALUES (?, ?, ?, 'note', 'internal', ?, ?, NULL, NULL) ON CONFLICT(external_id) DO NOTHING");
    sqlite3_stmt *task = prepare(
        "INSERT INTO tasks (client_id, external_id, title, due, status, priority, assignee) "
        "VALUES (?, ?, ?, 1.7e9, 'open', 'medium', 'lena.schmidt') ON CONFLICT(external_id) DO NOTHING");
    sqlite3_stmt *memory = prepare(
        "INSERT INTO client_memory (kind, value, source, confidence, updated_at, client_id, key) "
        "VALUES ('fact', ?, 'import:floor.csv', 1, 1.7e9, ?, ?) ON CONFLICT(client_id, key) DO NOTHING");
    sqlite3_stmt *event = prepare("INSERT INTO events (kind, client_id, subject_id, payload, occurred_at) VALUES (?, ?, ?, ?, ?)");

    char id[64], domain[64], key[64], value[256], subject[64], payload[512];
#define EVENT(kind, extra)                                                                                         \
    if (events && perRecord) {                                                                                                  \
        snprintf(payload, sizeof payload, "{\"client_id\":\"%s\",\"id\":\"%s\",%s}", id, subject, extra);        \
        text(event, 1, kind), text(event, 2, id), text(event, 3, subject), text(event, 4, payload);                \
        sqlite3_bind_double(event, 5, 1.7e9);                                                                      \
        step(event);                                                                                               \
    }
    for (int n = 0; n < rows; n++) {
        snprintf(id, sizeof id, "company%d", n);
        snprintf(domain, sizeof domain, "company%d.com", n);
        text(client, 1, "Company"), text(client, 2, domain), text(client, 3, id);
        step(client);
        snprintf(subject, sizeof subject, "%s", id);
        EVENT("client.created", "\"owner_id\":\"lena.schmidt\"");
        snprintf(key, sizeof key, "%08d", n + 1);
        snprintf(value, sizeof value, "person.%d@%s", n, domain);
        text(contact, 1, id), text(contact, 2, key), text(contact, 3, "Person"), text(contact, 4, value);
        text(contact, 5, "555-0001");
        step(contact);
        sqlite3_int64 contactID = sqlite3_last_insert_rowid(db);
        snprintf(subject, sizeof subject, "%lld", contactID);
        EVENT("contact.created", "\"role\":\"user\"");
        for (int a = 0; a < 2; a++) {
            snprintf(value, sizeof value, "%08d:2023-0%d-1%d:had-a-call", n + 1, a + 1, a);
            text(activity, 1, id), sqlite3_bind_int64(activity, 2, contactID), text(activity, 3, value);
            sqlite3_bind_double(activity, 4, 1.6e9 + n), text(activity, 5, "Had a call.");
            step(activity);
            snprintf(subject, sizeof subject, "%lld", sqlite3_last_insert_rowid(db));
            EVENT("activity.logged",
                  "\"contact_id\":\"1\",\"direction\":\"internal\",\"kind\":\"note\",\"occurred_at\":\"2023-01-10T00:00:00Z\"");
        }
        snprintf(value, sizeof value, "%08d:task:follow-up-with-person-%d", n + 1, n);
        text(task, 1, id), text(task, 2, value), text(task, 3, "Follow up with Person");
        step(task);
        snprintf(subject, sizeof subject, "%lld", sqlite3_last_insert_rowid(db));
        EVENT("task.created", "\"assignee\":\"lena.schmidt\",\"due\":\"2023-06-08T00:00:00Z\",\"priority\":\"medium\",\"status\":\"open\"");
        const char *keys[] = {"product-interest", "last-contact-date"};
        for (int m = 0; m < 2; m++) {
            text(memory, 1, "Software"), text(memory, 2, id), text(memory, 3, keys[m]);
            step(memory);
            snprintf(subject, sizeof subject, "%lld", sqlite3_last_insert_rowid(db));
            EVENT("memory.remembered", "\"kind\":\"fact\",\"outcome\":\"created\",\"source\":\"import\"");
        }
    }
    if (events && !perRecord) {
        // ImportedClientEvents' statement: one client.imported a client, counting its new rows of each table.
        exec("INSERT INTO events (kind, client_id, subject_id, payload, occurred_at) "
             "SELECT 'client.imported', client_id, client_id, json_object('activities', sum(n1), 'client_id', client_id, "
             "'contacts', sum(n0), 'created', json(CASE WHEN max(created) THEN 'true' ELSE 'false' END), 'deals', sum(n2), "
             "'id', client_id, 'import_id', 'imp-00000001', 'memory', sum(n5), 'orders', sum(n4), 'tasks', sum(n3)), 1.7e9 "
             "FROM (SELECT id AS client_id, 1 AS created, 0 AS n0, 0 AS n1, 0 AS n2, 0 AS n3, 0 AS n4, 0 AS n5 FROM clients WHERE rowid > 0 "
             "UNION ALL SELECT client_id, 0, 1, 0, 0, 0, 0, 0 FROM contacts WHERE id > 0 "
             "UNION ALL SELECT client_id, 0, 0, 1, 0, 0, 0, 0 FROM activities WHERE id > 0 "
             "UNION ALL SELECT client_id, 0, 0, 0, 1, 0, 0, 0 FROM deals WHERE id > 0 "
             "UNION ALL SELECT client_id, 0, 0, 0, 0, 1, 0, 0 FROM tasks WHERE id > 0 "
             "UNION ALL SELECT client_id, 0, 0, 0, 0, 0, 1, 0 FROM orders WHERE id > 0 "
             "UNION ALL SELECT client_id, 0, 0, 0, 0, 0, 0, 1 FROM client_memory WHERE id > 0) "
             "GROUP BY client_id ORDER BY client_id");
    }
    double written = cpuSeconds();
    for (size_t i = 0; i < sizeof deferred / sizeof deferred[0]; i++) exec(deferred[i][1]);
    exec("COMMIT");
    double end = cpuSeconds();
    printf("floor: %d rows, events %s, foreign keys %s: inserts %.1f us a row, indexes and commit "
           "%.1f us a row, %.0f rows per CPU second\n",
           rows, events ? (perRecord ? "one a record, one INSERT each" : "one a client, one INSERT ... SELECT") : "off", foreignKeys ? "on" : "off", (written - start) / rows * 1e6,
           (end - written) / rows * 1e6, rows / (end - start));
    return 0;
}

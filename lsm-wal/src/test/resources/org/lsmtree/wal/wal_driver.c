/*
 * Drives C++ LevelDB 1.23 through its C API for the WAL interop tests.
 *   wal_driver write DIR   applies batches read from stdin, then closes (the log keeps them)
 *   wal_driver dump DIR    opens an existing store and prints every key and value
 * stdin lines: "P <key> <value>", "D <key>", "C" (write the batch built so far); dump prints
 * "<key> <value>" lines. Bytes are hex, "." standing for empty.
 */
#include <leveldb/c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void check(char *err, const char *what) {
  if (err != NULL) {
    fprintf(stderr, "%s: %s\n", what, err);
    exit(3);
  }
}

static size_t unhex(const char *text, char *out) {
  if (strcmp(text, ".") == 0) return 0;
  size_t n = strlen(text) / 2;
  for (size_t i = 0; i < n; i++) sscanf(text + 2 * i, "%2hhx", (unsigned char *) &out[i]);
  return n;
}

static void print_hex(const char *bytes, size_t n) {
  if (n == 0) fputc('.', stdout);
  for (size_t i = 0; i < n; i++) printf("%02x", (unsigned char) bytes[i]);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: wal_driver write|dump DIR\n");
    return 2;
  }
  char *err = NULL;
  leveldb_options_t *options = leveldb_options_create();
  leveldb_options_set_write_buffer_size(options, 64 << 20);
  leveldb_options_set_create_if_missing(options, strcmp(argv[1], "write") == 0);
  leveldb_t *db = leveldb_open(options, argv[2], &err);
  check(err, "open");
  if (strcmp(argv[1], "write") == 0) {
    leveldb_writeoptions_t *write_options = leveldb_writeoptions_create();
    leveldb_writebatch_t *batch = leveldb_writebatch_create();
    static char line[1 << 20], key[1 << 19], value[1 << 19];
    char op[4], key_hex[1 << 19], value_hex[1 << 19];
    while (fgets(line, sizeof line, stdin) != NULL) {
      if (line[0] == 'C') {
        leveldb_write(db, write_options, batch, &err);
        check(err, "write");
        leveldb_writebatch_clear(batch);
      } else if (line[0] == 'P' && sscanf(line, "%3s %s %s", op, key_hex, value_hex) == 3) {
        size_t k = unhex(key_hex, key), v = unhex(value_hex, value);
        leveldb_writebatch_put(batch, key, k, value, v);
      } else if (line[0] == 'D' && sscanf(line, "%3s %s", op, key_hex) == 2) {
        leveldb_writebatch_delete(batch, key, unhex(key_hex, key));
      } else {
        fprintf(stderr, "bad line: %s", line);
        return 2;
      }
    }
    leveldb_writebatch_destroy(batch);
    leveldb_writeoptions_destroy(write_options);
  } else {
    leveldb_readoptions_t *read_options = leveldb_readoptions_create();
    leveldb_iterator_t *it = leveldb_create_iterator(db, read_options);
    for (leveldb_iter_seek_to_first(it); leveldb_iter_valid(it); leveldb_iter_next(it)) {
      size_t k, v;
      const char *key = leveldb_iter_key(it, &k);
      const char *value = leveldb_iter_value(it, &v);
      print_hex(key, k);
      fputc(' ', stdout);
      print_hex(value, v);
      fputc('\n', stdout);
    }
    leveldb_iter_get_error(it, &err);
    check(err, "iterate");
    leveldb_iter_destroy(it);
    leveldb_readoptions_destroy(read_options);
  }
  leveldb_close(db);
  leveldb_options_destroy(options);
  return 0;
}

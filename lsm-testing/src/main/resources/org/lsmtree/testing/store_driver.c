/*
 * Drives C++ LevelDB 1.23 through its C API for the interop tests of whole stores.
 *   store_driver load DIR [WRITE_BUFFER_BYTES]
 *                            creates a store with a 64 KiB write buffer (or the one given) and
 *                            applies stdin lines "P <key> <value>" and "D <key>" one write each;
 *                            "C" compacts everything; "F" only flushes the memtable (a compaction
 *                            of an empty range past every key), so that with a buffer no load
 *                            fills, the files come out the same on every run; the last lines stay
 *                            in the WAL
 *   store_driver dump DIR     opens an existing store and prints "<key> <value>" for every entry
 * Bytes are hex, "." standing for empty.
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
  if (argc != 3 && !(argc == 4 && strcmp(argv[1], "load") == 0)) {
    fprintf(stderr, "usage: store_driver load DIR [WRITE_BUFFER_BYTES] | dump DIR\n");
    return 2;
  }
  int load = strcmp(argv[1], "load") == 0;
  char *err = NULL;
  leveldb_options_t *options = leveldb_options_create();
  leveldb_options_set_create_if_missing(options, load);
  leveldb_options_set_write_buffer_size(options, argc == 4 ? (size_t) atol(argv[3]) : 64 << 10);
  leveldb_options_set_paranoid_checks(options, 1);
  leveldb_t *db = leveldb_open(options, argv[2], &err);
  check(err, "open");
  if (load) {
    leveldb_writeoptions_t *write_options = leveldb_writeoptions_create();
    static char line[1 << 16], key[1 << 15], value[1 << 15], key_hex[1 << 16], value_hex[1 << 16];
    char op[4];
    while (fgets(line, sizeof line, stdin) != NULL) {
      if (line[0] == 'C') {
        leveldb_compact_range(db, NULL, 0, NULL, 0);
      } else if (line[0] == 'F') {
        static const char past[] = "\xff\xff\xff\xff\xff\xff\xff\xff\xff";
        leveldb_compact_range(db, past, 8, past, 9);
      } else if (line[0] == 'P' && sscanf(line, "%3s %s %s", op, key_hex, value_hex) == 3) {
        size_t k = unhex(key_hex, key), v = unhex(value_hex, value);
        leveldb_put(db, write_options, key, k, value, v, &err);
        check(err, "put");
      } else if (line[0] == 'D' && sscanf(line, "%3s %s", op, key_hex) == 2) {
        leveldb_delete(db, write_options, key, unhex(key_hex, key), &err);
        check(err, "delete");
      } else {
        fprintf(stderr, "bad line: %s", line);
        return 2;
      }
    }
    leveldb_writeoptions_destroy(write_options);
  } else {
    leveldb_readoptions_t *read_options = leveldb_readoptions_create();
    leveldb_readoptions_set_verify_checksums(read_options, 1);
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

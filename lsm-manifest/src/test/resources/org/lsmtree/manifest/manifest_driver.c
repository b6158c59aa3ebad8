/*
 * Drives C++ LevelDB 1.23 through its C API for the MANIFEST interop tests.
 *   manifest_driver make DIR : builds a store with a small write buffer, flushes and compactions,
 *                              then prints the "leveldb.sstables" property (files per level).
 *   manifest_driver open DIR : opens an existing store (create_if_missing off), writes and reads
 *                              a key back, prints "ok".
 */
#include <leveldb/c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void check(char* err, const char* what) {
  if (err != NULL) {
    fprintf(stderr, "%s: %s\n", what, err);
    exit(2);
  }
}

static void put(leveldb_t* db, leveldb_writeoptions_t* w, const char* key, const char* value) {
  char* err = NULL;
  leveldb_put(db, w, key, strlen(key), value, strlen(value), &err);
  check(err, "put");
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: manifest_driver make|open DIR\n");
    return 1;
  }
  int make = strcmp(argv[1], "make") == 0;
  char* err = NULL;
  leveldb_options_t* options = leveldb_options_create();
  leveldb_options_set_create_if_missing(options, make);
  leveldb_options_set_write_buffer_size(options, 16 * 1024);
  leveldb_options_set_compression(options, leveldb_no_compression);
  leveldb_t* db = leveldb_open(options, argv[2], &err);
  check(err, "open");
  leveldb_writeoptions_t* w = leveldb_writeoptions_create();
  leveldb_readoptions_t* r = leveldb_readoptions_create();
  char key[32];
  char value[101];
  memset(value, 'v', 100);
  value[100] = 0;
  if (make) {
    for (int round = 0; round < 4; round++) {
      for (int i = round; i < 2000; i += 3) {
        snprintf(key, sizeof key, "key%05d", i);
        put(db, w, key, value);
      }
      if (round == 1) {
        leveldb_compact_range(db, "key00000", 8, "key00700", 8);
      }
    }
    leveldb_compact_range(db, NULL, 0, NULL, 0);
    for (int i = 0; i < 300; i++) {
      snprintf(key, sizeof key, "late%04d", i);
      put(db, w, key, value);
    }
    leveldb_compact_range(db, "late0000", 8, "late0299", 8);
    char* files = leveldb_property_value(db, "leveldb.sstables");
    printf("%s", files);
    leveldb_free(files);
  } else {
    put(db, w, "hello", "world");
    size_t length = 0;
    char* got = leveldb_get(db, r, "hello", 5, &length, &err);
    check(err, "get");
    if (got == NULL || length != 5 || memcmp(got, "world", 5) != 0) {
      fprintf(stderr, "read back the wrong value\n");
      return 3;
    }
    leveldb_free(got);
    printf("ok\n");
  }
  leveldb_close(db);
  leveldb_writeoptions_destroy(w);
  leveldb_readoptions_destroy(r);
  leveldb_options_destroy(options);
  return 0;
}

/* Writes the C++ LevelDB 1.23 fixture store of lsm-cli's golden tests (see FixtureGenerator):
 * 10-bit bloom filters, Snappy, a 4 KiB write buffer so that tables are written, 120 puts and
 * 20 deletes, a full compaction, then 5 puts left in the log. Usage: fixture_driver <dir>. */
#include <leveldb/c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void check(char *err, const char *what) {
  if (err != NULL) {
    fprintf(stderr, "%s: %s\n", what, err);
    exit(1);
  }
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: fixture_driver <dir>\n");
    return 2;
  }
  char *err = NULL;
  leveldb_options_t *options = leveldb_options_create();
  leveldb_options_set_create_if_missing(options, 1);
  leveldb_options_set_write_buffer_size(options, 4096);
  leveldb_options_set_compression(options, leveldb_snappy_compression);
  leveldb_filterpolicy_t *bloom = leveldb_filterpolicy_create_bloom(10);
  leveldb_options_set_filter_policy(options, bloom);
  leveldb_t *db = leveldb_open(options, argv[1], &err);
  check(err, "open");
  leveldb_writeoptions_t *sync = leveldb_writeoptions_create();
  leveldb_writeoptions_set_sync(sync, 1);
  char key[32], value[64];
  for (int i = 0; i < 120; i++) {
    snprintf(key, sizeof key, "key%03d", i);
    snprintf(value, sizeof value, "value %d of the C++ store, padded to compress well well well", i);
    leveldb_put(db, sync, key, strlen(key), value, strlen(value), &err);
    check(err, "put");
  }
  for (int i = 0; i < 120; i += 6) {
    snprintf(key, sizeof key, "key%03d", i);
    leveldb_delete(db, sync, key, strlen(key), &err);
    check(err, "delete");
  }
  leveldb_compact_range(db, NULL, 0, NULL, 0);
  const char binary_key[] = {0x00, 0x01, (char) 0xfe, (char) 0xff};
  const char binary_value[] = {(char) 0xde, (char) 0xad, (char) 0xbe, (char) 0xef};
  leveldb_put(db, sync, binary_key, sizeof binary_key, binary_value, sizeof binary_value, &err);
  check(err, "put binary");
  leveldb_writebatch_t *batch = leveldb_writebatch_create();
  leveldb_writebatch_put(batch, "batch a", 7, "1", 1);
  leveldb_writebatch_put(batch, "batch b", 7, "", 0);
  leveldb_writebatch_delete(batch, "key001", 6);
  leveldb_write(db, sync, batch, &err);
  check(err, "write batch");
  leveldb_put(db, sync, "last", 4, "written before close", 20, &err);
  check(err, "put last");
  leveldb_writebatch_destroy(batch);
  leveldb_close(db);
  leveldb_writeoptions_destroy(sync);
  leveldb_options_destroy(options);
  leveldb_filterpolicy_destroy(bloom);
  return 0;
}

/* Prints the linked LevelDB's version, to prove the native harness compiles and runs drivers. */
#include <stdio.h>
#include <leveldb/c.h>

int main(void) {
  printf("%d.%d\n", leveldb_major_version(), leveldb_minor_version());
  return 0;
}

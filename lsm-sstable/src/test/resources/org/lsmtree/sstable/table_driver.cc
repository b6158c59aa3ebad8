// Drives C++ LevelDB 1.23's public table API for lsm-sstable's interop tests.
//   write FILE BITS none|snappy BLOCK_SIZE RESTART_INTERVAL  < "hexkey hexvalue" lines: builds a table
//   read FILE BITS                                           prints "hexkey hexvalue" per entry
//   filter BITS                    < hexkey lines            prints the bloom filter of the keys, hex
//   match BITS FILTER_HEX          < hexkey lines            prints 1 or 0 per key
//   db DIR COUNT                                             writes a store with bloom 10 + Snappy, compacts it
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <leveldb/db.h>
#include <leveldb/env.h>
#include <leveldb/filter_policy.h>
#include <leveldb/iterator.h>
#include <leveldb/options.h>
#include <leveldb/table.h>
#include <leveldb/table_builder.h>

static std::string FromHex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

static std::string ToHex(const leveldb::Slice& s) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < s.size(); i++) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 15]);
  }
  return out;
}

static void Check(const leveldb::Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, s.ToString().c_str());
    std::exit(2);
  }
}

static int Write(const char* file, int bits, const std::string& compression, int blockSize, int restart) {
  leveldb::Options options;
  std::unique_ptr<const leveldb::FilterPolicy> policy(bits > 0 ? leveldb::NewBloomFilterPolicy(bits) : nullptr);
  options.filter_policy = policy.get();
  options.compression = compression == "snappy" ? leveldb::kSnappyCompression : leveldb::kNoCompression;
  options.block_size = blockSize;
  options.block_restart_interval = restart;
  leveldb::WritableFile* out;
  Check(leveldb::Env::Default()->NewWritableFile(file, &out), "create");
  leveldb::TableBuilder builder(options, out);
  std::string line;
  while (std::getline(std::cin, line)) {
    size_t space = line.find(' ');
    builder.Add(FromHex(line.substr(0, space)), FromHex(line.substr(space + 1)));
    Check(builder.status(), "add");
  }
  Check(builder.Finish(), "finish");
  Check(out->Sync(), "sync");
  Check(out->Close(), "close");
  delete out;
  std::printf("%llu\n", static_cast<unsigned long long>(builder.FileSize()));
  return 0;
}

static int Read(const char* file, int bits) {
  leveldb::Options options;
  options.paranoid_checks = true;
  std::unique_ptr<const leveldb::FilterPolicy> policy(bits > 0 ? leveldb::NewBloomFilterPolicy(bits) : nullptr);
  options.filter_policy = policy.get();
  uint64_t size;
  Check(leveldb::Env::Default()->GetFileSize(file, &size), "size");
  leveldb::RandomAccessFile* in;
  Check(leveldb::Env::Default()->NewRandomAccessFile(file, &in), "open");
  leveldb::Table* table;
  Check(leveldb::Table::Open(options, in, size, &table), "table");
  leveldb::ReadOptions read;
  read.verify_checksums = true;
  leveldb::Iterator* it = table->NewIterator(read);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    std::printf("%s %s\n", ToHex(it->key()).c_str(), ToHex(it->value()).c_str());
  }
  Check(it->status(), "iterate");
  delete it;
  delete table;
  delete in;
  return 0;
}

static std::vector<std::string> ReadKeys() {
  std::vector<std::string> keys;
  std::string line;
  while (std::getline(std::cin, line)) {
    keys.push_back(FromHex(line));
  }
  return keys;
}

static int Filter(int bits) {
  std::unique_ptr<const leveldb::FilterPolicy> policy(leveldb::NewBloomFilterPolicy(bits));
  std::vector<std::string> keys = ReadKeys();
  std::vector<leveldb::Slice> slices(keys.begin(), keys.end());
  std::string filter;
  policy->CreateFilter(slices.data(), static_cast<int>(slices.size()), &filter);
  std::printf("%s\n", ToHex(filter).c_str());
  return 0;
}

static int Match(int bits, const std::string& filterHex) {
  std::unique_ptr<const leveldb::FilterPolicy> policy(leveldb::NewBloomFilterPolicy(bits));
  std::string filter = FromHex(filterHex);
  for (const std::string& key : ReadKeys()) {
    std::printf("%d\n", policy->KeyMayMatch(key, filter) ? 1 : 0);
  }
  return 0;
}

static int Db(const char* dir, int count) {
  leveldb::Options options;
  options.create_if_missing = true;
  options.error_if_exists = true;
  std::unique_ptr<const leveldb::FilterPolicy> policy(leveldb::NewBloomFilterPolicy(10));
  options.filter_policy = policy.get();
  options.compression = leveldb::kSnappyCompression;
  options.write_buffer_size = 64 * 1024;
  leveldb::DB* db;
  Check(leveldb::DB::Open(options, dir, &db), "open db");
  char key[32];
  for (int i = 0; i < count; i++) {
    std::snprintf(key, sizeof key, "key%06d", i);
    Check(db->Put(leveldb::WriteOptions(), key, std::string("value") + std::to_string(i) + std::string(40, 'x')), "put");
  }
  for (int i = 0; i < count; i += 7) {
    std::snprintf(key, sizeof key, "key%06d", i);
    Check(db->Delete(leveldb::WriteOptions(), key), "delete");
  }
  db->CompactRange(nullptr, nullptr);
  delete db;
  return 0;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: table_driver write|read|filter|match|db ...\n");
    return 1;
  }
  std::string verb = argv[1];
  if (verb == "write" && argc == 7) {
    return Write(argv[2], std::atoi(argv[3]), argv[4], std::atoi(argv[5]), std::atoi(argv[6]));
  }
  if (verb == "read" && argc == 4) {
    return Read(argv[2], std::atoi(argv[3]));
  }
  if (verb == "filter" && argc == 3) {
    return Filter(std::atoi(argv[2]));
  }
  if (verb == "match" && argc == 4) {
    return Match(std::atoi(argv[2]), argv[3]);
  }
  if (verb == "db" && argc == 4) {
    return Db(argv[2], std::atoi(argv[3]));
  }
  std::fprintf(stderr, "bad arguments\n");
  return 1;
}

package org.lsmtree.sstable;

/**
 * One entry of a table: a key and its value, both arrays the receiver owns (fresh copies, never
 * shared with the reader).
 */
public record TableEntry(byte[] key, byte[] value) {}

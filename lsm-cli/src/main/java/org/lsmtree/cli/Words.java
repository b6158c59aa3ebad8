package org.lsmtree.cli;

/** Counts in words for the text output: {@code 1 entry}, {@code 2 entries}. Stateless. */
final class Words {
    private Words() {}

    static String count(long n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }
}

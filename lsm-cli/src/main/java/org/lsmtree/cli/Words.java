package org.lsmtree.cli;

/** Counts in words for the text output ({@code 1 entry}, {@code 2 entries}), and long text cut. Stateless. */
final class Words {
    private Words() {}

    /** {@code text} when at most {@code max} characters, else its start and how much was left out. */
    static String cut(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        return text.substring(0, max) + "... (" + (text.length() - max) + " more characters)";
    }

    static String count(long n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }
}

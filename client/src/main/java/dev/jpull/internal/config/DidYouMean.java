package dev.jpull.internal.config;

import java.util.Collection;
import java.util.Locale;

/**
 * "Did you mean" for a misspelt key or value: the closest candidate within a small edit distance (letter case,
 * {@code -}/{@code _} and a plural {@code s} count as nothing), or none.
 */
public final class DidYouMean {
    private DidYouMean() {
    }

    /** The closest of {@code candidates} to {@code word}, or null when none is close enough. */
    public static String closest(String word, Collection<String> candidates) {
        String w = fold(word);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            String f = fold(c);
            int d = distance(w, f);
            if (w.equals(f + "s") || f.equals(w + "s") || w.equals(f)) {
                d = 0;
            }
            int limit = Math.min(f.length(), w.length()) <= 4 ? 1 : 2;
            if ((d <= limit || f.startsWith(w) && w.length() >= 3 || w.startsWith(f) && f.length() >= 3)
                    && d < bestDistance && !c.equals(word)) {
                best = c;
                bestDistance = d;
            }
        }
        return best;
    }

    /** {@code "; did you mean 'X'?"} for the closest candidate, or {@code ""}. */
    public static String hint(String word, Collection<String> candidates) {
        String c = closest(word, candidates);
        return c == null ? "" : "; did you mean '" + c + "'?";
    }

    private static String fold(String s) {
        return s.toLowerCase(Locale.ROOT).replace('-', '_');
    }

    /** Levenshtein distance with adjacent transpositions (optimal string alignment). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}

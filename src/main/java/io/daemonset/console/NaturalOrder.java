package io.daemonset.console;

import java.util.Comparator;

/** node-2 before node-10: runs of digits compare by value, everything else by character. */
final class NaturalOrder implements Comparator<String> {
  static final NaturalOrder INSTANCE = new NaturalOrder();

  @Override
  public int compare(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      char ca = a.charAt(i);
      char cb = b.charAt(j);
      if (Character.isDigit(ca) && Character.isDigit(cb)) {
        // compare the two runs of digits by value without allocating: this runs ~60,000 times to sort 5,000 nodes
        int si = skipZeros(a, i);
        int sj = skipZeros(b, j);
        while (i < a.length() && Character.isDigit(a.charAt(i))) {
          i++;
        }
        while (j < b.length() && Character.isDigit(b.charAt(j))) {
          j++;
        }
        int byLength = Integer.compare(i - si, j - sj);
        if (byLength != 0) {
          return byLength;
        }
        for (int k = 0; k < i - si; k++) {
          int byDigit = Character.compare(a.charAt(si + k), b.charAt(sj + k));
          if (byDigit != 0) {
            return byDigit;
          }
        }
      } else {
        if (ca != cb) {
          return Character.compare(ca, cb);
        }
        i++;
        j++;
      }
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  /** Where a run of digits starting at start has its first significant digit (its last digit when all are 0). */
  private static int skipZeros(String s, int start) {
    int at = start;
    while (at + 1 < s.length() && s.charAt(at) == '0' && Character.isDigit(s.charAt(at + 1))) {
      at++;
    }
    return at;
  }
}

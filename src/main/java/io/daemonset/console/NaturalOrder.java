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
        int si = i;
        int sj = j;
        while (i < a.length() && Character.isDigit(a.charAt(i))) {
          i++;
        }
        while (j < b.length() && Character.isDigit(b.charAt(j))) {
          j++;
        }
        String da = a.substring(si, i).replaceFirst("^0+(?=.)", "");
        String db = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
        int byLength = Integer.compare(da.length(), db.length());
        int byDigits = byLength != 0 ? byLength : da.compareTo(db);
        if (byDigits != 0) {
          return byDigits;
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
}

package io.daemonset.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits a label selector query into tokens exactly as upstream's {@code labels.Lexer} does: whitespace separates,
 * the characters {@code = ! ( ) , > <} form the longest operator they can, {@code in} and {@code notin} are
 * keywords, and anything else is part of an identifier (so {@code ||} and {@code ~} are identifiers).
 */
final class SelectorLexer {

  enum Type { ERROR, EOS, CLOSED_PAR, COMMA, DOES_NOT_EXIST, DOUBLE_EQUALS, EQUALS, GREATER_THAN, IDENTIFIER, IN,
    LESS_THAN, NOT_EQUALS, NOT_IN, OPEN_PAR }

  /** A token, its text and the offset where it starts (for error messages). */
  record Token(Type type, String literal, int position) {}

  private static final Map<String, Type> KEYWORDS = Map.ofEntries(
      Map.entry(")", Type.CLOSED_PAR), Map.entry(",", Type.COMMA), Map.entry("!", Type.DOES_NOT_EXIST),
      Map.entry("==", Type.DOUBLE_EQUALS), Map.entry("=", Type.EQUALS), Map.entry(">", Type.GREATER_THAN),
      Map.entry("in", Type.IN), Map.entry("<", Type.LESS_THAN), Map.entry("!=", Type.NOT_EQUALS),
      Map.entry("notin", Type.NOT_IN), Map.entry("(", Type.OPEN_PAR));

  private SelectorLexer() {}

  /** All tokens of the query, always ending with one EOS token. */
  static List<Token> tokens(String query) {
    List<Token> tokens = new ArrayList<>();
    int pos = 0;
    int n = query.length();
    while (true) {
      while (pos < n && isWhitespace(query.charAt(pos))) {
        pos++;
      }
      if (pos >= n) {
        tokens.add(new Token(Type.EOS, "", n));
        return tokens;
      }
      int start = pos;
      if (isSpecial(query.charAt(pos))) {
        // Longest special-symbol sequence that is a known operator: "!=" beats "!", "==" beats "=".
        Type best = null;
        int bestEnd = pos;
        int end = pos;
        while (end < n && isSpecial(query.charAt(end))) {
          end++;
          Type t = KEYWORDS.get(query.substring(pos, end));
          if (t != null) {
            best = t;
            bestEnd = end;
          } else if (best != null) {
            break;
          }
        }
        if (best == null) {
          tokens.add(new Token(Type.ERROR, "error expected: keyword found '" + query.substring(pos, end) + "'", start));
          pos = end;
        } else {
          tokens.add(new Token(best, query.substring(pos, bestEnd), start));
          pos = bestEnd;
        }
      } else {
        while (pos < n && !isSpecial(query.charAt(pos)) && !isWhitespace(query.charAt(pos))) {
          pos++;
        }
        String word = query.substring(start, pos);
        tokens.add(new Token(KEYWORDS.getOrDefault(word, Type.IDENTIFIER), word, start));
      }
    }
  }

  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  private static boolean isSpecial(char c) {
    return c == '=' || c == '!' || c == '(' || c == ')' || c == ',' || c == '>' || c == '<';
  }
}

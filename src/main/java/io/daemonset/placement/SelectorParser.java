package io.daemonset.placement;

import io.daemonset.placement.Requirement.Operator;
import io.daemonset.placement.SelectorLexer.Token;
import io.daemonset.placement.SelectorLexer.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Recursive-descent parser for label selector queries, a port of upstream's {@code labels.Parser}: the grammar,
 * what it accepts and the wording of its errors are upstream's. Grammar:
 * <pre>
 *   selector     := [requirement (',' requirement)*]
 *   requirement  := ['!'] KEY | KEY op VALUE | KEY ('in'|'notin') '(' [VALUE (',' VALUE)*] ')'
 *   op           := '=' | '==' | '!=' | '>' | '<'
 * </pre>
 * Inside a value position the keywords {@code in} and {@code notin} are ordinary identifiers ({@code notin=in}).
 */
final class SelectorParser {

  private static final String BINARY_OPERATORS = "in, notin, =, ==, !=, gt, lt";

  private final List<Token> tokens;
  private int index;

  private SelectorParser(String query) {
    this.tokens = SelectorLexer.tokens(query);
  }

  /** The requirements of the query, sorted by key (stable), as upstream sorts them for a deterministic form. */
  static List<Requirement> parse(String query) {
    List<Requirement> requirements = new SelectorParser(query).requirements();
    requirements.sort(Comparator.comparing(Requirement::key));
    return requirements;
  }

  private List<Requirement> requirements() {
    List<Requirement> out = new ArrayList<>();
    while (true) {
      Token next = lookahead(true);
      switch (next.type()) {
        case IDENTIFIER, DOES_NOT_EXIST -> {
          out.add(requirement());
          Token after = consume(true);
          if (after.type() == Type.EOS) {
            return out;
          }
          if (after.type() != Type.COMMA) {
            throw error("found '" + after.literal() + "', expected: ',' or 'end of string'", after);
          }
          Token t2 = lookahead(true);
          if (t2.type() != Type.IDENTIFIER && t2.type() != Type.DOES_NOT_EXIST) {
            throw error("found '" + t2.literal() + "', expected: identifier after ','", t2);
          }
        }
        case EOS -> {
          return out;
        }
        default -> throw error("found '" + next.literal() + "', expected: !, identifier, or 'end of string'", next);
      }
    }
  }

  // Errors inside one requirement carry upstream's "unable to parse requirement: " prefix.
  private Requirement requirement() {
    try {
      return requirementBody();
    } catch (RequirementSyntax e) {
      throw new SelectorParseException("unable to parse requirement: " + e.getMessage(), e.position);
    }
  }

  private Requirement requirementBody() {
    Token first = consume(true);
    boolean negated = first.type() == Type.DOES_NOT_EXIST;
    Token keyToken = negated ? consume(true) : first;
    if (keyToken.type() != Type.IDENTIFIER) {
      throw new RequirementSyntax("found '" + keyToken.literal() + "', expected: identifier", keyToken.position());
    }
    String key = keyToken.literal();
    List<String> keyErrors = LabelSyntax.keyErrors(key);
    if (!keyErrors.isEmpty()) {
      throw new RequirementSyntax("key: Invalid value: \"" + key + "\": " + String.join("; ", keyErrors),
          keyToken.position());
    }
    Type following = lookahead(true).type();
    if (following == Type.EOS || following == Type.COMMA || negated) {
      // "!key" is DoesNotExist even when something follows; the caller then rejects what follows.
      return build(key, negated ? Operator.DOES_NOT_EXIST : Operator.EXISTS, List.of(), keyToken);
    }
    Token opToken = consume(false);
    Operator op = switch (opToken.type()) {
      case IN -> Operator.IN;
      case NOT_IN -> Operator.NOT_IN;
      case EQUALS -> Operator.EQUALS;
      case DOUBLE_EQUALS -> Operator.DOUBLE_EQUALS;
      case NOT_EQUALS -> Operator.NOT_EQUALS;
      case GREATER_THAN -> Operator.GREATER_THAN;
      case LESS_THAN -> Operator.LESS_THAN;
      default -> throw new RequirementSyntax(
          "found '" + opToken.literal() + "', expected: " + BINARY_OPERATORS, opToken.position());
    };
    List<String> values = (op == Operator.IN || op == Operator.NOT_IN) ? valueSet() : exactValue();
    return build(key, op, values, keyToken);
  }

  private Requirement build(String key, Operator op, List<String> values, Token at) {
    List<String> problems = Requirement.problems(key, op, values);
    if (!problems.isEmpty()) {
      throw new RequirementSyntax(String.join("; ", problems), at.position());
    }
    return new Requirement(key, op, values);
  }

  // '(' [value (',' value)*] ')' where empty slots are the empty value: "()" = {""}, "(a,)" = {"a",""}.
  private List<String> valueSet() {
    Token open = consume(true);
    if (open.type() != Type.OPEN_PAR) {
      throw new RequirementSyntax("found '" + open.literal() + "' expected: '('", open.position());
    }
    Token next = lookahead(true);
    switch (next.type()) {
      case CLOSED_PAR -> {
        consume(true);
        return List.of("");
      }
      case IDENTIFIER, COMMA -> {
        List<String> values = identifiers();
        Token close = consume(true);
        if (close.type() != Type.CLOSED_PAR) {
          throw new RequirementSyntax("found '" + close.literal() + "', expected: ')'", close.position());
        }
        return values;
      }
      default -> throw new RequirementSyntax(
          "found '" + next.literal() + "', expected: ',', ')' or identifier", next.position());
    }
  }

  private List<String> identifiers() {
    TreeSet<String> values = new TreeSet<>();
    while (true) {
      Token t = consume(true);
      switch (t.type()) {
        case IDENTIFIER -> {
          values.add(t.literal());
          Token t2 = lookahead(true);
          if (t2.type() == Type.CLOSED_PAR) {
            return new ArrayList<>(values);
          }
          if (t2.type() != Type.COMMA) {
            throw new RequirementSyntax("found '" + t2.literal() + "', expected: ',' or ')'", t2.position());
          }
        }
        case COMMA -> {
          if (values.isEmpty()) {
            values.add("");
          }
          Type t2 = lookahead(true).type();
          if (t2 == Type.CLOSED_PAR) {
            values.add("");
            return new ArrayList<>(values);
          }
          if (t2 == Type.COMMA) {
            consume(true);
            values.add("");
          }
        }
        default -> throw new RequirementSyntax(
            "found '" + t.literal() + "', expected: ',', or identifier", t.position());
      }
    }
  }

  // After '=', '==', '!=', '>' or '<': one identifier, or nothing at all (the empty value, as in "x=").
  private List<String> exactValue() {
    Type next = lookahead(true).type();
    if (next == Type.EOS || next == Type.COMMA) {
      return List.of("");
    }
    Token t = consume(true);
    if (t.type() == Type.IDENTIFIER) {
      return List.of(t.literal());
    }
    throw new RequirementSyntax("found '" + t.literal() + "', expected: identifier", t.position());
  }

  private Token lookahead(boolean values) {
    return inContext(tokens.get(index), values);
  }

  private Token consume(boolean values) {
    Token t = tokens.get(index);
    if (index < tokens.size() - 1) {
      index++;
    }
    return inContext(t, values);
  }

  // In a value context the keywords "in" and "notin" are plain identifiers.
  private static Token inContext(Token t, boolean values) {
    if (values && (t.type() == Type.IN || t.type() == Type.NOT_IN)) {
      return new Token(Type.IDENTIFIER, t.literal(), t.position());
    }
    return t;
  }

  private static SelectorParseException error(String message, Token at) {
    return new SelectorParseException(message, at.position());
  }

  /** A syntax problem inside one requirement; turned into a prefixed SelectorParseException by the caller. */
  private static final class RequirementSyntax extends RuntimeException {
    final int position;

    RequirementSyntax(String message, int position) {
      super(message, null, false, false);
      this.position = position;
    }
  }
}

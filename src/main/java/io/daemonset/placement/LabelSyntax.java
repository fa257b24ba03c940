package io.daemonset.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Label key and value syntax, as upstream's {@code validation.IsQualifiedName} and
 * {@code validation.IsValidLabelValue} check it. Each method returns the problems found (empty = valid), worded
 * like upstream so that messages match what a Kubernetes API server answers.
 */
public final class LabelSyntax {

  private static final String QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
  private static final Pattern QUALIFIED_NAME = Pattern.compile(QUALIFIED_NAME_FMT);
  private static final String QUALIFIED_NAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must "
      + "start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
      + "validation is '" + QUALIFIED_NAME_FMT + "')";
  private static final String LABEL_VALUE_FMT = "(" + QUALIFIED_NAME_FMT + ")?";
  private static final Pattern LABEL_VALUE = Pattern.compile(LABEL_VALUE_FMT);
  private static final String DNS1123_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final String DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL + "(\\." + DNS1123_LABEL + ")*";
  private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(DNS1123_SUBDOMAIN_FMT);

  private LabelSyntax() {}

  /** Problems with a label key: an optional DNS subdomain prefix and '/', then a name of at most 63 characters. */
  public static List<String> keyErrors(String key) {
    List<String> errors = new ArrayList<>();
    String[] parts = key.split("/", -1);
    String name;
    if (parts.length == 1) {
      name = parts[0];
    } else if (parts.length == 2) {
      String prefix = parts[0];
      name = parts[1];
      if (prefix.isEmpty()) {
        errors.add("prefix part must be non-empty");
      } else {
        for (String e : dnsSubdomainErrors(prefix)) {
          errors.add("prefix part " + e);
        }
      }
    } else {
      errors.add("a qualified name " + QUALIFIED_NAME_MSG
          + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
      return errors;
    }
    if (name.isEmpty()) {
      errors.add("name part must be non-empty");
    } else if (name.length() > 63) {
      errors.add("name part must be no more than 63 characters");
    }
    if (!QUALIFIED_NAME.matcher(name).matches()) {
      errors.add("name part " + QUALIFIED_NAME_MSG);
    }
    return errors;
  }

  /** Problems with a label value: empty, or at most 63 alphanumerics, '-', '_', '.' starting and ending alphanumeric. */
  public static List<String> valueErrors(String value) {
    List<String> errors = new ArrayList<>();
    if (value.length() > 63) {
      errors.add("must be no more than 63 characters");
    }
    if (!LABEL_VALUE.matcher(value).matches()) {
      errors.add("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and "
          + "must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex "
          + "used for validation is '" + LABEL_VALUE_FMT + "')");
    }
    return errors;
  }

  private static List<String> dnsSubdomainErrors(String value) {
    List<String> errors = new ArrayList<>();
    if (value.length() > 253) {
      errors.add("must be no more than 253 characters");
    }
    if (!DNS1123_SUBDOMAIN.matcher(value).matches()) {
      errors.add("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and "
          + "must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '"
          + DNS1123_SUBDOMAIN_FMT + "')");
    }
    return errors;
  }
}

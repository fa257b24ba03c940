package io.daemonset.model;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * upstream's format checks (k8s.io/apimachinery validation and validate/content), with their exact messages. Each
 * returns the list of broken rules; empty means valid.
 */
public final class NameRules {
  private static final String DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final String DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*";
  private static final String LABEL_KEY_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
  private static final String LABEL_VALUE_FMT = "(" + LABEL_KEY_FMT + ")?";
  private static final String PERCENT_FMT = "[0-9]+%";
  private static final String ENV_VAR_NAME_FMT = "[-._a-zA-Z][-._a-zA-Z0-9]*";
  private static final String HTTP_HEADER_NAME_FMT = "[-A-Za-z0-9]+";
  private static final Pattern DNS1123_LABEL = Pattern.compile("^" + DNS1123_LABEL_FMT + "$");
  private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile("^" + DNS1123_SUBDOMAIN_FMT + "$");
  private static final Pattern LABEL_KEY = Pattern.compile("^" + LABEL_KEY_FMT + "$");
  private static final Pattern LABEL_VALUE = Pattern.compile("^" + LABEL_VALUE_FMT + "$");
  private static final Pattern PERCENT = Pattern.compile("^" + PERCENT_FMT + "$");
  private static final Pattern ENV_VAR_NAME = Pattern.compile("^" + ENV_VAR_NAME_FMT + "$");
  private static final Pattern HTTP_HEADER_NAME = Pattern.compile("^" + HTTP_HEADER_NAME_FMT + "$");
  private static final Pattern PORT_NAME_CHARSET = Pattern.compile("^[-a-z0-9]+$");
  private static final Pattern ONE_LETTER = Pattern.compile("[a-z]");
  private static final String LABEL_KEY_MSG =
      "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

  private NameRules() {}

  public static List<String> dns1123Label(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > 63) {
      errs.add(maxLen(63));
    }
    if (!DNS1123_LABEL.matcher(value).matches()) {
      if (DNS1123_SUBDOMAIN.matcher(value).matches()) {
        errs.add("must not contain dots"); // a valid subdomain, so only the dots are wrong
      } else {
        errs.add(regexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
            + "and must start and end with an alphanumeric character", DNS1123_LABEL_FMT, "my-name", "123-abc"));
      }
    }
    return errs;
  }

  public static List<String> dns1123Subdomain(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > 253) {
      errs.add(maxLen(253));
    }
    if (!DNS1123_SUBDOMAIN.matcher(value).matches()) {
      errs.add(regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "
          + "or '.', and must start and end with an alphanumeric character", DNS1123_SUBDOMAIN_FMT, "example.com"));
    }
    return errs;
  }

  /** upstream NameIsDNSSubdomain: a generateName prefix may end in '-' (random characters follow it). */
  public static List<String> nameIsDnsSubdomain(String name, boolean prefix) {
    return dns1123Subdomain(prefix ? maskTrailingDash(name) : name);
  }

  /** upstream NameIsDNSLabel (namespace names). */
  public static List<String> nameIsDnsLabel(String name, boolean prefix) {
    return dns1123Label(prefix ? maskTrailingDash(name) : name);
  }

  /** upstream IsQualifiedName / IsLabelKey: an optional DNS subdomain prefix and '/', then a name of at most 63. */
  public static List<String> labelKey(String value) {
    List<String> errs = new ArrayList<>();
    String[] parts = value.split("/", -1);
    String name;
    switch (parts.length) {
      case 1 -> name = parts[0];
      case 2 -> {
        name = parts[1];
        if (parts[0].isEmpty()) {
          errs.add("prefix part must be non-empty");
        } else {
          dns1123Subdomain(parts[0]).forEach(m -> errs.add("prefix part " + m));
        }
      }
      default -> {
        errs.add("a valid label key " + regexError(LABEL_KEY_MSG, LABEL_KEY_FMT, "MyName", "my.name", "123-abc")
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
        return errs;
      }
    }
    if (name.isEmpty()) {
      errs.add("name part must be non-empty");
    } else if (name.length() > 63) {
      errs.add("name part " + maxLen(63));
    }
    if (!LABEL_KEY.matcher(name).matches()) {
      errs.add("name part " + regexError(LABEL_KEY_MSG, LABEL_KEY_FMT, "MyName", "my.name", "123-abc"));
    }
    return errs;
  }

  public static List<String> labelValue(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > 63) {
      errs.add(maxLen(63));
    }
    if (!LABEL_VALUE.matcher(value).matches()) {
      errs.add(regexError("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' "
          + "or '.', and must start and end with an alphanumeric character", LABEL_VALUE_FMT,
          "MyValue", "my_value", "12345"));
    }
    return errs;
  }

  public static List<String> percent(String value) {
    return PERCENT.matcher(value).matches() ? List.of() : List.of(regexError(
        "a valid percent string must be a numeric string followed by an ending '%'", PERCENT_FMT, "1%", "93%"));
  }

  public static List<String> portNumber(long port) {
    return port >= 1 && port <= 65535 ? List.of() : List.of(inclusiveRange(1, 65535));
  }

  public static List<String> portName(String port) {
    List<String> errs = new ArrayList<>();
    if (port.length() > 15) {
      errs.add(maxLen(15));
    }
    if (!PORT_NAME_CHARSET.matcher(port).matches()) {
      errs.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    }
    if (!ONE_LETTER.matcher(port).find()) {
      errs.add("must contain at least one letter (a-z)");
    }
    if (port.contains("--")) {
      errs.add("must not contain consecutive hyphens");
    }
    if (!port.isEmpty() && (port.startsWith("-") || port.endsWith("-"))) {
      errs.add("must not begin or end with a hyphen");
    }
    return errs;
  }

  public static List<String> envVarName(String value) {
    List<String> errs = new ArrayList<>();
    if (!ENV_VAR_NAME.matcher(value).matches()) {
      errs.add(regexError("a valid environment variable name must consist of alphabetic characters, digits, '_', "
          + "'-', or '.', and must not start with a digit", ENV_VAR_NAME_FMT, "my.env-name", "MY_ENV.NAME",
          "MyEnvName1"));
    }
    if (value.equals(".")) {
      errs.add("must not be '.'");
    } else if (value.equals("..")) {
      errs.add("must not be '..'");
    } else if (value.startsWith("..")) {
      errs.add("must not start with '..'");
    }
    return errs;
  }

  public static List<String> httpHeaderName(String value) {
    return HTTP_HEADER_NAME.matcher(value).matches() ? List.of() : List.of(regexError(
        "a valid HTTP header must consist of alphanumeric characters or '-'", HTTP_HEADER_NAME_FMT, "X-Header-Name"));
  }

  public static String inclusiveRange(long lo, long hi) {
    return "must be between " + lo + " and " + hi + ", inclusive";
  }

  static String maxLen(int length) {
    return "must be no more than " + length + " characters";
  }

  static String regexError(String msg, String fmt, String... examples) {
    if (examples.length == 0) {
      return msg + " (regex used for validation is '" + fmt + "')";
    }
    StringBuilder b = new StringBuilder(msg).append(" (e.g. ");
    for (int i = 0; i < examples.length; i++) {
      b.append(i > 0 ? " or " : "").append('\'').append(examples[i]).append("', ");
    }
    return b.append("regex used for validation is '").append(fmt).append("')").toString();
  }

  private static String maskTrailingDash(String name) {
    return name.length() > 1 && name.endsWith("-") ? name.substring(0, name.length() - 2) + "a" : name;
  }
}

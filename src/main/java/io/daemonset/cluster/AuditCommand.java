package io.daemonset.cluster;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import com.typesafe.config.Config;
import io.daemonset.audit.AuditAnswers;
import io.daemonset.audit.AuditException;
import io.daemonset.audit.AuditKey;
import io.daemonset.audit.AuditOutput.Format;
import io.daemonset.audit.AuditTimes;
import io.daemonset.audit.EventCodec;
import io.daemonset.audit.JournalDatabase;
import io.daemonset.audit.ObjectRef;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code audit}: questions answered from the journal database alone, with no cluster running (a local
 * ActorSystem for the serializers at most; logs at WARN on stderr). With the embedded H2 store the serving JVM
 * holds the file: stop it first, or ask it over HTTP ({@code GET /audit/...}). Exit status: 0 answered, 1 verify
 * found damage, 2 bad input (unknown kind, malformed time, no database).
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = "Answer audit questions from the event journal (history, pod, node, at, export, verify).",
    subcommands = {AuditCommand.History.class, AuditCommand.PodCmd.class, AuditCommand.NodeCmd.class,
        AuditCommand.At.class, AuditCommand.Export.class, AuditCommand.Verify.class,
        AuditArchiveCommand.class})
public final class AuditCommand implements Callable<Integer> {
  static final int DAMAGED = 1;
  static final int BAD_INPUT = 2;

  @Spec CommandSpec spec;

  @Option(names = "--data-dir", defaultValue = "data", scope = ScopeType.INHERIT,
      description = "Data dir: the H2 journal, the audit key (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--store", scope = ScopeType.INHERIT, description = "h2 (default) or postgres (DS_DB_URL...).")
  String store;

  @Option(names = "--db-url", scope = ScopeType.INHERIT, description = "JDBC URL (jdbc:postgresql:... or jdbc:h2:...).")
  String dbUrl;

  @Option(names = "--db-user", scope = ScopeType.INHERIT, description = "Database user.")
  String dbUser;

  @Option(names = "--db-password", scope = ScopeType.INHERIT, description = "Database password.")
  String dbPassword;

  @Option(names = "--db-schema", scope = ScopeType.INHERIT, description = "Schema holding the tables (DS_DB_SCHEMA).")
  String dbSchema;

  @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, description = "json or yaml (default: for people).")
  String output;

  /** Tests keep their own logging; the command line gets WARN on stderr. */
  boolean quietLogging = true;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** What every subcommand does: set up, answer, map failures to one line and an exit status. */
  abstract static class Question implements Callable<Integer> {
    @CommandLine.ParentCommand AuditCommand audit;
    @Spec CommandSpec spec;

    abstract int answer(AuditAnswers answers, Format format, PrintWriter out) throws Exception;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (audit.quietLogging) {
        warnOnStderr();
      }
      try {
        Format format = Format.parse(audit.output);
        JournalDatabase database = audit.database();
        try (EventCodec codec = EventCodec.offline()) {
          int status = answer(new AuditAnswers(database, codec, Clock.systemUTC()), format, out);
          out.flush();
          return status;
        }
      } catch (IllegalArgumentException | AuditException e) {
        out.flush();
        err.println("error: " + e.getMessage());
        err.flush();
        return BAD_INPUT;
      } catch (Exception e) {
        out.flush();
        err.println("error: " + rootMessage(e));
        err.flush();
        return BAD_INPUT;
      }
    }
  }

  @Command(name = "history", description = "Every event of an object: time, who, what changed, why, revision, node.")
  static final class History extends Question {
    @Parameters(index = "0", paramLabel = "KIND/NAME") String ref;
    @Option(names = {"-n", "--namespace"}) String namespace;
    @Option(names = "--since", description = "RFC 3339, or a duration ago (15m, 2h).") String since;
    @Option(names = "--until", description = "RFC 3339, or a duration ago.") String until;

    @Override
    int answer(AuditAnswers answers, Format format, PrintWriter out) throws Exception {
      Instant now = Instant.now();
      answers.history(ObjectRef.parse(ref, namespace), AuditTimes.parse(since, now), AuditTimes.parse(until, now),
          format, out);
      return 0;
    }
  }

  @Command(name = "pod", description = "The life of a pod: decided, admitted, started, ready, deleted; who and why.")
  static final class PodCmd extends Question {
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Option(names = {"-n", "--namespace"}, description = "Default: any.") String namespace;

    @Override
    int answer(AuditAnswers answers, Format format, PrintWriter out) throws Exception {
      answers.pod(namespace, name, format, out);
      return 0;
    }
  }

  @Command(name = "node", description = "Every pod ever placed on a node, and why each came and went.")
  static final class NodeCmd extends Question {
    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Override
    int answer(AuditAnswers answers, Format format, PrintWriter out) throws Exception {
      answers.node(name, format, out);
      return 0;
    }
  }

  @Command(name = "at", description = "The state at an instant, as kubectl get -o yaml would have shown it.")
  static final class At extends Question {
    @Parameters(index = "0", paramLabel = "TIME") String time;
    @Parameters(index = "1", paramLabel = "KIND/NAME", arity = "0..1") String ref;
    @Option(names = "--all", description = "Every object.") boolean all;
    @Option(names = {"-n", "--namespace"}) String namespace;

    @Override
    int answer(AuditAnswers answers, Format format, PrintWriter out) throws Exception {
      if ((ref == null) == !all) {
        throw new IllegalArgumentException("give either KIND/NAME or --all");
      }
      answers.at(AuditTimes.parse(time, Instant.now()), all ? null : ObjectRef.parse(ref, namespace), format, out);
      return 0;
    }
  }

  @Command(name = "export", description = "JSON Lines, one event per line (schema audit.daemonset.io/v1, docs/audit.md).")
  static final class Export extends Question {
    @Option(names = "--since") String since;
    @Option(names = "--until") String until;

    @Override
    int answer(AuditAnswers answers, Format format, PrintWriter out) throws Exception {
      Instant now = Instant.now();
      answers.export(AuditTimes.parse(since, now), AuditTimes.parse(until, now), out);
      return 0;
    }
  }

  @Command(name = "verify", description = "Check sequence numbers, deserialization, the hash chain and the signed"
      + " checkpoints; exit 1 naming each damaged event.")
  static final class Verify extends Question {
    @Option(names = "--key-file", description = "The checkpoint key (default: $DS_AUDIT_KEY, else <data-dir>/audit-key).")
    Path keyFile;

    @Override
    int answer(AuditAnswers answers, Format format, PrintWriter out) throws Exception {
      Path file = keyFile != null ? keyFile : audit.dataDir.resolve(AuditKey.FILE_NAME);
      AuditKey key = AuditKey.find(keyFile != null ? null : System.getenv(AuditKey.ENV), file).orElse(null);
      return answers.verify(key, format, out) ? 0 : DAMAGED;
    }
  }

  /** The journal database the flags name, checked to exist (an H2 URL would otherwise create an empty one). */
  JournalDatabase database() throws SQLException {
    StoreConfig.JdbcTarget target = target();
    if (target.store() == Store.H2 && dbUrl == null) {
      Path file = dataDir.toAbsolutePath().normalize().resolve("journal.mv.db");
      if (!Files.exists(file)) {
        throw new AuditException("no journal database at " + file + " (give --data-dir, or --db-url)");
      }
    }
    JournalDatabase database = () -> {
      Connection c = target.connect();
      if (!target.schema().isEmpty()) {
        c.setSchema(target.schema());
      }
      return c;
    };
    try (Connection c = database.open()) {
      c.createStatement().executeQuery("SELECT 1 FROM \"event_journal\" WHERE 1 = 0").close();
    } catch (SQLException e) {
      String busy = target.store() == Store.H2 && e.getErrorCode() == 90020
          ? " (serve holds it: stop it, or ask it over HTTP: GET /audit/...)" : "";
      throw new AuditException("cannot read the journal of " + target + ": " + firstLine(e.getMessage()) + busy);
    }
    return database;
  }

  StoreConfig.JdbcTarget target() {
    Store chosen = store != null ? Store.parse(store)
        : dbUrl != null ? (dbUrl.startsWith("jdbc:h2:") ? Store.H2 : Store.POSTGRES) : null;
    ControlPlaneSystem.Settings settings = ControlPlaneSystem.Settings.defaults().withDataDir(dataDir.toAbsolutePath());
    if (chosen != null) {
      settings = settings.withStore(chosen);
    }
    Config config = ControlPlaneConfig.load(settings);
    StoreConfig.JdbcTarget target = StoreConfig.JdbcTarget.of(config);
    return new StoreConfig.JdbcTarget(target.store(), dbUrl != null ? dbUrl : target.url(),
        dbUser != null ? dbUser : target.user(), dbPassword != null ? dbPassword : target.password(),
        dbSchema != null ? dbSchema : target.schema());
  }

  /** Whether picocli could not parse input meant for {@code audit} (answered in one line, exit status 2). */
  public static boolean isUnderAudit(CommandLine.ParameterException e) {
    for (CommandLine c = e.getCommandLine(); c != null; c = c.getParent()) {
      if (c.getCommandSpec().userObject() instanceof AuditCommand) {
        return true;
      }
    }
    return false;
  }

  public static int oneLine(CommandLine.ParameterException e) {
    e.getCommandLine().getErr().println("error: " + e.getMessage() + " (see --help)");
    e.getCommandLine().getErr().flush();
    return BAD_INPUT;
  }

  static void warnOnStderr() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    context.reset();
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n");
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    root.addAppender(stderr);
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return firstLine(t.getMessage() == null ? t.toString() : t.getMessage());
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }
}

package io.daemonset.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;

/**
 * Fixtures of single serialized values (events in {@code golden/events/}, messages between members in
 * {@code golden/messages/}): one file per type, named by its manifest (the class name), holding the bytes Pekko's
 * serializer wrote, untouched. Read and written through the real serialization of an actor system configured as
 * the control plane's (reference.conf: jackson-json for every JsonSerializable).
 */
final class SerializedFixtures implements AutoCloseable {
  /** Messages hold ActorRefs, written as paths of this system: the writer and the readers share its name. */
  static final String SYSTEM_NAME = "golden-fixtures";
  static final String EVENTS = "events";
  static final String MESSAGES = "messages";
  static final String SNAPSHOTS = "snapshots";
  /** Where the writer puts new fixtures (run from the module's directory, as Maven does). */
  static final Path SOURCE_DIR = Path.of("src/test/resources/io/daemonset/audit/golden");

  final ActorSystem<Void> system;
  final Serialization serialization;
  final ObjectMapper mapper;

  SerializedFixtures() {
    system = ActorSystem.create(Behaviors.empty(), SYSTEM_NAME, ConfigFactory.parseString("""
        pekko.actor.provider = local
        pekko.loglevel = WARNING
        pekko.log-dead-letters = off
        pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
        """).withFallback(ConfigFactory.defaultReference()));
    serialization = SerializationExtension.get(Adapter.toClassic(system));
    mapper = JacksonObjectMapperProvider.get(Adapter.toClassic(system)).getOrCreate("jackson-json", Optional.empty());
  }

  /** A reply-to that every member resolves to the same ref (its dead letters), so a message reads back equal. */
  <T> ActorRef<T> replyTo() {
    return Adapter.toTyped(Adapter.toClassic(system).deadLetters());
  }

  byte[] serialize(Object value) {
    return serialization.serialize(value).get();
  }

  Object deserialize(byte[] bytes, Class<?> type) {
    return serialization.deserialize(bytes, serializerId(type), type.getName()).get();
  }

  int serializerId(Class<?> type) {
    try {
      return serialization.serializerFor(type).identifier();
    } catch (java.io.NotSerializableException e) {
      throw new IllegalStateException(type + " has no serializer", e);
    }
  }

  /** The manifest the serializer writes for the value: the fixture's name. */
  String manifest(Object value) {
    return Serializers.manifestFor(serialization.findSerializerFor(value), value);
  }

  /** The checked-in bytes of the named fixture (an event's: its class name), empty when there is none. */
  static Optional<byte[]> read(String kind, String name) throws IOException {
    try (InputStream in = SerializedFixtures.class.getResourceAsStream("golden/" + kind + "/" + name + ".json")) {
      return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
    }
  }

  /** Writes the named fixture into the source tree; never overwrites one (fixtures are for ever). */
  static boolean writeIfMissing(String kind, String name, byte[] bytes) throws IOException {
    Path file = SOURCE_DIR.resolve(kind).resolve(name + ".json");
    if (Files.exists(file)) {
      return false;
    }
    Files.createDirectories(file.getParent());
    Files.write(file, bytes, StandardOpenOption.CREATE_NEW);
    return true;
  }

  @Override
  public void close() {
    system.terminate();
  }
}

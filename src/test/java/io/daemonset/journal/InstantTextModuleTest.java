package io.daemonset.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The journal's instants: the same text as jackson-datatype-jsr310 wrote, and everything it wrote reads back. */
class InstantTextModuleTest {
  record Stamped(Instant at) {}

  private static final ObjectMapper BEFORE = JsonMapper.builder().addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
  // in Pekko's order: ours first
  private static final ObjectMapper NOW = JsonMapper.builder().addModule(new InstantTextModule())
      .addModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

  private static List<Instant> instants() {
    List<Instant> all = new ArrayList<>(List.of(Instant.EPOCH, Instant.ofEpochSecond(-1), Instant.ofEpochSecond(0, 1),
        Instant.parse("2026-12-03T07:16:24Z"), Instant.parse("2026-12-03T07:16:24.100Z"),
        Instant.parse("2026-12-03T07:16:24.123456Z"), Instant.parse("2026-12-03T07:16:24.123456789Z"),
        Instant.parse("2024-02-29T23:59:59.999999999Z"), Instant.parse("0000-01-01T00:00:00Z"),
        Instant.parse("9999-12-31T23:59:59.5Z"), Instant.parse("+10000-01-01T00:00:00Z"),
        Instant.parse("-0001-12-31T23:59:59Z"), Instant.MIN, Instant.MAX));
    SplittableRandom random = new SplittableRandom(9);
    for (int i = 0; i < 20_000; i++) {
      long seconds = random.nextLong(-62_167_219_200L, 253_402_300_800L);
      int nanos = switch (i % 4) {
        case 0 -> 0;
        case 1 -> random.nextInt(1000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1_000;
        default -> random.nextInt(1_000_000_000);
      };
      all.add(Instant.ofEpochSecond(seconds, nanos));
    }
    return all;
  }

  @Test
  void writesWhatTheJavaTimeModuleWroteAndReadsItBack() throws Exception {
    for (Instant instant : instants()) {
      String before = BEFORE.writeValueAsString(new Stamped(instant));
      assertThat(NOW.writeValueAsString(new Stamped(instant))).isEqualTo(before);
      assertThat(NOW.readValue(before, Stamped.class).at()).isEqualTo(instant);
      assertThat(Rfc3339.format(instant)).isEqualTo(instant.toString());
    }
  }

  /**
   * Pekko's serializer writes bytes (a UTF-8 generator, which takes the text as bytes), a tree is built through a
   * TokenBuffer, a CBOR journal through its own generator: each writes what jsr310 wrote.
   */
  @Test
  void everyGeneratorWritesWhatTheJavaTimeModuleWrote() throws Exception {
    ObjectMapper cborBefore = new ObjectMapper(new CBORFactory()).registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    ObjectMapper cborNow = new ObjectMapper(new CBORFactory()).registerModule(new InstantTextModule())
        .registerModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    for (Instant instant : instants()) {
      Stamped stamped = new Stamped(instant);
      assertThat(NOW.writeValueAsBytes(stamped)).as(instant.toString()).isEqualTo(BEFORE.writeValueAsBytes(stamped));
      assertThat(NOW.valueToTree(stamped).equals(BEFORE.valueToTree(stamped))).as(instant.toString()).isTrue();
      assertThat(cborNow.writeValueAsBytes(stamped)).as(instant.toString())
          .isEqualTo(cborBefore.writeValueAsBytes(stamped));
      byte[] text = Rfc3339.formatBytes(instant);
      if (text != null) {
        assertThat(new String(text, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo(instant.toString());
      }
    }
  }

  /** Pekko registers our modules before its own JavaTimeModule: the instants must still be ours. */
  @Test
  void pekkosJournalMapperUsesItWhateverTheOrderOfModules() throws Exception {
    var system = org.apache.pekko.actor.typed.ActorSystem.create(
        org.apache.pekko.actor.typed.javadsl.Behaviors.empty(), "instants");
    try {
      ObjectMapper pekko = org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider.get(system)
          .getOrCreate("jackson-json", java.util.Optional.empty());
      assertThat(pekko.getSerializerProviderInstance().findValueSerializer(Instant.class))
          .isSameAs(InstantTextModule.WRITER);
      var context = ((com.fasterxml.jackson.databind.deser.DefaultDeserializationContext) pekko
          .getDeserializationContext()).createInstance(pekko.getDeserializationConfig(), null, null);
      assertThat(context.findRootValueDeserializer(pekko.constructType(Instant.class)))
          .isSameAs(InstantTextModule.READER);
    } finally {
      system.terminate();
    }
  }

  @Test
  void otherSpellingsStillReadAsTheJavaTimeModuleReadThem() throws Exception {
    for (String json : List.of("\"2026-12-03T08:16:24+01:00\"", "\"2026-12-03T07:16:24.5+00:00\"", "1764746184",
        "1764746184.5", "\"2026-12-03T07:16:24.1234567891Z\"", "\"+10000-01-01T00:00:00Z\"",
        "\"2026-12-03T07:16:24.Z\"")) {
      String document = "{\"at\":" + json + "}";
      Object expected;
      try {
        expected = BEFORE.readValue(document, Stamped.class).at();
      } catch (Exception e) {
        expected = e.getClass();
      }
      Object actual;
      try {
        actual = NOW.readValue(document, Stamped.class).at();
      } catch (Exception e) {
        actual = e.getClass();
      }
      assertThat(actual).as(json).isEqualTo(expected);
    }
    assertThat(Rfc3339.parse("2026-13-03T07:16:24Z")).isNull();
    assertThat(Rfc3339.parse("2026-02-30T07:16:24Z")).isNull();
    assertThat(Rfc3339.parse("2026-12-03 07:16:24Z")).isNull();
  }

  /** An instant read twice is one instance (pods repeat a few instants, and each is decoded several times). */
  @Test
  void anInstantReadAgainIsTheSameInstance_valuesUnchanged() throws Exception {
    String json = "{\"at\":\"2026-12-03T07:16:24.123Z\"}";

    Instant one = NOW.readValue(json, Stamped.class).at();
    Instant two = NOW.readValue(json, Stamped.class).at();
    Instant other = NOW.readValue("{\"at\":\"2026-12-03T07:16:25Z\"}", Stamped.class).at();

    assertThat(two).isSameAs(one).isEqualTo(Instant.parse("2026-12-03T07:16:24.123Z"));
    assertThat(other).isEqualTo(Instant.parse("2026-12-03T07:16:25Z"));
  }
}

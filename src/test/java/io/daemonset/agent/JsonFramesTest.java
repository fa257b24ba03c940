package io.daemonset.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The watch stream cut into its top-level values, whatever the reads' sizes and whatever the strings hold. */
class JsonFramesTest {

  static Stream<Arguments> streams() {
    return Stream.of(
        // stream, read size, its values
        Arguments.of("{\"type\":\"ADDED\"}\n{\"type\":\"MODIFIED\"}\n", 16384,
            List.of("{\"type\":\"ADDED\"}", "{\"type\":\"MODIFIED\"}")),
        Arguments.of("{\"type\":\"ADDED\"}\n{\"type\":\"MODIFIED\"}\n", 3,
            List.of("{\"type\":\"ADDED\"}", "{\"type\":\"MODIFIED\"}")),
        Arguments.of("{\"a\":{\"b\":[1,{\"c\":2}]}}{\"d\":3}", 1, List.of("{\"a\":{\"b\":[1,{\"c\":2}]}}", "{\"d\":3}")),
        Arguments.of("{\"s\":\"a } ] { [ b\"}", 2, List.of("{\"s\":\"a } ] { [ b\"}")),
        Arguments.of("{\"s\":\"quote \\\" } brace\"}", 4, List.of("{\"s\":\"quote \\\" } brace\"}")),
        Arguments.of("{\"s\":\"backslash \\\\\"} {\"t\":1}", 5,
            List.of("{\"s\":\"backslash \\\\\"}", "{\"t\":1}")),
        Arguments.of("  \n 42 \"a { string\" {\"x\":1} [1,2]", 7, List.of("{\"x\":1}", "[1,2]")),
        Arguments.of("{\n  \"pretty\": {\n    \"x\": 1\n  }\n}\n", 6, List.of("{\n  \"pretty\": {\n    \"x\": 1\n  }\n}")),
        Arguments.of("{\"u\":\"\u00e9\u4e2d\"}", 1, List.of("{\"u\":\"\u00e9\u4e2d\"}")),
        Arguments.of("", 3, List.of()),
        Arguments.of("  \n  ", 3, List.of()),
        Arguments.of("7 \"x\"", 3, List.of()));
  }

  @ParameterizedTest(name = "[{index}] reads of {1} bytes")
  @MethodSource("streams")
  void cutsTheStreamIntoItsValues(String stream, int readSize, List<String> expected) throws IOException {
    assertThat(values(stream, readSize)).containsExactlyElementsOf(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"type\":\"ADD", "{\"a\":[1,2", "{\"s\":\"}"})
  void aStreamEndingInsideAValueFails(String stream) {
    assertThatThrownBy(() -> values(stream, 4)).isInstanceOf(EOFException.class);
  }

  @org.junit.jupiter.api.Test
  void aValueLargerThanTheBuffersIsWhole() throws IOException {
    String big = "{\"x\":\"" + "y".repeat(100_000) + "\"}";
    assertThat(values(big + "\n" + big, 1000)).containsExactly(big, big);
  }

  private static List<String> values(String stream, int readSize) throws IOException {
    JsonFrames frames = new JsonFrames(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)), readSize);
    List<String> out = new ArrayList<>();
    for (byte[] v = frames.next(); v != null; v = frames.next()) {
      out.add(new String(v, StandardCharsets.UTF_8));
    }
    return out;
  }
}

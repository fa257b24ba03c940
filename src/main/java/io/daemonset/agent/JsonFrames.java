package io.daemonset.agent;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Cuts a stream of JSON values (a watch: one event object after another, newline-separated or not) into the bytes of
 * each top-level object or array, without decoding them: a byte scan that tracks nesting and strings (with their
 * escapes). It lets one thread read a watch as fast as the server sends while others decode the events
 * ({@link PodWatch}). Anything else at the top level (whitespace, a stray number or string) is passed over, as the
 * watch's reader passed over values that are not events.
 */
final class JsonFrames {
  private final InputStream in;
  private final byte[] buffer;
  private int position;
  private int limit;
  private byte[] value = new byte[4096];
  private int length;

  JsonFrames(InputStream in) {
    this(in, 16 * 1024);
  }

  /** With a read buffer of another size: a test cuts values across reads of a few bytes. */
  JsonFrames(InputStream in, int bufferSize) {
    this.in = in;
    this.buffer = new byte[bufferSize];
  }

  /**
   * The next top-level object or array, or null at the end of the stream.
   *
   * @throws EOFException when the stream ends inside a value
   */
  byte[] next() throws IOException {
    length = 0;
    int depth = 0;
    boolean inString = false;
    boolean escaped = false;
    while (true) {
      if (position == limit) {
        int n = in.read(buffer, 0, buffer.length);
        if (n < 0) {
          if (depth > 0) {
            throw new EOFException("the stream ended inside a JSON value");
          }
          return null;
        }
        position = 0;
        limit = n;
        continue;
      }
      int start = depth > 0 ? position : -1;
      while (position < limit) {
        byte b = buffer[position++];
        if (inString) {
          if (escaped) {
            escaped = false;
          } else if (b == '\\') {
            escaped = true;
          } else if (b == '"') {
            inString = false;
          }
        } else if (b == '"') {
          inString = true;
        } else if (b == '{' || b == '[') {
          if (depth++ == 0) {
            start = position - 1;
          }
        } else if ((b == '}' || b == ']') && depth > 0 && --depth == 0) {
          append(start, position - start);
          return Arrays.copyOf(value, length);
        }
      }
      if (depth > 0) {
        append(start, limit - start);
      }
    }
  }

  private void append(int from, int count) {
    if (length + count > value.length) {
      value = Arrays.copyOf(value, Math.max(value.length * 2, length + count));
    }
    System.arraycopy(buffer, from, value, length, count);
    length += count;
  }
}

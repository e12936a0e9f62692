package com.welcomedly.dialer.engine.leadimport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The streamed CSV stage: arbitrary chunking, CRLF, quoted newlines and the line-size limit. */
class ImportSourcesTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create("import-sources", ConfigFactory.parseString("pekko.loglevel = WARNING"));

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** Splits the text into chunks of {@code size} bytes, cutting lines and quotes anywhere. */
  private static List<ImportRow> run(String csv, int size, int maxLineBytes) throws Exception {
    byte[] bytes = csv.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    List<ByteString> chunks = new ArrayList<>();
    for (int i = 0; i < bytes.length; i += size) {
      chunks.add(ByteString.fromArray(bytes, i, Math.min(size, bytes.length - i)));
    }
    return Source.from(chunks)
        .via(ImportSources.csv("job", maxLineBytes))
        .runWith(Sink.seq(), testKit.system())
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  @Test
  void rowsSurviveAnyChunking() throws Exception {
    String csv =
        "phone,note\r\n+12127363101,\"a, b\r\nc\"\r\n+12127363102,plain\r\n+12127363103,last";
    for (int size : new int[] {1, 3, 7, 1000}) {
      List<ImportRow> rows = run(csv, size, 1024);
      assertEquals(3, rows.size(), "chunk size " + size);
      ImportRow.Valid first = assertInstanceOf(ImportRow.Valid.class, rows.get(0));
      assertEquals("a, b\nc", first.customFields().get("note"));
      assertEquals(4, rows.get(1).line());
      assertEquals(5, rows.get(2).line());
    }
  }

  @Test
  void aLineBeyondTheLimitFailsTheStream() {
    ExecutionException failure =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class, () -> run("phone\n" + "9".repeat(200) + "\n", 16, 64));
    assertInstanceOf(ImportFormatException.class, failure.getCause());
    assertTrue(failure.getCause().getMessage().contains("longer than 64 bytes"));
  }
}

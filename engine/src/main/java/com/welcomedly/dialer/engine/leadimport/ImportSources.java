package com.welcomedly.dialer.engine.leadimport;

import java.util.List;
import java.util.Optional;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Framing;
import org.apache.pekko.stream.javadsl.FramingTruncation;
import org.apache.pekko.util.ByteString;

/** Stream stages that turn an uploaded lead file into {@link ImportRow}s. */
public final class ImportSources {

  private ImportSources() {}

  /**
   * CSV bytes (UTF-8) to rows: framed by line with at most {@code maxLineBytes} per physical line,
   * so neither the file nor a runaway line is ever held whole in memory. A line beyond the limit
   * fails the stream (the import FAILS: the rest of the file cannot be trusted).
   */
  public static Flow<ByteString, ImportRow, NotUsed> csv(String jobId, int maxLineBytes) {
    return Flow.of(ByteString.class)
        .via(Framing.delimiter(ByteString.fromString("\n"), maxLineBytes, FramingTruncation.ALLOW))
        .map(ByteString::utf8String)
        .statefulMap(
            () -> new CsvLeadReader(new LeadRowValidator(jobId), maxLineBytes * 4),
            (reader, line) -> Pair.create(reader, reader.accept(line)),
            reader -> Optional.of(reader.finish()))
        .mapConcat(rows -> (List<ImportRow>) rows)
        .mapError(
            org.apache.pekko.stream.scaladsl.Framing.FramingException.class,
            e ->
                new ImportFormatException(
                    "a line is longer than " + maxLineBytes + " bytes; the import stopped there"));
  }
}

package com.welcomedly.dialer.engine.leadimport;

import com.welcomedly.dialer.engine.CborSerializable;
import java.time.Instant;
import java.util.List;

/**
 * Where an import job stands. {@code total} is null until known (a streamed CSV is counted as it is
 * read); {@code rejected} keeps the first rejections in line order, {@code rejectedCount} all of
 * them; {@code error} says why a FAILED job stopped (rows before it were imported).
 */
public record JobStatus(
    String jobId,
    String campaignId,
    State state,
    long processed,
    long accepted,
    long rejectedCount,
    List<Rejection> rejected,
    Long total,
    String error,
    String startedBy,
    Instant startedAt,
    Instant finishedAt)
    implements CborSerializable {

  public enum State {
    RUNNING,
    DONE,
    FAILED
  }

  /** The answer to a lookup: {@code status} null when this node knows no such job. */
  public record Lookup(JobStatus status) implements CborSerializable {}
}

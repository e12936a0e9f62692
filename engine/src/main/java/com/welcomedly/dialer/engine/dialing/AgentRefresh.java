package com.welcomedly.dialer.engine.dialing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Gathers the answers of a dialer's re-read of its agents ({@link AgentView#resync}). An agent
 * whose ask failed (its entity is recovering, its database write is being retried, its shard is
 * moving) is left out of this round instead of failing the whole re-read: before, one timed-out ask
 * discarded every agent's answer and the dialer stopped seeing its ready agents until all of them
 * answered in the same round.
 */
final class AgentRefresh {
  private AgentRefresh() {}

  /** Completes once every ask has answered or failed, with the answers in ask order. */
  static <T> CompletionStage<List<T>> answered(List<CompletableFuture<T>> asks) {
    List<CompletableFuture<T>> settled = new ArrayList<>();
    for (CompletableFuture<T> ask : asks) {
      settled.add(ask.handle((value, failure) -> failure == null ? value : null));
    }
    return CompletableFuture.allOf(settled.toArray(CompletableFuture[]::new))
        .thenApply(
            v ->
                settled.stream()
                    .map(CompletableFuture::join)
                    .filter(java.util.Objects::nonNull)
                    .toList());
  }
}

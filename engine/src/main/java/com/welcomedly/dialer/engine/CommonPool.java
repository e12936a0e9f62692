package com.welcomedly.dialer.engine;

/**
 * Gives the JVM's common ForkJoinPool at least two threads. On a 2-core machine its default
 * parallelism is 1, and then {@code CompletableFuture} runs every async callback on a new thread of
 * its own (ThreadPerTaskExecutor). Every Pekko ask answer is such a callback: Scala's {@code
 * CompletionStage} (what {@code ask} returns) runs even {@code thenApply} and {@code whenComplete}
 * — and so {@code pipeToSelf} — asynchronously on that default executor. Issue 18's profile counted
 * 147 new OS threads per second while dialing. Call first thing in {@code main}: the pool reads the
 * property once, when first used.
 */
public final class CommonPool {
  static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  private CommonPool() {}

  /** Sets the parallelism to max(2, cores - 1) unless the command line set it. */
  public static void ensureThreads() {
    if (System.getProperty(PARALLELISM) == null) {
      int cores = Runtime.getRuntime().availableProcessors();
      System.setProperty(PARALLELISM, Integer.toString(Math.max(2, cores - 1)));
    }
  }
}

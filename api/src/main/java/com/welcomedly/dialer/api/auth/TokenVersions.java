package com.welcomedly.dialer.api.auth;

import com.welcomedly.dialer.engine.identity.User;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Whether an account still honours a token: it exists, is enabled and its token version (bumped by
 * every password change, role change, disable and enable) is the one in the token. Asking the User
 * entity on every request would put an entity round trip in front of each call, so each node keeps
 * the answer for {@code dialer.auth.token-check-ttl}: a change made through this node takes effect
 * at once (the entry is dropped), one made through another node within that ttl. One instance per
 * node, owned by {@link Security}; concurrent requests for one user share one ask.
 */
public final class TokenVersions {

  /** What a token is checked against. */
  public record Standing(
      User.Role role, Optional<String> agentId, boolean enabled, int tokenVersion) {

    boolean honours(AccessTokens.Claims claims) {
      return enabled
          && claims.ver() != null
          && claims.ver() == tokenVersion
          && claims.role() == role
          && claims.agentId().equals(agentId);
    }
  }

  private record Entry(CompletableFuture<Optional<Standing>> standing, long fetchedAtNanos) {}

  /** Enough for every account of a contact centre; beyond it the cache starts over. */
  private static final int MAX_ENTRIES = 10_000;

  private final ActorSystem<?> system;
  private final Duration ttl;
  private final Duration askTimeout;
  private final Map<String, Entry> cache = new ConcurrentHashMap<>();

  public TokenVersions(ActorSystem<?> system) {
    this.system = system;
    this.ttl = system.settings().config().getDuration("dialer.auth.token-check-ttl");
    this.askTimeout = system.settings().config().getDuration("dialer.api.ask-timeout");
  }

  /** True when the account behind {@code claims} still accepts it. */
  public CompletionStage<Boolean> honours(AccessTokens.Claims claims) {
    return standing(claims.sub()).thenApply(s -> s.filter(x -> x.honours(claims)).isPresent());
  }

  /** Forget what this node knows about {@code username} (it has just changed). */
  public void invalidate(String username) {
    cache.remove(username);
  }

  private CompletionStage<Optional<Standing>> standing(String username) {
    long now = System.nanoTime();
    Entry[] created = new Entry[1];
    Entry entry =
        cache.compute(
            username,
            (name, old) -> {
              if (old != null
                  && now - old.fetchedAtNanos() < ttl.toNanos()
                  && !old.standing().isCompletedExceptionally()) {
                return old;
              }
              created[0] = new Entry(new CompletableFuture<>(), now);
              return created[0];
            });
    if (created[0] == entry) {
      fetch(username, entry);
    }
    return entry.standing();
  }

  private void fetch(String username, Entry entry) {
    if (cache.size() > MAX_ENTRIES) {
      cache.clear();
    }
    if (!User.USERNAME.matcher(username).matches()) {
      entry.standing().complete(Optional.empty());
      return;
    }
    ClusterSharding.get(system)
        .entityRefFor(User.ENTITY_KEY, username)
        .<Optional<User.Credentials>>ask(User.GetCredentials::new, askTimeout)
        .whenComplete(
            (credentials, failure) -> {
              if (failure != null) {
                // Not cached: the next request asks again; this one answers 503.
                cache.remove(username, entry);
                entry.standing().completeExceptionally(failure);
              } else {
                entry
                    .standing()
                    .complete(
                        credentials.map(
                            c ->
                                new Standing(
                                    c.role(), c.agentId(), c.enabled(), c.tokenVersion())));
              }
            });
  }
}

package com.welcomedly.dialer.api.auth;

import com.welcomedly.dialer.api.InFlightBound;
import com.welcomedly.dialer.api.Problems;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * A node-wide bound on the sign-ins being checked at once ({@code
 * dialer.auth.max-logins-in-flight}). A sign-in costs an account read (the User entity, recovered
 * from the journal when cold) and a bcrypt check, deliberately slow, on a small pool: a shift of
 * thousands of agents signing in within seconds otherwise queues minutes of bcrypt work behind the
 * pool while every waiting request holds a connection until it times out. Beyond the bound a
 * sign-in is not checked at all and is answered 503 with {@code Retry-After} at once; clients
 * retry. A refused sign-in is not a failed one: it does not count towards the login throttle's
 * lockout. One per ActorSystem (an extension), so two nodes in one JVM (tests) do not share it.
 */
public final class LoginCapacity implements Extension {

  private final InFlightBound bound;

  private LoginCapacity(int maxInFlight) {
    this.bound =
        new InFlightBound("dialer.auth.max-logins-in-flight", maxInFlight, LoginMetrics.shed());
  }

  public static LoginCapacity get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  /** A place for one sign-in's check; every true is followed by exactly one {@link #exit()}. */
  public boolean tryEnter() {
    return bound.tryEnter();
  }

  public void exit() {
    bound.exit();
  }

  String busyDetail() {
    return "the node is checking "
        + bound.max()
        + " logins; retry after "
        + Problems.RETRY_AFTER_SECONDS
        + " s";
  }

  private static final class Id extends ExtensionId<LoginCapacity> {
    private static final Id INSTANCE = new Id();

    @Override
    public LoginCapacity createExtension(ActorSystem<?> system) {
      return new LoginCapacity(
          system.settings().config().getInt("dialer.auth.max-logins-in-flight"));
    }
  }
}

package com.welcomedly.dialer.engine.dialing;

import com.welcomedly.dialer.engine.CborSerializable;
import java.time.Instant;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * The PREVIEW protocol of a campaign's dialer, sent through sharding to {@link
 * CampaignDialer#ENTITY_KEY} by the API: the agent's Dial or Skip of its offer, and the offer it
 * holds (for the agent's channel). The dialer's {@link PreviewDesk} answers.
 */
public final class Preview {
  private Preview() {}

  /** Messages the dialer hands to its {@link PreviewDesk}. */
  public sealed interface Message extends CampaignDialer.Command
      permits Dial, Skip, GetOffer, PreviewDesk.Internal {}

  /** The agent dials its offered lead. */
  public record Dial(String agentId, String attemptId, ActorRef<StatusReply<Offer>> replyTo)
      implements Message {}

  /** The agent does not want to call this lead now: back to the queue. */
  public record Skip(String agentId, String attemptId, ActorRef<StatusReply<Offer>> replyTo)
      implements Message {}

  /** The offer the agent holds, if any. */
  public record GetOffer(String agentId, ActorRef<Offered> replyTo) implements Message {}

  /** One preview: the lead reserved for the agent until {@code expiresAt}. */
  public record Offer(
      String attemptId, String agentId, String campaignId, String leadId, Instant expiresAt)
      implements CborSerializable {}

  /** Reply to {@link GetOffer}; {@code offer} null when the agent holds none. */
  public record Offered(Offer offer) implements CborSerializable {}
}

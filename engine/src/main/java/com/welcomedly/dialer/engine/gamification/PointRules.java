package com.welcomedly.dialer.engine.gamification;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * What earns points in one campaign. Pure: the projection asks it for the points of each scoring
 * event, so the rules are tested without a database.
 *
 * @param contact per disposition whose category is not NO_CONTACT (a person was reached)
 * @param success per disposition of category SUCCESS (on top of the contact points)
 * @param talkMinute per full minute an agent was connected to a customer, per call
 * @param onTimeWrapUp adherence: the agent gave the disposition before the wrap-up timeout
 * @param wrapUpTimeout adherence: the wrap-up timed out (usually negative)
 * @param contactsPerDayBadge contacts in one UTC day that earn {@link Badge#CONTACTS_IN_A_DAY}
 */
public record PointRules(
    long contact,
    long success,
    long talkMinute,
    long onTimeWrapUp,
    long wrapUpTimeout,
    int contactsPerDayBadge) {

  public static final PointRules DEFAULTS = new PointRules(1, 5, 1, 1, -2, 10);

  /** {@code dialer.gamification.defaults}, overridden key by key per campaign. */
  public static PointRules forCampaign(Config root, String campaignId) {
    Config g = root.getConfig("dialer.gamification");
    Config rules = g.getConfig("defaults");
    String path = "campaigns.\"" + campaignId + "\"";
    if (g.hasPath(path)) {
      rules = g.getConfig(path).withFallback(rules);
    }
    return new PointRules(
        rules.getLong("contact"),
        rules.getLong("success"),
        rules.getLong("talk-minute"),
        rules.getLong("on-time-wrap-up"),
        rules.getLong("wrap-up-timeout"),
        rules.getInt("contacts-per-day-badge"));
  }

  /** Points for an agent's disposition: contact, success and adherence. */
  public long forDisposition(boolean contactMade, boolean successful, boolean byTimeout) {
    return (contactMade ? contact : 0)
        + (successful ? success : 0)
        + (byTimeout ? wrapUpTimeout : onTimeWrapUp);
  }

  /** Points for one call's talk time: full minutes only, so a rebuild counts the same. */
  public long forTalk(Duration talk) {
    return talk.isNegative() ? 0 : talk.toMinutes() * talkMinute;
  }
}

package com.welcomedly.dialer.engine.gamification;

/** Milestones, each awarded once per agent and campaign. */
public enum Badge {
  /** The agent's first SUCCESS disposition in the campaign. */
  FIRST_SALE,
  /** {@link PointRules#contactsPerDayBadge()} contacts in one UTC day. */
  CONTACTS_IN_A_DAY
}

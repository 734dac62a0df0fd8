/**
 * Every request that checks a secret from a link (a confirmation or sign-in token, a signed
 * preferences link, a subscriber session) is rate limited per client address, per route. Guessing a
 * 256-bit secret is hopeless anyway; the limit keeps a scanner from turning these pages into a
 * cheap way to load the database. Documented in the README ("Security").
 */
export const LINK_CHECKS_PER_MINUTE = 60;

/** Route options that apply the limit. */
export const linkCheckLimit = { config: { rateLimit: { max: LINK_CHECKS_PER_MINUTE, timeWindow: 60 * 1000 } } };

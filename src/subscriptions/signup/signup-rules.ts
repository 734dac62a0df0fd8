// The numbers and names of the public sign-up, in one place: the README ("Security",
// "Subscriptions") documents them and the tests read them from here.

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** POST /subscribe: sign-up requests per client IP address per hour. */
export const SUBSCRIBE_POSTS_PER_HOUR = 10;
/** POST /subscribe/confirm/:token: confirmations per client IP address per hour. */
export const CONFIRM_POSTS_PER_HOUR = 30;
export const RATE_LIMIT_WINDOW_MS = HOUR;

/**
 * Confirmation e-mails per address per 24 hours. Past it, requests for the address are still
 * processed but mail nothing, so the sign-up form cannot be used to flood someone's mailbox.
 */
export const CONFIRMATION_MAILS_PER_DAY = 3;
export const CONFIRMATION_MAIL_WINDOW_MS = DAY;

/** How long a confirmation link works. */
export const CONFIRMATION_LINK_TTL_MS = 48 * HOUR;
export const CONFIRMATION_LINK_TTL_TEXT = '48 hours';

/** Unconfirmed sign-ups (requests never processed, pending subscribers) are purged after this. */
export const UNCONFIRMED_RETENTION_MS = 7 * DAY;

/**
 * A confirmation mail whose sender crashed leaves its request "being sent" with a token nobody
 * knows. After this long (well past a job lease) the request is mailed again with a fresh token.
 */
export const STALLED_MAIL_AFTER_MS = 10 * MINUTE;

/** Longest user agent kept as consent evidence. */
export const USER_AGENT_MAX = 300;

/** Where a public sign-up came from; the page's hidden field may only name one of these. */
export const PUBLIC_SIGNUP_SOURCES = ['subscribe-page', 'subscribe-box'] as const;
export type PublicSignupSource = (typeof PUBLIC_SIGNUP_SOURCES)[number];
/** The source of request rows the CSV import writes for rows imported without consent. */
export const IMPORT_SOURCE = 'import';

/** Job that looks up each new sign-up request and mails its confirmation link. */
export const PROCESS_REQUESTS_JOB = 'subscriptions.process-requests';
/** Job that removes expired confirmations and unconfirmed subscribers. */
export const PURGE_UNCONFIRMED_JOB = 'subscriptions.purge-unconfirmed';

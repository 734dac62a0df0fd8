import type { FeatureRoutes } from '../platform/http/app.ts';

/**
 * The public side of subscriptions: /subscribe, /subscribe/confirm/:token, /preferences…,
 * /unsubscribe/:token. (Filled in by the public-flows work.)
 */
export const subscriptionRoutes: FeatureRoutes = async () => {};

import type { FeatureRoutes } from '../../platform/http/app.ts';

/** /admin/subscribers (counts, growth, search, history) and /admin/subscriptions/topics. */
export const subscriberAdminRoutes: FeatureRoutes = async () => {};

import type { FeatureRoutes } from '../../platform/http/app.ts';

/** /admin/subscribers/import… and /admin/subscribers/export.csv. */
export const subscriberImportRoutes: FeatureRoutes = async () => {};

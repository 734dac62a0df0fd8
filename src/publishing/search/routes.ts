import type { FeatureRoutes } from '../../platform/http/app.ts';

/** `/search`: full-text search over published articles, events and resources. */
export const searchRoutes: FeatureRoutes = async () => {};

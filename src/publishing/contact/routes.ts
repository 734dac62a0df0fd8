import type { FeatureRoutes } from '../../platform/http/app.ts';

/** `/contact` and the admin inbox at `/admin/contact`. */
export const contactRoutes: FeatureRoutes = async () => {};
